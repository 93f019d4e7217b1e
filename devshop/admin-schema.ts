/** Shopify's Admin API schema of the version the app speaks, from the vendored introspection file (shopify/). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";
import { ADMIN_SCHEMA_ARCHIVE } from "../app/shopify/api-version";

const ADMIN_SCHEMA_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  ADMIN_SCHEMA_ARCHIVE,
);

let cached: GraphQLSchema | undefined;

export function adminSchema(): GraphQLSchema {
  if (!cached) {
    const json = JSON.parse(gunzipSync(readFileSync(ADMIN_SCHEMA_FILE)).toString("utf8")) as {
      data: IntrospectionQuery;
    };
    cached = buildClientSchema(json.data);
  }
  return cached;
}
