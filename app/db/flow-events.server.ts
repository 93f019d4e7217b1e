/**
 * Shopify Flow trigger events (the outbox the flow-send job drains). Each is
 * written in the transaction of the change that caused it, once per dedupe
 * key, so a repeated webhook or a rerun schedule records it once.
 */
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
