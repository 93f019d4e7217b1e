/**
 * The one body of every webhook route: verify the HMAC (the Shopify library
 * answers 401 to a bad one), read the raw body so big ids stay exact, and
 * hand over to the inbox; what the delivery changed is then queued for
 * Shopify (member syncs, codes, Flow events).
 */
import { prisma } from "../db.server";
import { withJobs } from "../jobs.server";
import { authenticate } from "../shopify.server";
import { processWebhook } from "./webhook-inbox.server";

export async function handleWebhookRequest(request: Request): Promise<Response> {
  const rawBody = await request.clone().text();
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    // The library checks the HMAC before it parses the body, so a SyntaxError
    // here is a correctly signed but malformed body: refuse it, write nothing.
    if (error instanceof SyntaxError) return Response.json({ error: "body is not JSON" }, { status: 400 });
    throw error;
  }
  const result = await withJobs(() =>
    processWebhook(
      prisma,
      {
        shop: context.shop,
        topic: String(context.topic),
        rawBody,
        webhookId: context.webhookId,
        eventId: context.eventId,
        apiVersion: context.apiVersion,
        triggeredAt: context.triggeredAt ? new Date(context.triggeredAt) : undefined,
      },
      new Date(),
    ),
  );
  if (result.status === 400) return Response.json({ error: result.detail }, { status: 400 });
  return new Response(null, { status: 200 });
}
