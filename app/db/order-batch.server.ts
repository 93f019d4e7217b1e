/**
 * The statements of a backfill batch (app/services/orders/order-points-batch.server.ts):
 * each reads or writes the rows of many orders or members at once, their rows
 * going in as one parameter (row-text.ts); a batch of thousands of orders is a
 * handful of statements. They run as plain SQL on the batch's transaction
 * (sql-in-transaction.server.ts), so values come back as the drivers give
 * them: timestamps are read as epoch milliseconds and BigInt columns as text,
 * the same on node-postgres and PGlite. Every statement is scoped by shop.
 */
import { randomBytes } from "node:crypto";
import type { TierActivity } from "../loyalty/tiers";
import type { LineAmount } from "../loyalty/bonus-events";
import { lineAmountsJson, memberActivitySql, memberOrderStatsSql } from "./orders.server";
import { keyList, rowText } from "./row-text";
import type { SqlSession } from "./sql-in-transaction.server";

/** A list of keys as one parameter, for `= ANY(${LIST(n)})`. */
const LIST = (n: number) => `string_to_array($${n}, E'\\n')`;
/** A timestamp(3) column as epoch milliseconds (timestamps are stored as UTC). */
const MILLIS = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;
const dateOf = (millis: number | null) => (millis === null ? null : new Date(millis));

/** The orders of `orderGids` that have a record already (a webhook or an earlier run made it). */
export async function knownOrderGids(
  sql: SqlSession,
  shop: string,
  orderGids: string[],
): Promise<Set<string>> {
  if (orderGids.length === 0) return new Set();
  const rows = await sql.query<{ orderGid: string }>(
    `SELECT "orderGid" FROM "OrderRecord" WHERE shop = $1 AND "orderGid" = ANY(${LIST(2)})`,
    [shop, keyList(orderGids)],
  );
  return new Set(rows.map((row) => row.orderGid));
}

/** What the batch needs of a member, read under the member's row lock. */
export interface LockedMember {
  id: string;
  customerGid: string;
  balance: number;
  pending: number;
  tierKey: string | null;
  tierHeldUntil: Date | null;
  tierChangedAt: Date | null;
  /** The customer's tags as stored (exclusions). */
  tags: string[];
}

/** Locks the existing members of these customers until the transaction ends. */
export async function lockMembersOf(
  sql: SqlSession,
  shop: string,
  customerGids: string[],
): Promise<LockedMember[]> {
  if (customerGids.length === 0) return [];
  const rows = await sql.query<
    Omit<LockedMember, "tierHeldUntil" | "tierChangedAt"> & {
      heldUntil: number | null;
      changedAt: number | null;
    }
  >(
    `SELECT id, "customerGid", balance, pending, "tierKey", tags, ${MILLIS(`"tierHeldUntil"`)} AS "heldUntil",
            ${MILLIS(`"tierChangedAt"`)} AS "changedAt"
       FROM "Member"
      WHERE shop = $1 AND "customerGid" = ANY(${LIST(2)})
        FOR UPDATE`,
    [shop, keyList(customerGids)],
  );
  return rows.map(({ heldUntil, changedAt, ...row }) => ({
    ...row,
    tierHeldUntil: dateOf(heldUntil),
    tierChangedAt: dateOf(changedAt),
  }));
}

/** What each customer's tier is measured on since `since` (memberActivitySql). */
export async function tierActivityOf(
  sql: SqlSession,
  shop: string,
  customerGids: string[],
  since: Date,
): Promise<Map<string, TierActivity>> {
  if (customerGids.length === 0) return new Map();
  const rows = await sql.query<{ customerGid: string; spend: string; points: string; orders: string }>(
    `SELECT c.gid AS "customerGid", a.spend::text AS spend, a.points::text AS points, a.orders::text AS orders
       FROM unnest(${LIST(2)}) AS c(gid)
      CROSS JOIN LATERAL (${memberActivitySql("c.gid")}) a`,
    [shop, keyList(customerGids), since.toISOString()],
  );
  return new Map(
    rows.map((row) => [
      row.customerGid,
      { spend: BigInt(row.spend), points: BigInt(row.points), orders: BigInt(row.orders) },
    ]),
  );
}

