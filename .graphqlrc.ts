// GraphQL config for codegen and editors. The Admin API schema is Shopify's
// official introspection of ADMIN_API_VERSION, vendored in shopify/ and
// unpacked next to the generated types by scripts/unpack-admin-schema.ts:
// nothing is fetched.
import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";
import type { IGraphQLConfig } from "graphql-config";
import { ADMIN_API_VERSION, ADMIN_SCHEMA_JSON } from "./app/shopify/api-version";

const outputDir = "./app/types";
const schemaFile = `./${ADMIN_SCHEMA_JSON}`;

const project = shopifyApiProject({
  apiType: ApiType.Admin,
  apiVersion: ADMIN_API_VERSION,
  documents: ["./app/**/*.{js,ts,jsx,tsx}", "!./app/types/**"],
  outputDir,
});

// The preset falls back to Shopify's URL when the file is missing; make that
// impossible so a forgotten unpack fails loudly instead of going online.
project.schema = schemaFile;
const generates = project.extensions?.codegen?.generates ?? {};
for (const [file, entry] of Object.entries(generates) as [string, { schema?: unknown }][]) {
  if (typeof entry.schema === "string" && entry.schema.startsWith("http")) {
    throw new Error(`codegen entry ${file} would fetch ${entry.schema}`);
  }
  entry.schema = schemaFile;
}

const config: IGraphQLConfig = { projects: { default: project } };
export default config;
