/**
 * The program_proxy_path_prefix migration asks for a program sync on every
 * shop, so Shopify's copy gets the facts the storefront now reads (and the
 * boolean loyalty.active the Earn points block's available_if names) without
 * waiting for the merchant to save.
 */
import { expect, it } from "vitest";
import { applyMigrations, readMigrations } from "~/db/migrations.server";
import { openScratchDatabase } from "../support/scratch-database";

it("leaves every program due for a sync, with no proxy path recorded", async () => {
  const all = readMigrations();
  const index = all.findIndex((m) => m.name.endsWith("_program_proxy_path_prefix"));
  expect(index).toBeGreaterThan(0);
  const database = await openScratchDatabase({ migrations: all.slice(0, index) });
  try {
    const sql = (text: string, values?: unknown[]) => database.sql.executeSql(text, values);
    await sql(`
      INSERT INTO "Program" (shop, "syncVersion", "syncedVersion", "updatedAt") VALUES
        ('synced.myshopify.com', 3, 3, now()),
        ('behind.myshopify.com', 5, 4, now())`);
    const session = {
      query: async <Row>(text: string, params?: unknown[]) => (await sql(text, params)).rows as Row[],
      exec: async (text: string) => void (await sql(text)),
    };
    // Up to this migration: later ones may ask for syncs of their own.
    await applyMigrations(session, all.slice(0, index + 1), { schema: database.schema });

    const { rows } = await sql(
      `SELECT shop, "syncVersion", "syncedVersion", "proxyPathPrefix" FROM "Program" ORDER BY shop`,
    );
    expect(rows).toEqual([
      { shop: "behind.myshopify.com", syncVersion: 6, syncedVersion: 4, proxyPathPrefix: null },
      { shop: "synced.myshopify.com", syncVersion: 4, syncedVersion: 3, proxyPathPrefix: null },
    ]);
  } finally {
    await database.destroy();
  }
});
