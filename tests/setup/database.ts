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
import "./app-env";
import { readFileSync } from "node:fs";
import { afterAll, inject } from "vitest";
import { openDatabase, MEMORY, type Database } from "../../app/db/connect.server";
import { isolatedSchemaUrl, dropIsolatedSchema } from "../support/isolated-database";

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
