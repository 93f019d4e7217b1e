/**
 * Work that must follow a database change: Shopify's copy of a member, a
 * reward code to create, Flow events to send, the program's facts, the
 * install's setup. The
 * change itself is durable (a version counter, a RESERVED redemption, an
 * unsent event row), so the reconcile job finds it even if this note is lost
 * in a crash; the note only makes the job start at once instead of within a
 * minute. Repositories note follow-ups where they make the change; the
 * request or job that caused it enqueues them after its transactions commit.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export type FollowUp =
  | { queue: "member-sync"; shop: string; memberId: string }
  | { queue: "code-issue"; shop: string; redemptionId: string }
  | { queue: "campaign-issue"; shop: string; campaignId: string }
  | { queue: "flow-send"; shop: string }
  | { queue: "notification-send"; shop: string }
  | { queue: "program-sync"; shop: string }
  | { queue: "shop-setup"; shop: string }
  | { queue: "dashboard-rollups"; shop: string }
  | { queue: "referral-settle"; shop: string; orderGid: string };

const notes = new AsyncLocalStorage<Map<string, FollowUp>>();

const keyOf = (followUp: FollowUp) => JSON.stringify(followUp);

/** Called where a change is made; a no-op outside `collectFollowUps`. */
export function noteFollowUp(followUp: FollowUp): void {
  notes.getStore()?.set(keyOf(followUp), followUp);
}

/**
 * Runs `work`, then hands `send` every follow-up its changes noted (each
 * once), whether `work` succeeded or failed part-way (what it committed
 * before failing still needs its follow-ups).
 */
export async function withFollowUps<T>(
  work: () => Promise<T>,
  send: (followUps: FollowUp[]) => Promise<void>,
): Promise<T> {
  const store = new Map<string, FollowUp>();
  try {
    return await notes.run(store, work);
  } finally {
    if (store.size > 0) await send([...store.values()]);
  }
}
