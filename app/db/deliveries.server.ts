/**
 * The webhook delivery log, which is also the inbox: one row per
 * X-Shopify-Webhook-Id and shop. The route stores a delivery with its body
 * (`receiveDelivery`, one statement); workers claim due rows
 * (`claimDeliveries`), apply them and record the outcome, clearing the body.
 * When a delivery is due is on the database's clock (CURRENT_TIMESTAMP),
 * never a process's, so workers on several machines agree.
 *
 * A worker holds what it claims under a lease (`holdingDeliveries`): a short
 * one (app/jobs/lease.ts), renewed by a heartbeat while the worker lives, so
 * the deliveries of a worker that died come due again within seconds. Each
 * claim writes its token on its rows; inside `holdingDeliveries` the
 * heartbeat renews only the rows that carry its token, and recording an
 * outcome or a retry only touches them, so a worker that stalled past its
 * lease, whose rows another worker took, neither keeps them nor overwrites
 * what the other recorded. Applying a delivery twice is harmless: effects
 * are idempotent on their keys, as Shopify's own duplicates already require
 * (https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates).
 * docs/decisions/0014-short-leases-with-a-heartbeat.md.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { HEARTBEAT_MS, withHeartbeat } from "../jobs/lease";
import { sqlOf } from "./connect.server";
import { rowText } from "./row-text";
import type { SqlSession } from "./sql-in-transaction.server";
import type { Tx } from "./tx.server";
import { storedText } from "./stored-text";

/**
 * received: in the inbox, to apply; unconfirmed: for a shop whose
 * installation is not confirmed yet (held, not applied: see
 * releaseHeldDeliveries); processed / ignored: applied; failed: a dead letter
 * (its body kept, with the reason, for the admin's Retry).
 */
export type DeliveryOutcome = "received" | "unconfirmed" | "processed" | "ignored" | "failed";

/** The detail of a dead letter whose body is not JSON (such a body is never cast to jsonb). */
export const NOT_JSON = "the body is not JSON";

export interface DeliveryHeaders {
  webhookId: string;
  topic: string;
  eventId?: string;
  apiVersion?: string;
  triggeredAt?: Date;
}

/** A delivery taken from the inbox by one worker, until its lease ends. */
export interface ClaimedDelivery extends DeliveryHeaders {
  id: string;
  shop: string;
  payload: string;
  applyAttempts: number;
  receivedAt: Date;
}

/** A delivery as received: its shop, Shopify's headers and the body. */
export interface ReceivedDelivery extends DeliveryHeaders {
  shop: string;
  payload: string;
}

/** What storing a delivery did. */
export interface StoredDelivery {
  /** This copy left work to do (new, or a dead letter given a fresh chance). */
  stored: boolean;
  /** The row's state after this copy: received (to apply), unconfirmed (held), failed, or applied. */
  outcome: DeliveryOutcome;
}

/**
 * Stores a delivery in the inbox, or counts a copy of one already stored.
 * A new delivery is `received` when its shop's installation is confirmed
 * (the shop has installed the app: a token exchange recorded it), else
 * `unconfirmed`, held until it is (releaseHeldDeliveries). A copy of a delivery that
 * gave up puts it back in the inbox; a copy of one applied or waiting
 * changes nothing else. `stored` is true when this copy left work to do.
 */
export async function receiveDelivery(
  db: PrismaClient,
  shop: string,
  delivery: DeliveryHeaders,
  payload: string,
): Promise<StoredDelivery> {
  const [result] = await receiveDeliveries(db, [{ ...delivery, shop, payload }]);
  return result!;
}

/**
 * receiveDelivery for several deliveries in one statement (and one commit),
 * each answered as if it had been received alone, in the order given: copies
 * of one delivery in the list count as copies received one after the other
 * (the first may be stored, the others are not). Copies of a failed delivery
 * in two statements at once may both say stored (each read the row as
 * failed before the other put it back); the row is put back once.
 */
