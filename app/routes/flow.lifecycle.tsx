/**
 * Shopify Flow's trigger lifecycle callback (POST /flow/lifecycle, the `url`
 * of extensions/flow-lifecycle): Flow says whether a shop has an enabled
 * workflow using one of Regulars' triggers, when a merchant turns one on or
 * off (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events). The
 * flow-send job sends a trigger only to shops that have one.
 *
 * The body is JSON: flow_trigger_definition_id, has_enabled_flow, shop_id,
 * shopify_domain, timestamp. It is signed like a webhook: x-shopify-hmac-sha256,
 * base64 HMAC-SHA256 of the body with the app's client secret. Shopify's
 * library checks it (authenticate.flow: 400 when forged, or when the shop has
 * no session) before anything is read or written. A body that is not the
 * callback's gets 422 and writes nothing. Flow waits 5 s: a merchant cannot
 * enable a workflow unless this answers 2xx in time, so the answer is one
 * upsert. Not a webhook: no inbox, nothing to apply later.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "../db.server";
import { recordTriggerUsage, triggerNamed } from "../db/flow-events.server";
import { shopDomain } from "../jobs/queues";
import { authenticate } from "../shopify.server";

const callbackSchema = z.object({
  flow_trigger_definition_id: z.string().trim().min(1).max(255),
  has_enabled_flow: z.boolean(),
  // A number in Shopify's table of properties, a string in its example body.
  shop_id: z.union([z.number().int().positive(), z.string().regex(/^\d{1,20}$/)]),
  shopify_domain: shopDomain,
  timestamp: z.iso.datetime({ offset: true }),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  let payload: unknown;
  try {
    ({ payload } = await authenticate.flow(request));
  } catch (error) {
    // A signed body that is not JSON: the library's JSON.parse threw after the HMAC passed.
    if (error instanceof SyntaxError) return refuse("the body is not JSON");
    throw error;
  }
  const parsed = callbackSchema.safeParse(payload);
  if (!parsed.success) return refuse(z.prettifyError(parsed.error));
  const callback = parsed.data;
  if (!triggerNamed(callback.flow_trigger_definition_id)) {
    // Recorded all the same (the merchant must not be kept from enabling a workflow), but no
    // event is sent for a trigger Regulars does not know.
    console.warn(
      `Flow lifecycle callback for ${callback.shopify_domain} names an unknown trigger: ${callback.flow_trigger_definition_id}`,
    );
  }
  const recorded = await recordTriggerUsage(prisma, callback.shopify_domain, {
    trigger: callback.flow_trigger_definition_id,
    enabled: callback.has_enabled_flow,
    flowTimestamp: new Date(callback.timestamp),
    now: new Date(),
  });
  return Response.json({ ok: true, recorded });
};

const refuse = (why: string) =>
  Response.json({ error: `Not a Flow trigger lifecycle callback: ${why}` }, { status: 422 });
