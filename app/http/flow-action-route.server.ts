/**
 * The one body of Shopify Flow's action routes (app/routes/flow.actions.*.tsx,
 * each the `runtime_url` of its extension in extensions/flow-*). When a
 * workflow runs one of Regulars' actions, Flow POSTs JSON to the action's
 * runtime URL (https://shopify.dev/docs/apps/build/flow/actions/endpoints):
 *
 *   { "shop_id": ..., "shopify_domain": "shop.myshopify.com",
 *     "action_run_id": "...", "action_definition_id": ..., "handle": "<extension handle>",
 *     "properties": { "customer_id": ..., "<field key>": ..., ... } }
 *
 * signed in x-shopify-hmac-sha256 (base64 HMAC-SHA256 of the raw body with
 * the app's client secret). Shopify's library checks it (authenticate.flow,
 * read in node_modules/@shopify/shopify-app-remix/dist/esm/server/authenticate/flow/authenticate.mjs):
 * a forged, unsigned or empty request, or one for a shop without a session,
 * gets 400 and nothing is read or written.
 *
 * Flow decides by the status (for an app's action:
 * https://help.shopify.com/en/api/embedded-apps/app-extensions/flow/flow-guidelines;
 * the same table, spelled out in full, for Flow's HTTP requests:
 * https://help.shopify.com/en/manual/shopify-plus/flow/create-workflow/messages/http-requests):
 * 200 is success; a 429 or a 5XX is sent again later (at increasing
 * intervals); any other 4XX is a failure and is not sent again. So a run Regulars will not
 * apply (bad properties, not enough points, an unknown reward) answers a 4XX
 * whose body says why in the merchant's words, `{ "message", "code" }`
 * (and `fields` for bad properties); only a fault that may pass (the
 * database gone: Remix's 500) asks Flow to send again. Flow waits 30 seconds
 * at most for an answer, then sends again: the answer is written within the
 * request (one transaction for points; for a reward, the same call to
 * Shopify as a shopper's redemption, whose code the code-issue job finishes
 * when Shopify is slow), see docs/decisions/0016-flow-actions-answer-at-once.md.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "../db.server";
import { withJobs } from "../jobs.server";
import { shopDomain } from "../jobs/queues";
import {
  ACTION_RUN_ID,
  FLOW_ACTIONS,
  FLOW_POINTS_MAX,
  FLOW_REASON_MAX,
  type FlowAction,
} from "../loyalty/flow-actions";
import {
  applyFlowPoints,
  FlowActionRefusal,
  type FlowRefusalCode,
  issueFlowReward,
} from "../services/flow/flow-actions.server";
import { authenticate } from "../shopify.server";
import { requestAdmin } from "../shopify/admin-api/request-admin.server";

/**
 * Flow's statuses for a refusal: each a 4XX other than 429, so Flow fails
 * the run and does not send it again (sending the same run again would be
 * refused the same way). Not the admin's table (error-statuses.ts): there a
 * refused code is a 502, which Flow would keep sending for a day.
 */
const REFUSAL_STATUSES: Record<FlowRefusalCode | "invalid_properties" | "not_a_flow_action", number> = {
  not_a_flow_action: 400,
  invalid_properties: 422,
  unknown_customer: 404,
  reward_not_found: 404,
  not_enough_points: 409,
  action_run_reused: 409,
  reward_disabled: 409,
  program_paused: 409,
  not_for_customer_tier: 403,
  code_not_created: 422,
};

type Code = keyof typeof REFUSAL_STATUSES;

const refuse = (code: Code, message: string, fields?: Record<string, string[] | undefined>) =>
  Response.json({ message, code, ...(fields ? { fields } : {}) }, { status: REFUSAL_STATUSES[code] });

/** A whole number: Flow sends a number_integer field as a number; Liquid in a field makes it text. */
const wholeNumber = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^[+-]?\d{1,15}$/, "must be a whole number")
    .transform(Number),
]);

/** customer_reference: Flow's customer id (a number, its text, or the customer's GID). */
const customerId = z
  .union([
    z.number().int().positive(),
    z
      .string()
      .trim()
      .regex(/^\d{1,20}$/, "must be a customer id"),
    z
      .string()
      .trim()
      .regex(/^gid:\/\/shopify\/Customer\/\d{1,20}$/, "must be a customer id"),
  ])
  .transform((id) => (String(id).startsWith("gid://") ? String(id) : `gid://shopify/Customer/${id}`));