export async function receiveDeliveries(
  db: PrismaClient,
  deliveries: ReceivedDelivery[],
): Promise<StoredDelivery[]> {
  // One row per delivery (ON CONFLICT may touch a row once per statement), with its number of copies.
  const keys = deliveries.map((d) => deliveryKey(d.shop, d.webhookId));
  const firsts = new Map<string, { delivery: ReceivedDelivery; copies: number }>();
  for (const [i, delivery] of deliveries.entries()) {
    const key = keys[i]!;
    const seen = firsts.get(key);
    if (seen) seen.copies++;
    else firsts.set(key, { delivery, copies: 1 });
  }
  const values: unknown[] = [];
  const rows: string[] = [];
  for (const { delivery, copies } of firsts.values()) {
    const n = values.length;
    rows.push(
      `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}::timestamptz AT TIME ZONE 'UTC', $${n + 8}, $${n + 9}::int)`,
    );
    values.push(
      `dlv_${crypto.randomUUID()}`,
      delivery.shop,
      delivery.webhookId,
      delivery.topic,
      delivery.eventId ?? null,
      delivery.apiVersion ?? null,
      // UTC wall time, as Prisma stores DateTime (node-postgres would send local time).
      delivery.triggeredAt?.toISOString() ?? null,
      delivery.payload,
      copies,
    );
  }
  const { rows: results } = await sqlOf(db).executeSql(
    `WITH input (id, shop, "webhookId", topic, "eventId", "apiVersion", "triggeredAt", payload, copies) AS (
       VALUES ${rows.join(",\n              ")}
     ), earlier AS (
       SELECT d.shop, d."webhookId", d.outcome
         FROM "WebhookDelivery" d JOIN input i ON d.shop = i.shop AND d."webhookId" = i."webhookId"
     )
     INSERT INTO "WebhookDelivery"
       (id, shop, "webhookId", topic, "eventId", "apiVersion", "triggeredAt", payload, attempts, outcome)
     SELECT id, shop, "webhookId", topic, "eventId", "apiVersion", "triggeredAt", payload, copies,
            CASE WHEN EXISTS (SELECT 1 FROM "Shop" s WHERE s.domain = input.shop AND s."installedAt" IS NOT NULL)
                 THEN 'received'
                 ELSE 'unconfirmed' END
       FROM input
     ON CONFLICT (shop, "webhookId") DO UPDATE SET
       attempts = "WebhookDelivery".attempts + EXCLUDED.attempts,
       payload = CASE WHEN "WebhookDelivery".outcome IN ('received', 'failed', 'unconfirmed')
                      THEN COALESCE("WebhookDelivery".payload, EXCLUDED.payload) END,
       outcome = CASE WHEN "WebhookDelivery".outcome = 'failed' THEN 'received'
                      ELSE "WebhookDelivery".outcome END,
       "applyAttempts" = CASE WHEN "WebhookDelivery".outcome = 'failed' THEN 0
                              ELSE "WebhookDelivery"."applyAttempts" END,
       "applyAfter" = CASE WHEN "WebhookDelivery".outcome = 'failed' THEN CURRENT_TIMESTAMP
                           ELSE "WebhookDelivery"."applyAfter" END
     RETURNING shop, "webhookId", outcome,
       (SELECT e.outcome FROM earlier e
         WHERE e.shop = "WebhookDelivery".shop AND e."webhookId" = "WebhookDelivery"."webhookId") AS previous,
       (xmax = 0) AS inserted`,
    values,
  );
  const outcomes = new Map<string, StoredDelivery>();
  for (const row of results as {
    shop: string;
    webhookId: string;
    outcome: DeliveryOutcome;
    previous: DeliveryOutcome | null;
    inserted: boolean;
  }[]) {
    // A copy racing the first insert sees no earlier row (previous is null): the first one holds the work.
    outcomes.set(deliveryKey(row.shop, row.webhookId), {
      stored: row.inserted || row.previous === "failed",
      outcome: row.outcome,
    });
  }
  // Only a delivery's first copy in the list may be the stored one.
  return keys.map((key, i) => {
    const row = outcomes.get(key)!;
    return { stored: keys.indexOf(key) === i && row.stored, outcome: row.outcome };
  });
}

const deliveryKey = (shop: string, webhookId: string) => JSON.stringify([shop, webhookId]);

/** The claims of one `holdingDeliveries` call: its token, its lease, the rows it still holds. */
interface DeliveryLease {
  token: string;
  leaseMs: number;
  held: Set<string>;
}

const leases = new AsyncLocalStorage<DeliveryLease>();

/**
 * Runs `work` (which claims deliveries and applies them: applyInboxBatch)
 * holding what it claims: its claims carry one token, a heartbeat renews
 * their lease every `heartbeatMs` while `work` runs, and the outcomes and
 * retries it records apply only to rows that still carry the token. When
 * `work` ends, rows it left unfinished keep the rest of their lease, then
 * come due again.
 */
export function holdingDeliveries<T>(
  db: PrismaClient,
  work: () => Promise<T>,
  heartbeatMs: number = HEARTBEAT_MS,
): Promise<T> {
  const lease: DeliveryLease = { token: `lease_${randomUUID()}`, leaseMs: 0, held: new Set() };
  return leases.run(lease, () => withHeartbeat(() => renewDeliveries(db, lease), work, heartbeatMs));
}

/**
 * The heartbeat: one statement for every row the lease holds that is still
 * waiting (finished rows, rows given back for a later retry and rows another
 * worker took after this one stalled no longer match). Rows locked at that
 * moment (being finished by this worker's own transaction) are skipped, not
 * waited for: waiting could deadlock with that transaction.
 */
