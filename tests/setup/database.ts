/**
 * Gives this test file its own database before any app module loads:
 *   DB_TARGET=pglite    an in-memory PGlite (DATA_DIR=memory://)
 *   DB_TARGET=postgres  a fresh schema in TEST_DATABASE_URL, dropped afterwards
 * and the environment the app needs, with the credentials Shopify's test
 * helpers sign with. app/db.server.ts then opens and migrates it as in
 * production.
 */
import { afterAll } from "vitest";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { isolatedSchemaUrl, dropIsolatedSchema } from "../support/isolated-database";

process.env.SHOPIFY_API_KEY = API_KEY;
process.env.SHOPIFY_API_SECRET = API_SECRET_KEY;
process.env.SHOPIFY_APP_URL = APP_URL;
process.env.SCOPES = "read_customers,read_orders,read_all_orders,write_customers,write_discounts";
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL = "error";
// Tests run jobs themselves (JobWorker.drain) with their own Shopify stand-ins.
process.env.JOB_WORKER = "off";
// Nothing on disk, on PostgreSQL too: stored tokens are encrypted with a key of this process's own.
process.env.DATA_DIR = "memory://";
delete process.env.SESSION_ENCRYPTION_KEY;

const target = process.env.DB_TARGET;
let schemaUrl: string | undefined;
if (target === "postgres") {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("DB_TARGET=postgres needs TEST_DATABASE_URL");
  schemaUrl = isolatedSchemaUrl(base);
  process.env.DATABASE_URL = schemaUrl;
} else if (target === "pglite") {
  delete process.env.DATABASE_URL;
} else {
  throw new Error(`Unknown DB_TARGET ${String(target)}`);
}

afterAll(async () => {
  const opened = globalThis.__regularsDatabase;
  if (opened) await (await opened).close();
  if (schemaUrl) await dropIsolatedSchema(schemaUrl);
});
