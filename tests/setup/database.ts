/**
 * Gives this test file its own database before any app module loads:
 *   DB_TARGET=pglite    an in-memory PGlite (DATA_DIR=memory://), started
 *                       from the copy tests/setup/pglite-template.ts migrated
 *                       once for the run
 *   DB_TARGET=postgres  a fresh schema in TEST_DATABASE_URL, dropped afterwards
 * and the environment the app needs, with the credentials Shopify's test
 * helpers sign with. app/db.server.ts then opens and migrates it as in
 * production (on PGlite its migrator finds everything applied).
 */
import { readFileSync } from "node:fs";
import { afterAll, inject } from "vitest";
import { openDatabase, MEMORY, type Database } from "../../app/db/connect.server";
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
let openedDatabase = (): Promise<Database> | undefined => globalThis.__regularsDatabase;
if (target === "postgres") {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error("DB_TARGET=postgres needs TEST_DATABASE_URL");
  schemaUrl = isolatedSchemaUrl(base);
  process.env.DATABASE_URL = schemaUrl;
} else if (target === "pglite") {
  delete process.env.DATABASE_URL;
  // app/db.server.ts opens the process's database only if globalThis.__regularsDatabase is unset:
  // hand it the migrated copy instead, opened on first use (some files never open it).
  let opened: Promise<Database> | undefined;
  Object.defineProperty(globalThis, "__regularsDatabase", {
    configurable: true,
    get: () =>
      (opened ??= openDatabase({
        dataDir: MEMORY,
        loadDataDir: new Blob([readFileSync(inject("pgliteTemplate"))]),
      })),
    set: (value: Promise<Database> | undefined) => {
      opened = value;
    },
  });
  openedDatabase = () => opened;
} else {
  throw new Error(`Unknown DB_TARGET ${String(target)}`);
}

afterAll(async () => {
  const opened = openedDatabase();
  if (opened) await (await opened).close();
  if (schemaUrl) await dropIsolatedSchema(schemaUrl);
});
