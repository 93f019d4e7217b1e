/**
 * Webhook routes only store a delivery; the app's inbox worker applies it.
 * Tests apply the inbox with the worker's own function, as the worker would
 * right after the 200.
 */
import { prisma } from "~/db.server";
import { jobs } from "~/jobs.server";
import { drainInbox, type DrainReport } from "~/services/webhooks/inbox.server";
import { callAction } from "./webhooks";

/** Applies every due delivery (of one shop, or all), enqueuing their follow-ups. */
export function applyInbox(shop?: string, now?: () => Date): Promise<DrainReport> {
  return drainInbox(prisma, {
    shop,
    now,
    sendFollowUps: (followUps) => jobs.sendFollowUps(followUps),
    // The one-by-one fallback is for conflicts the batch's own retries did not settle: a test that meets it says so.
    onBatchError: (forShop, deliveries, error, { applied }) =>
      console.error(
        `[inbox] ${deliveries} orders/paid deliveries for ${forShop} ${applied ? "were applied, their follow-ups not queued" : "fell back to one by one"}: ${error.message}`,
      ),
  });
}

/** Shopify's POST to a webhook route, then the worker's pass over that shop's inbox. */
export async function deliverAndApply(
  action: Parameters<typeof callAction>[0],
  request: Request,
): Promise<Response> {
  const shop = request.headers.get("X-Shopify-Shop-Domain") ?? undefined;
  const response = await callAction(action, request);
  await applyInbox(shop);
  return response;
}
