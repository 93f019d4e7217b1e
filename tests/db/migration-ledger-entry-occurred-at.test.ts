/**
 * The ledger_entry_occurred_at migration dates the entries already there:
 * when recorded, or an order's paid date where the order was credited long
 * after it was paid (a backfill); and it has the ledger rollups, built by the
 * recorded time, rebuilt by the new one.
 */
import { expect, it } from "vitest";
import { applyMigrations, readMigrations } from "~/db/migrations.server";
import { openScratchDatabase } from "../support/scratch-database";

it("fills occurredAt from the orders and drops the ledger rollups for a rebuild", async () => {
  const all = readMigrations();
  const index = all.findIndex((m) => m.name.endsWith("_ledger_entry_occurred_at"));
  expect(index).toBeGreaterThan(0);
  const database = await openScratchDatabase({ migrations: all.slice(0, index) });
  try {
    const sql = (text: string, values?: unknown[]) => database.sql.executeSql(text, values);
    const shop = "s.myshopify.com";
    await sql(
      `INSERT INTO "Member" (id, shop, "customerGid", "updatedAt") VALUES ('m1', '${shop}', 'c1', now())`,
    );
    await sql(`
      INSERT INTO "OrderRecord" (id, shop, "orderGid", "customerGid", "paidAt", "updatedAt") VALUES
        ('o1', '${shop}', 'gid://shopify/Order/1', 'c1', '2025-06-01T10:00:00Z', now()),
        ('o2', '${shop}', 'gid://shopify/Order/2', 'c1', '2026-12-01T09:59:30Z', now())`);
    await sql(`
      INSERT INTO "LedgerEntry" (shop, "memberId", kind, points, "balanceAfter", "pendingAfter", "sourceKey", "orderGid", "createdAt") VALUES
        ('${shop}', 'm1', 'EARN', 100, 100, 0, 'order:gid://shopify/Order/1:paid', 'gid://shopify/Order/1', '2026-12-01T10:00:00Z'),
        ('${shop}', 'm1', 'EARN', 50, 150, 0, 'order:gid://shopify/Order/2:paid', 'gid://shopify/Order/2', '2026-12-01T10:00:00Z'),
        ('${shop}', 'm1', 'ADJUST', 5, 155, 0, 'staff:1', NULL, '2026-12-02T08:00:00Z')`);
    await sql(
      `INSERT INTO "DashboardRollupState" (shop, "ledgerBuiltAt", "membersBuiltAt") VALUES ('${shop}', now(), now())`,
    );
    await sql(
      `INSERT INTO "LedgerFlowRollup" (shop, bucket, issued, redeemed, expired) VALUES ('${shop}', '2026-12-01T10:00:00Z', 155, 0, 0)`,
    );

    const session = {
      query: async <Row>(text: string, params?: unknown[]) => (await sql(text, params)).rows as Row[],
      exec: async (text: string) => void (await sql(text)),
    };
    await applyMigrations(session, all, { schema: database.schema });

    const { rows } = await sql(`SELECT "sourceKey", "occurredAt" FROM "LedgerEntry" ORDER BY id`);
    expect(rows).toEqual([
      // Backfilled: credited 18 months after it was paid.
      { sourceKey: "order:gid://shopify/Order/1:paid", occurredAt: new Date("2025-06-01T10:00:00Z") },
      // From orders/paid, seconds after: when recorded.
      { sourceKey: "order:gid://shopify/Order/2:paid", occurredAt: new Date("2026-12-01T10:00:00Z") },
      { sourceKey: "staff:1", occurredAt: new Date("2026-12-02T08:00:00Z") },
    ]);
    expect((await sql(`SELECT count(*)::int AS n FROM "LedgerFlowRollup"`)).rows).toEqual([{ n: 0 }]);
    expect((await sql(`SELECT count(*)::int AS n FROM "LedgerFlowChange"`)).rows).toEqual([{ n: 0 }]);
    expect(
      (
        await sql(
          `SELECT "ledgerBuiltAt" IS NULL AS ledger, "membersBuiltAt" IS NULL AS members FROM "DashboardRollupState"`,
        )
      ).rows,
    ).toEqual([{ ledger: true, members: false }]);
  } finally {
    await database.destroy();
  }
});
