/**
 * Shopify Flow trigger events (the outbox the flow-send job drains). Each is
 * written in the transaction of the change that caused it, once per dedupe
 * key, so a repeated webhook or a rerun schedule records it once.
 *
 * And which shops listen: Flow's trigger lifecycle callback says whether a
 * shop has an enabled workflow using a trigger
 * (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events), recorded
 * here per shop and trigger; the newest callback wins, by its timestamp.
 */
import type { PrismaClient } from "@prisma/client";
import { noteFollowUp } from "../jobs/follow-ups.server";
import type { Tx } from "./tx.server";

/** The trigger extensions in extensions/flow-*; handles as in their shopify.extension.toml. */
export const FLOW_TRIGGERS = {
  pointsEarned: "regulars-points-earned",
  tierChanged: "regulars-tier-changed",
  rewardIssued: "regulars-reward-issued",
  pointsExpiring: "regulars-points-expiring",
  dataRequested: "regulars-data-requested",
} as const;

export type FlowTrigger = (typeof FLOW_TRIGGERS)[keyof typeof FLOW_TRIGGERS];

/** The extensions' names (their `name` in shopify.extension.toml), by handle. */
export const FLOW_TRIGGER_NAMES: Record<FlowTrigger, string> = {
  "regulars-points-earned": "Loyalty points earned",
  "regulars-tier-changed": "Loyalty tier changed",
  "regulars-reward-issued": "Loyalty reward issued",
  "regulars-points-expiring": "Loyalty points expiring soon",
  "regulars-data-requested": "Customer data requested",
};

/**
 * The trigger a lifecycle callback's `flow_trigger_definition_id` names.
 * Shopify documents it as "the unique identifier for your Shopify Flow
 * trigger" and shows a trigger's title as the example; a trigger built with
 * Shopify CLI is identified by its extension handle. Either is taken.
 */
export function triggerNamed(definitionId: string): FlowTrigger | null {
  for (const [handle, name] of Object.entries(FLOW_TRIGGER_NAMES) as [FlowTrigger, string][]) {
    if (definitionId === handle || definitionId === name) return handle;
  }
  return null;
}

/**
 * Flow's customer reference field takes the numeric id as `customer_id`.
 * Shopify's ids fit in a double today; one that does not is sent as its
 * digits rather than rounded to another customer's id.
 */
export function customerIdOf(customerGid: string): number | string {
  const id = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(customerGid)?.[1];
  if (!id) throw new Error(`not a customer GID: ${customerGid}`);
  return Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

export async function recordFlowEvent(
  tx: Tx,
  shop: string,
  input: {
    trigger: FlowTrigger;
    dedupeKey: string;
    customerGid: string;
    fields: Record<string, string | number>;
  },
): Promise<void> {
  const payload = { customer_id: customerIdOf(input.customerGid), ...input.fields };
  const created = await tx.flowEvent.createMany({
    data: [{ shop, trigger: input.trigger, dedupeKey: input.dedupeKey, payload }],
    skipDuplicates: true,
  });
  if (created.count > 0) noteFollowUp({ queue: "flow-send", shop });
}

/**
 * Records a lifecycle callback: the shop has (or no longer has) an enabled
 * workflow using the trigger. Idempotent, and in Flow's order whatever order
 * the callbacks arrive in: a callback no newer than the stored one changes
 * nothing (Shopify: "if you receive a timestamp that is older than the
 * information in your datastore, then ignore this payload"). `since` moves
 * only when the state changes. Returns whether anything was written.
 */
export async function recordTriggerUsage(
  db: PrismaClient,
  shop: string,
  input: { trigger: string; enabled: boolean; flowTimestamp: Date; now: Date },
): Promise<boolean> {
  const written = await db.$executeRaw`
    INSERT INTO "FlowTriggerUsage" (shop, trigger, enabled, "flowTimestamp", since, "updatedAt")
    VALUES (${shop}, ${input.trigger}, ${input.enabled}, ${input.flowTimestamp}, ${input.now}, ${input.now})
    ON CONFLICT (shop, trigger) DO UPDATE SET
      enabled = EXCLUDED.enabled,
      "flowTimestamp" = EXCLUDED."flowTimestamp",
      since = CASE WHEN "FlowTriggerUsage".enabled = EXCLUDED.enabled
                   THEN "FlowTriggerUsage".since ELSE EXCLUDED.since END,
      "updatedAt" = EXCLUDED."updatedAt"
    WHERE "FlowTriggerUsage"."flowTimestamp" < EXCLUDED."flowTimestamp"`;
  return written > 0;
}

/**
 * The shop's triggers with an enabled workflow, each with the moment Regulars
 * heard it was enabled (compared with events' createdAt: an event recorded
 * within moments of the enable may fall on either side).
 */
export async function triggersListenedTo(db: PrismaClient, shop: string): Promise<Map<FlowTrigger, Date>> {
  const rows = await db.flowTriggerUsage.findMany({ where: { shop, enabled: true } });
  const listened = new Map<FlowTrigger, Date>();
  for (const row of rows) {
    const trigger = triggerNamed(row.trigger);
    if (!trigger) continue;
    const known = listened.get(trigger);
    // Recorded under its handle and its name (both are accepted): the earliest enable counts.
    if (!known || row.since < known) listened.set(trigger, row.since);
  }
  return listened;
}

/** Whether the shop has Flow events to send (not sent, skipped, or failed). */
export async function hasUnsentFlowEvents(tx: Tx, shop: string): Promise<boolean> {
  const unsent = await tx.flowEvent.findFirst({
    where: { shop, sentAt: null, skippedAt: null, error: null },
    select: { id: true },
  });
  return unsent !== null;
}

/** The shop's events neither sent nor skipped, oldest first. */
export function unsentFlowEvents(tx: Tx, shop: string, take: number) {
  return tx.flowEvent.findMany({
    where: { shop, sentAt: null, skippedAt: null },
    orderBy: { createdAt: "asc" },
    take,
  });
}

/** Events no workflow listens to are skipped, not sent; returns how many were still unsent. */
export async function markFlowEventsSkipped(tx: Tx, shop: string, ids: string[], now: Date): Promise<number> {
  const marked = await tx.flowEvent.updateMany({
    where: { shop, id: { in: ids }, sentAt: null },
    data: { skippedAt: now },
  });
  return marked.count;
}

export async function recordFlowEventError(tx: Tx, shop: string, id: string, error: string): Promise<void> {
  await tx.flowEvent.updateMany({
    where: { shop, id },
    data: { attempts: { increment: 1 }, error },
  });
}

export async function markFlowEventSent(tx: Tx, shop: string, id: string, now: Date): Promise<void> {
  await tx.flowEvent.updateMany({
    where: { shop, id },
    data: { attempts: { increment: 1 }, sentAt: now, error: null },
  });
}