/**
 * Statements after this one give up after a short wait for a row lock instead
 * of waiting their turn: a webhook that holds an order the batch is about to
 * insert may be waiting for a member the batch holds. The batch then rolls
 * back and is retried (isBatchConflict), and the webhook goes first.
 */
export async function failFastOnLocks(sql: SqlSession): Promise<void> {
  await sql.query(`SET LOCAL lock_timeout = '250ms'`);
}

/**
 * Waits for the shop's other order batches of this kind to commit, and holds
 * the turn until this transaction ends: two batches never both take a
 * customer for new and collide on the member's insert.
 */
export async function takeShopBatchTurn(sql: SqlSession, shop: string): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text AS locked`, [
    `regulars:paid-orders:${shop}`,
  ]);
}

/** A member's state after the batch; for a new member, its whole row. */
export interface MemberWrite {
  id: string;
  customerGid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  balance: number;
  pending: number;
  /** Changes Shopify must learn (syncVersion is raised by as many). */
  bumps: number;
  /** Earning activity at (restarts the expiry clock), or null for none. */
  activityAt: Date | null;
  tierKey: string | null;
  tierHeldUntil: Date | null;
  tierChangedAt: Date | null;
  /** The customer's tags as the batch's orders carried them; null: they did not say (kept). */
  tags: string[] | null;
}

const memberRows = rowText<MemberWrite>({
  id: ["key", (m) => m.id],
  gid: ["key", (m) => m.customerGid],
  email: ["text", (m) => m.email],
  first: ["text", (m) => m.firstName],
  last: ["text", (m) => m.lastName],
  balance: ["int", (m) => m.balance],
  pending: ["int", (m) => m.pending],
  bumps: ["int", (m) => m.bumps],
  activity: ["time", (m) => m.activityAt],
  tier: ["text", (m) => m.tierKey],
  held: ["time", (m) => m.tierHeldUntil],
  changed: ["time", (m) => m.tierChangedAt],
  tags_known: ["bool", (m) => m.tags !== null],
  tags: ["texts", (m) => m.tags ?? []],
});

/**
 * Inserts members first seen in the batch, with their order figures
 * (memberOrderStatsSql) from the batch's orders, inserted before them;
 * returns how many were inserted (a webhook may have been first).
 */
export async function insertMembers(
  sql: SqlSession,
  shop: string,
  rows: readonly MemberWrite[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await sql.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO "Member" (id, shop, "customerGid", email, "firstName", "lastName", balance, pending,
                             "syncVersion", "lastActivityAt", "tierKey", "tierHeldUntil", "tierChangedAt",
                             "orderCount", "totalSpentMilli", "lastOrderAt", tags, "updatedAt")
       SELECT v.id, $1, v.gid, v.email, v.first, v.last, v.balance, v.pending, v.bumps, v.activity, v.tier,
              v.held, v.changed, s.orders, s.spent, s.last_order, v.tags, now()
         FROM ${memberRows.from(2, "v")}
        CROSS JOIN LATERAL (${memberOrderStatsSql("$1", "v.gid")}) s
       ON CONFLICT (shop, "customerGid") DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [shop, memberRows.encode(rows)],
  );
  return inserted[0]?.n ?? 0;
}

/**
 * Writes the state of members locked by lockMembersOf, their order figures
 * recomputed (memberOrderStatsSql) once the batch's orders are in; a known
 * field is never erased.
 */
export async function updateMembers(
  sql: SqlSession,
  shop: string,
  rows: readonly MemberWrite[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `UPDATE "Member" m
        SET email = COALESCE(v.email, m.email),
            "firstName" = COALESCE(v.first, m."firstName"),
            "lastName" = COALESCE(v.last, m."lastName"),
            balance = v.balance, pending = v.pending,
            "syncVersion" = m."syncVersion" + v.bumps,
            "lastActivityAt" = COALESCE(v.activity, m."lastActivityAt"),
            "expiryWarnedAt" = CASE WHEN v.activity IS NULL THEN m."expiryWarnedAt" END,
            "tierKey" = v.tier, "tierHeldUntil" = v.held, "tierChangedAt" = v.changed,
            tags = CASE WHEN v.tags_known THEN v.tags ELSE m.tags END,
            ("orderCount", "totalSpentMilli", "lastOrderAt") =
              (SELECT s.orders, s.spent, s.last_order FROM (${memberOrderStatsSql("$1", `m."customerGid"`)}) s),
            "updatedAt" = now()
       FROM ${memberRows.from(2, "v")}
      WHERE m.shop = $1 AND m.id = v.id`,
    [shop, memberRows.encode(rows)],
  );
}

/** A new order record with its facts and, when it earns, its award. */
export interface OrderRecordWrite {
  id: string;
  orderGid: string;
  customerGid: string | null;
  /** "#1001", Shopify's source_name, and a guest order's email (OrderRecord's columns). */
  name: string | null;
  sourceName: string | null;
  guestEmail: string | null;
  /** The keyed hash of where it ships (app/services/referrals/address-hash.server.ts); null: none. */
  shippingAddressHash: string | null;
  /** A company placed it. */
  b2b: boolean;
  currency: string;
  test: boolean;
  taxesIncluded: boolean;
  snapshotAt: Date;
  merchandiseMilli: bigint;
  giftCardsMilli: bigint;
  shippingMilli: bigint;
  taxMilli: bigint;
  shippingTaxMilli: bigint;
  tipsMilli: bigint;
  paidAt: Date;
  cancelledAt: Date | null;
  discountCodes: string[];
  /** The lines as ordered (null: the snapshot did not list them). */
  lineAmounts: readonly LineAmount[] | null;
  award: {
    awardedAt: Date;
    rateE4: number;
    multiplierE4: number;
    includeShipping: boolean;
    includeTax: boolean;
    includeTips: boolean;
    includeGiftCards: boolean;
    releaseAt: Date | null;
    releasedAt: Date | null;
    bonusEventId: string | null;
    eventMultiplierE4: number;
    eventFixedPoints: number;
    eventBaseMilli: bigint;
    eventQualifyingMilli: bigint;
    eventLinesMilli: bigint;
    eventPoints: number;
    netEligibleMilli: bigint;
    points: number;
    pendingPoints: number;
  } | null;
}

const orderRows = rowText<OrderRecordWrite>({
  id: ["key", (r) => r.id],
  gid: ["key", (r) => r.orderGid],
  customer: ["key", (r) => r.customerGid],
  name: ["text", (r) => r.name],
  source: ["text", (r) => r.sourceName],
  guest_email: ["text", (r) => r.guestEmail],
  ship_addr: ["text", (r) => r.shippingAddressHash],
  b2b: ["bool", (r) => r.b2b],
  currency: ["text", (r) => r.currency],
  test: ["bool", (r) => r.test],
  taxes: ["bool", (r) => r.taxesIncluded],
  snapshot: ["time", (r) => r.snapshotAt],
  merch: ["bigint", (r) => r.merchandiseMilli],
  gift: ["bigint", (r) => r.giftCardsMilli],
  ship: ["bigint", (r) => r.shippingMilli],
  tax: ["bigint", (r) => r.taxMilli],
  ship_tax: ["bigint", (r) => r.shippingTaxMilli],
  tips: ["bigint", (r) => r.tipsMilli],
  paid: ["time", (r) => r.paidAt],
  cancelled: ["time", (r) => r.cancelledAt],
  codes: ["texts", (r) => r.discountCodes],
  awarded: ["time", (r) => r.award?.awardedAt ?? null],
  rate: ["int", (r) => r.award?.rateE4 ?? null],
  mult: ["int", (r) => r.award?.multiplierE4 ?? null],
  inc_ship: ["bool", (r) => r.award?.includeShipping ?? false],
  inc_tax: ["bool", (r) => r.award?.includeTax ?? false],
  inc_tips: ["bool", (r) => r.award?.includeTips ?? false],
  inc_gift: ["bool", (r) => r.award?.includeGiftCards ?? false],
  release_at: ["time", (r) => r.award?.releaseAt ?? null],
  released: ["time", (r) => r.award?.releasedAt ?? null],
  net: ["bigint", (r) => r.award?.netEligibleMilli ?? 0n],
  points: ["int", (r) => r.award?.points ?? 0],
  pending: ["int", (r) => r.award?.pendingPoints ?? 0],
  event: ["key", (r) => r.award?.bonusEventId ?? null],
  event_mult: ["int", (r) => r.award?.eventMultiplierE4 ?? 10_000],
  event_fixed: ["int", (r) => r.award?.eventFixedPoints ?? 0],
  event_base: ["bigint", (r) => r.award?.eventBaseMilli ?? 0n],
  event_points: ["int", (r) => r.award?.eventPoints ?? 0],
  event_qualifying: ["bigint", (r) => r.award?.eventQualifyingMilli ?? 0n],
  event_lines: ["bigint", (r) => r.award?.eventLinesMilli ?? 0n],
  // JSON text, read back as jsonb.
  line_amounts: ["text", (r) => (r.lineAmounts ? JSON.stringify(lineAmountsJson(r.lineAmounts)) : null)],
});

/** Inserts the records of orders Regulars has never seen; returns how many were inserted. */
export async function insertOrderRecords(
  sql: SqlSession,
  shop: string,
  rows: readonly OrderRecordWrite[],
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await sql.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO "OrderRecord" (id, shop, "orderGid", "customerGid", name, "sourceName", "guestEmail",
                                  "shippingAddressHash", b2b,
                                  currency, test, "taxesIncluded",
                                  "snapshotAt", "merchandiseMilli", "giftCardsMilli", "shippingMilli", "taxMilli",
                                  "shippingTaxMilli", "tipsMilli", "paidAt", "cancelledAt", "discountCodes",
                                  "awardedAt", "rateE4", "multiplierE4", "includeShipping", "includeTax",
                                  "includeTips", "includeGiftCards", "releaseAt", "releasedAt", "netEligibleMilli",
                                  points, "pendingPoints", "bonusEventId", "eventMultiplierE4",
                                  "eventFixedPoints", "eventBaseMilli", "eventPoints", "eventQualifyingMilli",
                                  "eventLinesMilli", "lineAmounts", "updatedAt")
       SELECT v.id, $1, v.gid, v.customer, v.name, v.source, v.guest_email, v.ship_addr, v.b2b, v.currency, v.test, v.taxes, v.snapshot, v.merch, v.gift, v.ship,
              v.tax, v.ship_tax, v.tips, v.paid, v.cancelled, v.codes, v.awarded, v.rate, v.mult, v.inc_ship, v.inc_tax,
              v.inc_tips, v.inc_gift, v.release_at, v.released, v.net, v.points, v.pending, v.event, v.event_mult,
              v.event_fixed, v.event_base, v.event_points, v.event_qualifying, v.event_lines,
              v.line_amounts::jsonb, $3::timestamp(3)
         FROM ${orderRows.from(2, "v")}
       ON CONFLICT (shop, "orderGid") DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [shop, orderRows.encode(rows), now.toISOString()],
  );
  return inserted[0]?.n ?? 0;
}

export interface RefundWrite {
  orderId: string;
  refundGid: string;
  refundedAt: Date;
  merchandiseMilli: bigint;
  giftCardsMilli: bigint;
  shippingMilli: bigint;
  taxMilli: bigint;
  shippingTaxMilli: bigint;
  tipsMilli: bigint;
  byAmountMilli: bigint;
}

const refundRows = rowText<RefundWrite>({
  id: ["key", () => sequentialId("rfd")],
  gid: ["key", (r) => r.refundGid],
  order_id: ["key", (r) => r.orderId],
  merch: ["bigint", (r) => r.merchandiseMilli],
  gift: ["bigint", (r) => r.giftCardsMilli],
  ship: ["bigint", (r) => r.shippingMilli],
  tax: ["bigint", (r) => r.taxMilli],
  ship_tax: ["bigint", (r) => r.shippingTaxMilli],
  tips: ["bigint", (r) => r.tipsMilli],
  by_amount: ["bigint", (r) => r.byAmountMilli],
  at: ["time", (r) => r.refundedAt],
});

export async function insertRefunds(
  sql: SqlSession,
  shop: string,
  rows: readonly RefundWrite[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO "OrderRefund" (id, shop, "refundGid", "orderId", "merchandiseMilli", "giftCardsMilli",
                                "shippingMilli", "taxMilli", "shippingTaxMilli", "tipsMilli", "byAmountMilli",
                                "refundedAt")
     SELECT v.id, $1, v.gid, v.order_id, v.merch, v.gift, v.ship, v.tax, v.ship_tax, v.tips, v.by_amount, v.at
       FROM ${refundRows.from(2, "v")}
     ON CONFLICT (shop, "refundGid") DO NOTHING`,
    [shop, refundRows.encode(rows)],
  );
}