async function renewDeliveries(db: PrismaClient, lease: DeliveryLease): Promise<void> {
  if (lease.held.size === 0) return;
  await sqlOf(db).executeSql(
    `UPDATE "WebhookDelivery" AS d
        SET "applyAfter" = CURRENT_TIMESTAMP + $3 * interval '1 millisecond'
       FROM (SELECT id FROM "WebhookDelivery"
              WHERE id = ANY($1::text[]) AND "claimToken" = $2 AND outcome = 'received'
              FOR UPDATE SKIP LOCKED) AS held
      WHERE d.id = held.id`,
    [[...lease.held], lease.token, lease.leaseMs],
  );
}

/** The token a row must carry to be finished here: the lease's inside holdingDeliveries, none outside. */
const heldToken = (): string | null => leases.getStore()?.token ?? null;

/**
 * Takes up to `limit` due deliveries from the inbox (of one shop, or of every
 * shop for a worker), oldest due first, and leases them for `leaseMs`: a
 * worker that dies holding them lets them come due again when the lease ends.
 * Concurrent claims never take the same row (SKIP LOCKED). Inside
 * holdingDeliveries the rows get its token and its heartbeat; outside, a
 * token of their own (which still ends any earlier holder's claim).
 */
export async function claimDeliveries(
  db: PrismaClient,
  input: { shop?: string; limit: number; leaseMs: number },
): Promise<ClaimedDelivery[]> {
  const lease = leases.getStore();
  const token = lease?.token ?? `claim_${randomUUID()}`;
  if (lease) lease.leaseMs = input.leaseMs;
  const rows = await db.$queryRaw<
    (Omit<ClaimedDelivery, "eventId" | "apiVersion" | "triggeredAt"> & {
      eventId: string | null;
      apiVersion: string | null;
      triggeredAt: Date | null;
    })[]
  >`
    UPDATE "WebhookDelivery" AS d
    SET "applyAfter" = CURRENT_TIMESTAMP + ${input.leaseMs} * interval '1 millisecond',
        "applyAttempts" = d."applyAttempts" + 1,
        "claimToken" = ${token}
    FROM (
      SELECT id FROM "WebhookDelivery"
      WHERE outcome = 'received' AND payload IS NOT NULL AND "applyAfter" <= CURRENT_TIMESTAMP
        AND (${input.shop ?? null}::text IS NULL OR shop = ${input.shop ?? null})
      ORDER BY "applyAfter"
      LIMIT ${input.limit}
      FOR UPDATE SKIP LOCKED
    ) AS due
    WHERE d.id = due.id
    RETURNING d.id, d.shop, d."webhookId", d.topic, d."eventId", d."apiVersion", d."triggeredAt",
              d.payload, d."applyAttempts", d."receivedAt"`;
  for (const row of rows) lease?.held.add(row.id);
  return rows
    .map((row) => ({
      ...row,
      eventId: row.eventId ?? undefined,
      apiVersion: row.apiVersion ?? undefined,
      triggeredAt: row.triggeredAt ?? undefined,
    }))
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

/**
 * Records what applying a delivery did; an applied delivery's body is
 * cleared. Inside holdingDeliveries, only if this worker still holds it.
 */
export async function finishDelivery(
  db: PrismaClient,
  shop: string,
  id: string,
  outcome: Exclude<DeliveryOutcome, "received">,
  detail: string | null,
  at: Date,
): Promise<void> {
  const token = heldToken();
  await db.webhookDelivery.updateMany({
    where: { shop, id, ...(token ? { claimToken: token } : {}) },
    data: {
      outcome,
      detail: detail === null ? null : storedText(detail),
      processedAt: at,
      ...(outcome === "failed" ? {} : { payload: null }),
    },
  });
}

/**
 * finishDelivery for many deliveries of a shop at once, applied (processed or
 * ignored), in the transaction of `sql` that applied them. Inside
 * holdingDeliveries, only the rows this worker still holds: the changes of
 * one it lost are idempotent on their keys, so the worker that took it over
 * finds them made and records its own outcome.
 */
export async function finishAppliedDeliveries(
  sql: SqlSession,
  shop: string,
  rows: readonly AppliedDelivery[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const token = heldToken();
  await sql.query(
    `UPDATE "WebhookDelivery" AS d
        SET outcome = v.outcome, detail = v.detail, payload = NULL,
            "processedAt" = $3::timestamptz AT TIME ZONE 'UTC'
       FROM ${appliedRows.from(2, "v")}
      WHERE d.shop = $1 AND d.id = v.id AND ($4::text IS NULL OR d."claimToken" = $4)`,
    [shop, appliedRows.encode(rows), at.toISOString(), token],
  );
}

interface AppliedDelivery {
  id: string;
  outcome: "processed" | "ignored";
  detail: string | null;
}

const appliedRows = rowText<AppliedDelivery>({
  id: ["key", (r) => r.id],
  outcome: ["key", (r) => r.outcome],
  detail: ["text", (r) => (r.detail === null ? null : storedText(r.detail))],
});

/**
 * A try that failed: the delivery stays in the inbox and comes due again in
 * `delayMs`, claimed by nobody. Inside holdingDeliveries, only if this worker
 * still holds it (a worker that lost it must not push back the lease of the
 * one that took it).
 */
export async function deferDelivery(
  db: PrismaClient,
  shop: string,
  id: string,
  detail: string,
  delayMs: number,
): Promise<void> {
  const token = heldToken();
  await db.$executeRaw`
    UPDATE "WebhookDelivery"
    SET detail = ${storedText(detail)},
        "applyAfter" = CURRENT_TIMESTAMP + ${delayMs} * interval '1 millisecond',
        "claimToken" = NULL
    WHERE shop = ${shop} AND id = ${id} AND outcome = 'received'
      AND (${token}::text IS NULL OR "claimToken" = ${token})`;
}

/** Puts a delivery that gave up back in the inbox (the admin's retry); false if there is none. */
export async function retryFailedDelivery(db: PrismaClient, shop: string, id: string) {
  const count = await db.$executeRaw`
    UPDATE "WebhookDelivery"
    SET outcome = 'received', "applyAttempts" = 0, "applyAfter" = CURRENT_TIMESTAMP, "processedAt" = NULL
    WHERE shop = ${shop} AND id = ${id} AND outcome = 'failed' AND payload IS NOT NULL`;
  return count === 1;
}

/**
 * customers/redact: deliveries about the customer that were not applied
 * (waiting, or given up) lose their body, which holds the customer's data,
 * and are marked ignored so they never recreate the member.
 */
export async function dropUnappliedDeliveriesOf(
  db: Tx,
  shop: string,
  customerId: string,
  at: Date,
): Promise<number> {
  return db.$executeRaw`
    UPDATE "WebhookDelivery"
    SET payload = NULL, outcome = 'ignored', "processedAt" = ${at},
        detail = 'the customer was redacted before this delivery was applied'
    WHERE shop = ${shop} AND payload IS NOT NULL AND outcome IN ('received', 'failed', 'unconfirmed')
      AND topic <> 'CUSTOMERS_REDACT'
      AND CASE
            -- A dead letter that is not JSON cannot say whose it is (nor be cast): it goes.
            WHEN outcome = 'failed' AND detail LIKE ${NOT_JSON + "%"} THEN true
            ELSE payload::jsonb #>> '{customer,id}' = ${customerId}
                 OR (topic IN ('CUSTOMERS_CREATE', 'CUSTOMERS_UPDATE') AND payload::jsonb ->> 'id' = ${customerId})
          END`;
}

/**
 * A shop's installation is confirmed (its first token exchange): the
 * deliveries held for it until then go to the inbox, to be applied in the
 * order they arrived. Returns how many.
 */
export function releaseHeldDeliveries(db: Tx | PrismaClient, shop: string): Promise<number> {
  return db.$executeRaw`
    UPDATE "WebhookDelivery" SET outcome = 'received', "applyAfter" = CURRENT_TIMESTAMP
    WHERE shop = ${shop} AND outcome = 'unconfirmed'`;
}

/**
 * How long deliveries wait for their shop's installation to be confirmed
 * before they are dropped: a week. With Shopify-managed installation a shop
 * can send orders before the merchant first opens the app (which exchanges
 * the first token); a merchant opens it within minutes of installing, and a
 * week covers one who does not. A shop that never confirms is most likely
 * not one that installed Regulars (a captured body replayed under another
 * shop's header), and its rows must not pile up.
 */
export const HELD_DELIVERY_DAYS = 7;

/** Drops held deliveries older than HELD_DELIVERY_DAYS (daily maintenance). Returns how many. */
export function dropStaleHeldDeliveries(db: PrismaClient): Promise<number> {
  return db.$executeRaw`
    DELETE FROM "WebhookDelivery"
    WHERE outcome = 'unconfirmed'
      AND "receivedAt" < CURRENT_TIMESTAMP - ${HELD_DELIVERY_DAYS} * interval '1 day'`;
}

/** How many of the shop's deliveries wait to be applied (due or not). */
export function inboxDepth(db: PrismaClient, shop: string) {
  return db.webhookDelivery.count({ where: { shop, outcome: "received", payload: { not: null } } });
}

/** The shop's latest deliveries, newest first. */
export function recentDeliveries(db: PrismaClient, shop: string, take = 50) {
  return db.webhookDelivery.findMany({
    where: { shop },
    orderBy: { receivedAt: "desc" },
    take,
    select: {
      id: true,
      topic: true,
      outcome: true,
      detail: true,
      attempts: true,
      applyAttempts: true,
      receivedAt: true,
    },
  });
}
