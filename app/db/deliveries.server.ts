/** The webhook delivery log: one row per X-Shopify-Webhook-Id and shop. */
import type { PrismaClient } from "@prisma/client";

export type DeliveryOutcome = "received" | "processed" | "ignored" | "failed";

export interface DeliveryHeaders {
  webhookId: string;
  topic: string;
  eventId?: string;
  apiVersion?: string;
  triggeredAt?: Date;
}

/**
 * Records a delivery (a retry of the same webhook id bumps `attempts`) and
 * returns the outcome of any earlier attempt: "processed" or "ignored" mean
 * this copy has nothing left to do.
 */
export async function recordDelivery(
  db: PrismaClient,
  shop: string,
  delivery: DeliveryHeaders,
): Promise<{ id: string; previousOutcome: DeliveryOutcome | null }> {
  const rows = await db.$queryRaw<{ id: string; outcome: DeliveryOutcome; inserted: boolean }[]>`
    INSERT INTO "WebhookDelivery" (id, shop, "webhookId", topic, "eventId", "apiVersion", "triggeredAt")
    VALUES (${`dlv_${crypto.randomUUID()}`}, ${shop}, ${delivery.webhookId}, ${delivery.topic},
            ${delivery.eventId ?? null}, ${delivery.apiVersion ?? null}, ${delivery.triggeredAt ?? null})
    ON CONFLICT (shop, "webhookId") DO UPDATE SET attempts = "WebhookDelivery".attempts + 1
    RETURNING id, outcome, (xmax = 0) AS inserted`;
  const row = rows[0]!;
  return { id: row.id, previousOutcome: row.inserted ? null : row.outcome };
}

export async function finishDelivery(
  db: PrismaClient,
  shop: string,
  id: string,
  outcome: DeliveryOutcome,
  detail: string | null,
  at: Date,
): Promise<void> {
  await db.webhookDelivery.updateMany({
    where: { shop, id },
    data: { outcome, detail: detail?.slice(0, 2000) ?? null, processedAt: at },
  });
}

/** The shop's latest deliveries, newest first. */
export function recentDeliveries(db: PrismaClient, shop: string, take = 50) {
  return db.webhookDelivery.findMany({
    where: { shop },
    orderBy: { receivedAt: "desc" },
    take,
    select: { id: true, topic: true, outcome: true, detail: true, attempts: true, receivedAt: true },
  });
}
