/**
 * The data_requests_for_the_merchant migration: requests recorded before it were never shown to
 * anyone, so they all wait for the merchant now; a customer's repeated copies (each delivery used
 * to add one) become one, the earliest, whose 30 days started first.
 */
import { expect, it } from "vitest";
import { applyMigrations, readMigrations } from "~/db/migrations.server";
import { openScratchDatabase } from "../support/scratch-database";

it("every customer's earliest request waits; later copies go; other shops keep theirs", async () => {
  const all = readMigrations();
  const index = all.findIndex((m) => m.name.endsWith("_data_requests_for_the_merchant"));
  expect(index).toBeGreaterThan(0);
  const database = await openScratchDatabase({ migrations: all.slice(0, index) });
  try {
    const sql = (text: string, values?: unknown[]) => database.sql.executeSql(text, values);
    await sql(`
      INSERT INTO "DataRequest" (id, shop, "customerGid", "requestedAt", data) VALUES
        ('r1', 'a.myshopify.com', 'c1', '2026-11-01', '{}'),
        ('r2', 'a.myshopify.com', 'c1', '2026-11-01 00:00:05', '{}'),
        ('r3', 'a.myshopify.com', 'c2', '2026-11-03', '{}'),
        ('r4', 'b.myshopify.com', 'c1', '2026-11-02', '{}')`);
    const session = {
      query: async <Row>(text: string, params?: unknown[]) => (await sql(text, params)).rows as Row[],
      exec: async (text: string) => void (await sql(text)),
    };
    await applyMigrations(session, all, { schema: database.schema });
    const { rows } = await sql(`SELECT id, shop, "waitingFor", "deliveredAt" FROM "DataRequest" ORDER BY id`);
    expect(rows).toEqual([
      { id: "r1", shop: "a.myshopify.com", waitingFor: "c1", deliveredAt: null },
      { id: "r3", shop: "a.myshopify.com", waitingFor: "c2", deliveredAt: null },
      { id: "r4", shop: "b.myshopify.com", waitingFor: "c1", deliveredAt: null },
    ]);
  } finally {
    await database.destroy();
  }
});
