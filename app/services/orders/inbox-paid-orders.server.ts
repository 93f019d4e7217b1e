/**
 * The inbox's orders/paid deliveries of one shop, applied together: one
 * transaction takes the claimed deliveries' orders through the points
 * engine's set-based path (applyPaidOrders, `source: "orders/paid"`) and
 * records every delivery's outcome, in about a dozen statements whatever
 * their number, where one by one each delivery takes two transactions and
 * some 25 statements. On a Black Friday backlog that is the difference
 * between points credited within seconds and within hours.
 *
 * Same result as one by one, by construction and by test
 * (tests/db/inbox-batch-equivalence.test.ts): an order Regulars knows goes
 * through the engine under its lock; a new one gets the same award terms,
 * points, ledger key (`order:<gid>:paid`), tier, Flow events and delivery
 * detail. Concurrency:
 * - batches of one shop take turns (a transaction-scoped advisory lock), so
 *   two workers never both take a customer for new;
 * - an order or a member that a webhook applied one by one (a refund, a
 *   cancellation) recorded meanwhile makes the batch roll back and run again
 *   (isBatchConflict), up to three times;
 * - anything else rolls the batch back and throws: the caller then applies
 *   the deliveries one by one, each with its own retries and outcome.
 */
import type { PrismaClient } from "@prisma/client";
import { finishAppliedDeliveries, type ClaimedDelivery } from "../../db/deliveries.server";
import { takeShopBatchTurn } from "../../db/order-batch.server";
import { transactionWithSql } from "../../db/sql-in-transaction.server";
import { parseLosslessJson } from "../../shopify/payloads/lossless-json";
import { parsePaidOrderPayload, type OrderSnapshot } from "../../shopify/payloads/order-payload";
import { applyPaidOrders, lookUpSnapshotScopes, retryBatchConflicts } from "./order-points-batch.server";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import type { OrderOutcome } from "./order-points.server";

/** What applying an order event did: the delivery's detail, and whether it was ignored on purpose. */
export const deliveryDetailOf = (result: OrderOutcome): { detail: string | null; ignored?: boolean } =>
  result.ignored
    ? { detail: result.ignored, ignored: true }
    : { detail: `${result.change >= 0 ? "+" : ""}${result.change} points` };

export interface PaidDelivery {
  delivery: ClaimedDelivery;
  snapshot: OrderSnapshot;
}

/**
 * Sorts claimed deliveries: orders/paid with a body that reads, by shop, in
 * the order given; everything else (other topics, a body the parser refuses,
 * which the one-by-one path records as failed) as it came.
 */
export function paidOrderGroups(deliveries: readonly ClaimedDelivery[]): {
  groups: Map<string, PaidDelivery[]>;
  rest: ClaimedDelivery[];
} {
  const groups = new Map<string, PaidDelivery[]>();
  const rest: ClaimedDelivery[] = [];
  for (const delivery of deliveries) {
    let snapshot: OrderSnapshot;
    try {
      if (delivery.topic !== "ORDERS_PAID") throw new Error("not orders/paid");
      snapshot = parsePaidOrderPayload(parseLosslessJson(delivery.payload));
    } catch {
      rest.push(delivery);
      continue;
    }
    const group = groups.get(delivery.shop) ?? [];
    if (group.length === 0) groups.set(delivery.shop, group);
    group.push({ delivery, snapshot });
  }
  return { groups, rest };
}

/** Tries of a batch that lost an order or a member to another transaction. */
const CONFLICT_TRIES = 3;

/**
 * Applies one shop's orders/paid deliveries and records their outcomes, in
 * one transaction. Throws if it could not: then nothing of it was written.
 */
export async function applyPaidDeliveries(
  db: PrismaClient,
  shop: string,
  group: readonly PaidDelivery[],
  now: Date,
  admin: AdminGraphql | null = null,
): Promise<void> {
  // Bonus events limited to collections: the orders' products, looked up before the transaction.
  const scopes = await lookUpSnapshotScopes(
    db,
    admin,
    shop,
    group.map((g) => g.snapshot),
  );
  await retryBatchConflicts(CONFLICT_TRIES, () =>
    transactionWithSql(db, async (tx, sql) => {
      await takeShopBatchTurn(sql, shop);
      const { results } = await applyPaidOrders(
        tx,
        sql,
        shop,
        group.map((g) => g.snapshot),
        now,
        { source: "orders/paid", scopes },
      );
      const rows = group.map(({ delivery }, i) => {
        const { detail, ignored } = deliveryDetailOf(results[i]!);
        return { id: delivery.id, outcome: ignored ? ("ignored" as const) : ("processed" as const), detail };
      });
      await finishAppliedDeliveries(sql, shop, rows, new Date());
    }),
  );
}
