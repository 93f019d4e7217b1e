/**
 * The member_order_stats migration fills the new columns from the orders
 * already recorded, so existing shops' customer lists sort correctly at once.
 */
import { expect, it } from "vitest";
import { applyMigrations, readMigrations } from "~/db/migrations.server";
import { openScratchDatabase } from "../support/scratch-database";

it("backfills each member's order count, spend less refunds and last order", async () => {
  const all = readMigrations();
  const index = all.findIndex((m) => m.name.endsWith("_member_order_stats"));
  expect(index).toBeGreaterThan(0);
  const database = await openScratchDatabase({ migrations: all.slice(0, index) });
  try {
    const sql = (text: string, values?: unknown[]) => database.sql.executeSql(text, values);
    await sql(
      `INSERT INTO "Member" (id, shop, "customerGid", "updatedAt") VALUES ('m1', 's.myshopify.com', 'c1', now()), ('m2', 's.myshopify.com', 'c2', now())`,
    );
    await sql(`
      INSERT INTO "OrderRecord" (id, shop, "orderGid", "customerGid", "paidAt", "merchandiseMilli", "cancelledAt", test, "updatedAt") VALUES
        ('o1', 's.myshopify.com', 'g1', 'c1', '2026-01-01', 100000, NULL, false, now()),
        ('o2', 's.myshopify.com', 'g2', 'c1', '2026-03-01', 50000, NULL, false, now()),
        ('o3', 's.myshopify.com', 'g3', 'c1', '2026-04-01', 999000, '2026-04-02', false, now()),
        ('o4', 's.myshopify.com', 'g4', 'c1', '2026-05-01', 999000, NULL, true, now())`);
    await sql(
      `INSERT INTO "OrderRefund" (id, shop, "refundGid", "orderId", "merchandiseMilli", "refundedAt") VALUES ('r1', 's.myshopify.com', 'rg1', 'o2', 20000, '2026-03-05')`,
    );

    const session = {
      query: async <Row>(text: string, params?: unknown[]) => (await sql(text, params)).rows as Row[],
      exec: async (text: string) => void (await sql(text)),
    };
    await applyMigrations(session, all, { schema: database.schema });

    const { rows } = await sql(
      `SELECT id, "orderCount", "totalSpentMilli"::text AS spent, "lastOrderAt" FROM "Member" ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: "m1", orderCount: 2, spent: "130000", lastOrderAt: new Date("2026-03-01T00:00:00Z") },
      { id: "m2", orderCount: 0, spent: "0", lastOrderAt: null },
    ]);
  } finally {
    await database.destroy();
  }
});