export interface EarnEntryWrite {
  memberId: string;
  points: number;
  pendingPoints: number;
  balanceAfter: number;
  pendingAfter: number;
  sourceKey: string;
  orderGid: string;
  rateE4: number;
  multiplierE4: number;
  /** When it happened: a backfilled order's paid date (entryOccurredAt); null: when recorded. */
  occurredAt: Date | null;
}

const entryRows = rowText<EarnEntryWrite>({
  member: ["key", (r) => r.memberId],
  points: ["int", (r) => r.points],
  pending: ["int", (r) => r.pendingPoints],
  balance: ["int", (r) => r.balanceAfter],
  pending_after: ["int", (r) => r.pendingAfter],
  key: ["key", (r) => r.sourceKey],
  order_gid: ["key", (r) => r.orderGid],
  rate: ["int", (r) => r.rateE4],
  mult: ["int", (r) => r.multiplierE4],
  occurred: ["time", (r) => r.occurredAt],
});

/** EARN entries, given ids in the order of `rows` (a member's balanceAfter rises with the id). */
export async function insertEarnEntries(
  sql: SqlSession,
  shop: string,
  rows: readonly EarnEntryWrite[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(
    `INSERT INTO "LedgerEntry" (shop, "memberId", kind, points, "pendingPoints", "balanceAfter", "pendingAfter",
                                "sourceKey", "orderGid", "rateE4", "multiplierE4", "occurredAt")
     SELECT $1, v.member, 'EARN'::"LedgerKind", v.points, v.pending, v.balance, v.pending_after, v.key,
            v.order_gid, v.rate, v.mult, COALESCE(v.occurred, CURRENT_TIMESTAMP)
       FROM ${entryRows.from(2, "v")}
      ORDER BY v.n`,
    [shop, entryRows.encode(rows)],
  );
}

/** Flow events of one trigger, each once per dedupe key. */
export async function insertFlowEvents(
  sql: SqlSession,
  shop: string,
  trigger: string,
  events: readonly { dedupeKey: string; payload: object }[],
): Promise<void> {
  if (events.length === 0) return;
  const document = JSON.stringify(
    events.map((e) => ({ id: sequentialId("flw"), key: e.dedupeKey, payload: e.payload })),
  );
  await sql.query(
    `INSERT INTO "FlowEvent" (id, shop, trigger, "dedupeKey", payload)
     SELECT v.id, $1, $2, v.key, v.payload
       FROM json_to_recordset($3::json) AS v(id text, key text, payload jsonb)
     ON CONFLICT (shop, "dedupeKey") DO NOTHING`,
    [shop, trigger, document],
  );
}

const processKey = randomBytes(5).toString("hex");
let sequence = 0;

/**
 * A new row id that sorts after the ones this process made before it (time,
 * then a counter, then this process's random key): inserts go to the right
 * edge of the primary key's index instead of anywhere in it.
 */
export function sequentialId(kind: string): string {
  sequence = (sequence + 1) % 0x1000000;
  return `${kind}_${Date.now().toString(36)}${sequence.toString(36).padStart(5, "0")}${processKey}`;
}