const points = wholeNumber.pipe(
  z
    .number()
    .int()
    .min(1, "must be at least 1")
    .max(FLOW_POINTS_MAX, `must be at most ${FLOW_POINTS_MAX.toLocaleString("en")}`),
);

const reason = z.string().trim().max(FLOW_REASON_MAX, `must be at most ${FLOW_REASON_MAX} characters`);

const PROPERTIES = {
  [FLOW_ACTIONS.awardPoints]: z.object({
    customer_id: customerId,
    points,
    reason: reason.optional().nullable(),
  }),
  [FLOW_ACTIONS.deductPoints]: z.object({
    customer_id: customerId,
    points,
    reason: reason.min(1, "is required"),
  }),
  [FLOW_ACTIONS.issueReward]: z.object({
    customer_id: customerId,
    reward: z.string().trim().min(1, "is required").max(40, "must be at most 40 characters"),
  }),
};

/** The request's envelope: what Flow sends around every action's properties. */
const envelope = z.object({
  shopify_domain: shopDomain,
  action_run_id: z.string().regex(ACTION_RUN_ID, "must be Flow's action run id"),
  handle: z.string().optional(),
  properties: z.record(z.string(), z.unknown()),
});

/** The route action for one of Regulars' Flow actions. */
export function flowActionRoute(handle: FlowAction) {
  return ({ request }: ActionFunctionArgs): Promise<Response> =>
    withJobs(async () => {
      let flow: Awaited<ReturnType<typeof authenticate.flow>>;
      try {
        flow = await authenticate.flow(request);
      } catch (error) {
        // Signed, but not JSON: the library's JSON.parse threw after the HMAC passed.
        if (error instanceof SyntaxError) return refuse("not_a_flow_action", "The body is not JSON.");
        throw error;
      }
      const shop = flow.session.shop;
      const parsed = envelope.safeParse(flow.payload);
      if (!parsed.success) {
        return refuse("not_a_flow_action", `Not a Flow action request: ${z.prettifyError(parsed.error)}`);
      }
      const { action_run_id: actionRunId, handle: sent } = parsed.data;
      if (sent !== undefined && sent !== handle) {
        return refuse("not_a_flow_action", `This address runs ${handle}, not ${sent}.`);
      }
      const properties = PROPERTIES[handle].safeParse(parsed.data.properties);
      if (!properties.success) {
        return refuse(
          "invalid_properties",
          `The action's fields are not valid: ${z.prettifyError(properties.error)}`,
          z.flattenError(properties.error as z.ZodError).fieldErrors as Record<string, string[] | undefined>,
        );
      }
      const now = new Date();
      try {
        return Response.json(await run(handle, shop, actionRunId, properties.data, flow.session, now));
      } catch (error) {
        if (error instanceof FlowActionRefusal) return refuse(error.code, error.message);
        throw error;
      }
    });
}

type Properties = z.infer<(typeof PROPERTIES)[FlowAction]>;

async function run(
  handle: FlowAction,
  shop: string,
  actionRunId: string,
  properties: Properties,
  session: { shop: string; accessToken?: string },
  now: Date,
) {
  const customerGid = properties.customer_id;
  if (handle === FLOW_ACTIONS.issueReward) {
    const { reward } = properties as z.infer<(typeof PROPERTIES)[typeof FLOW_ACTIONS.issueReward]>;
    const answer = await issueFlowReward(
      prisma,
      requestAdmin({ session }),
      shop,
      { actionRunId, customerGid, rewardKey: reward },
      now,
    );
    return {
      message:
        answer.status === "issued"
          ? `Issued ${answer.reward} (code ${answer.code}) for ${answer.pointsSpent.toLocaleString("en")} points.`
          : `Spent ${answer.pointsSpent.toLocaleString("en")} points on ${answer.reward}; the code ${answer.code} is being created.`,
      ...answer,
    };
  }
  const { points, reason } = properties as z.infer<(typeof PROPERTIES)[typeof FLOW_ACTIONS.awardPoints]>;
  const direction = handle === FLOW_ACTIONS.awardPoints ? "award" : "deduct";
  const answer = await applyFlowPoints(
    prisma,
    shop,
    direction,
    { actionRunId, customerGid, points, reason: reason || null },
    now,
  );
  const moved = Math.abs(answer.points).toLocaleString("en");
  return {
    message: `${direction === "award" ? "Awarded" : "Deducted"} ${moved} points; the balance is ${answer.balance.toLocaleString("en")}.`,
    ...answer,
  };
}
