/**
 * A backfill's staged orders (BackfillOrder): the paid orders of Shopify's
 * file, written as they are read, then taken back a group of customers at a
 * time, each customer's orders in file order, to be credited. Statements on
 * the transaction's own connection (sql-in-transaction.server.ts); every one
 * is scoped by shop and run.
 */
import type { PrismaClient } from "@prisma/client";
import type { Tx } from "./tx.server";
import { rowText } from "./row-text";
import type { SqlSession } from "./sql-in-transaction.server";

export interface StagedOrder {
  /** The customer's GID, or NO_CUSTOMER_PREFIX and the order's GID. */
  groupKey: string;
  line: number;
  /** order-snapshot-text.ts */
  snapshot: string;
}

/** Orders without a customer are groups of their own: no member links them. */
export const NO_CUSTOMER_PREFIX = "~";

const stagedRows = rowText<StagedOrder>({
  key: ["key", (o) => o.groupKey],
  line: ["int", (o) => o.line],
  snapshot: ["text", (o) => o.snapshot],
});

/** Writes read orders; an order already staged (a read resumed after its commit) is kept as it was. */
export async function stageOrders(
  sql: SqlSession,
  shop: string,
  runId: string,
  orders: readonly StagedOrder[],
): Promise<void> {
  if (orders.length === 0) return;
  await sql.query(
    `INSERT INTO "BackfillOrder" ("runId", shop, "groupKey", line, snapshot)
     SELECT $2, $1, v.key, v.line, v.snapshot FROM ${stagedRows.from(3, "v")}
     ON CONFLICT DO NOTHING`,
    [shop, runId, stagedRows.encode(orders)],
  );
}

/**
 * The next staged orders after group `after` (null: from the start), whole
 * groups only, in group then file order: about `limit` orders, more when one
 * customer alone has more.
 */
export async function nextStagedGroups(
  sql: SqlSession,
  shop: string,
  runId: string,
  after: string | null,
  limit: number,
): Promise<StagedOrder[]> {
  const read = (where: string, values: unknown[], limit = "") =>
    sql.query<StagedOrder>(
      `SELECT "groupKey", line, snapshot FROM "BackfillOrder"
        WHERE shop = $1 AND "runId" = $2 AND ${where}
        ORDER BY "groupKey", line ${limit}`,
      values,
    );
  // Two shapes, not `($3 IS NULL OR "groupKey" > $3)`: that one cannot start the index scan at
  // the cursor, and each batch would walk past every group credited before it.
  const rows =
    after === null
      ? await read(`true`, [shop, runId, limit], "LIMIT $3")
      : await read(`"groupKey" > $3`, [shop, runId, after, limit], "LIMIT $4");
  if (rows.length < limit) return rows;
  const last = rows.at(-1)!.groupKey;
  const whole = rows.filter((row) => row.groupKey !== last);
  // One customer with more orders than a batch: that customer alone.
  if (whole.length === 0) return read(`"groupKey" = $3`, [shop, runId, last]);
  return whole;
}

/** A run's staged orders, once it ended (completed, failed or cancelled). */
export async function dropStagedOrders(db: Tx, shop: string, runId: string): Promise<void> {
  await db.backfillOrder.deleteMany({ where: { shop, runId } });
}

/** customers/redact: the customer's staged orders (they hold the email and name) in the shop's runs. */
export async function dropStagedOrdersOf(db: Tx, shop: string, customerGid: string): Promise<void> {
  const runs = await db.backfillRun.findMany({ where: { shop }, select: { id: true } });
  if (runs.length === 0) return;
  await db.backfillOrder.deleteMany({
    where: { shop, runId: { in: runs.map((r) => r.id) }, groupKey: customerGid },
  });
}

/**
 * Fresh planner statistics once a file is staged. Without them (a new or
 * emptied table, autovacuum not yet come round) PostgreSQL takes the staged
 * rows for a handful and reads each batch by sorting every group after the
 * cursor (120 ms a batch at 100,000 rows left, against 3 ms by the index).
 */
export async function analyzeStagedOrders(db: PrismaClient): Promise<void> {
  await db.$executeRawUnsafe(`ANALYZE "BackfillOrder"`);
}
