/**
 * The Admin API version Regulars speaks, in one place: every Admin API call
 * (in requests through shopify.server.ts, in jobs through offline-admin), the
 * generated types (.graphqlrc.ts), the vendored schema
 * (shopify/admin_<version>.json.gz) and devshop read it from here.
 * shopify.app.toml cannot import it: its [webhooks] api_version, the version
 * of the webhooks Shopify sends, is held equal to it by
 * tests/unit/app-config.test.ts.
 */
import { ApiVersion } from "@shopify/shopify-api";

export const ADMIN_API_VERSION = ApiVersion.October26;

/** The vendored introspection of that version's schema, relative to the repository's root. */
export const ADMIN_SCHEMA_ARCHIVE = `shopify/admin_${ADMIN_API_VERSION}.json.gz`;

/** Where scripts/unpack-admin-schema.ts unpacks it for graphql-codegen (.graphqlrc.ts). */
export const ADMIN_SCHEMA_JSON = `app/types/admin-${ADMIN_API_VERSION}.schema.json`;
