/**
 * Sends a shop's recorded Flow events to Shopify (flowTriggerReceive), oldest
 * first, and marks each sent. Runs one at a time per shop (the flow-send queue
 * is singleton per shop). Delivery is at least once: a crash between
 * Shopify's answer and the mark sends that one event again.
 *
 * Only to a shop that listens: Flow's trigger lifecycle callback says which
 * triggers have an enabled workflow on the shop (app/routes/flow.lifecycle.tsx;
 * https://shopify.dev/docs/apps/build/flow/track-lifecycle-events: "send
 * trigger requests to only those stores"). An event is sent when its trigger
 * has an enabled workflow now and had one when the event was recorded;
 * otherwise it is marked skipped and never sent. So events recorded while no
 * workflow was enabled are dropped, even if the merchant enables one before
 * they would have been sent: a workflow turned on runs for what happens from
 * then on. Events waiting (Shopify down, say) when the workflow is turned off
 * are dropped too: nothing would run them.
 */
import type { PrismaClient } from "@prisma/client";
import {
  type FlowTrigger,
  markFlowEventSent,
  markFlowEventsSkipped,
  recordFlowEventError,
  triggersListenedTo,
  unsentFlowEvents,
} from "../../db/flow-events.server";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { fireFlowTrigger } from "../../shopify/admin-api/flow-triggers.server";
import { storedText } from "../../db/stored-text";

const BATCH = 50;

export async function sendFlowEvents(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  now: () => Date = () => new Date(),
): Promise<{ sent: number; skipped: number }> {
  let sent = 0;
  let skipped = 0;
  for (;;) {
    const events = await unsentFlowEvents(db, shop, BATCH);
    if (events.length === 0) return { sent, skipped };
    const listened = await triggersListenedTo(db, shop);
    const heard = (event: (typeof events)[number]) => {
      const since = listened.get(event.trigger as FlowTrigger);
      return since !== undefined && event.createdAt >= since;
    };
    const unheard = events.filter((event) => !heard(event)).map((event) => event.id);
    if (unheard.length > 0) {
      skipped += await markFlowEventsSkipped(db, shop, unheard, now());
    }
    for (const event of events.filter(heard)) {
      try {
        await fireFlowTrigger(admin, event.trigger, event.payload);
      } catch (error) {
        await recordFlowEventError(db, shop, event.id, storedText((error as Error).message));
        throw error;
      }
      await markFlowEventSent(db, shop, event.id, now());
      sent++;
    }
  }
}
