/**
 * Sends a shop's recorded Flow events to Shopify (flowTriggerReceive), oldest
 * first, and marks each sent. Runs one at a time per shop (the flow-send queue
 * is singleton per shop). Delivery is at least once: a crash between
 * Shopify's answer and the mark sends that one event again.
 */
import type { PrismaClient } from "@prisma/client";
import type { AdminGraphql } from "../shopify/admin-client.server";
import { fireFlowTrigger } from "../shopify/flow-triggers.server";

const BATCH = 50;

export async function sendFlowEvents(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  now: () => Date = () => new Date(),
): Promise<{ sent: number }> {
  let sent = 0;
  for (;;) {
    const events = await db.flowEvent.findMany({
      where: { shop, sentAt: null },
      orderBy: { createdAt: "asc" },
      take: BATCH,
    });
    if (events.length === 0) return { sent };
    for (const event of events) {
      try {
        await fireFlowTrigger(admin, event.trigger, event.payload);
      } catch (error) {
        await db.flowEvent.updateMany({
          where: { shop, id: event.id },
          data: { attempts: { increment: 1 }, error: (error as Error).message.slice(0, 2000) },
        });
        throw error;
      }
      await db.flowEvent.updateMany({
        where: { shop, id: event.id },
        data: { attempts: { increment: 1 }, sentAt: now(), error: null },
      });
      sent++;
    }
  }
}
