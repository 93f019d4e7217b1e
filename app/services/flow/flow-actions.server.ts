/**
 * What Shopify Flow's three actions do (extensions/flow-award-points,
 * flow-deduct-points, flow-issue-reward; the route is
 * app/http/flow-action-route.server.ts). Each run is applied once however
 * often Flow delivers it: Flow sends the same `action_run_id` on every
 * delivery of a run (https://shopify.dev/docs/apps/build/flow/actions/endpoints),
 * and a second delivery finds what the first did and answers the same.
 *
 * - Award and Deduct write one ledger entry of kind FLOW with the source key
 *   flow:<action_run_id> (unique within the shop, so a run can never count
 *   twice), under the member's row lock, as a staff adjustment does
 *   (app/services/members/adjust-points.server.ts). A deduction never takes
 *   the balance below zero: it is refused whole (app/loyalty/flow-actions.ts).
 * - Issue reward is a shopper's redemption (app/services/rewards/redeem-reward.server.ts):
 *   the reward's points are spent and the code is created in Shopify, with
 *   the run's id as the redemption's idempotency key.
 * A FLOW entry does not fire the "Loyalty points earned" trigger, so a
 * workflow that awards points cannot set itself off again.
 */
import { createHash } from "node:crypto";
import type { PrismaClient, Redemption } from "@prisma/client";
import {
  appendEntry,
  findLedgerEntry,
  lockMember,
  memberOfCustomer,
  upsertMember,
} from "../../db/members.server";
import { findRedemptionByKey } from "../../db/redemptions.server";
import { inTransaction } from "../../db/tx.server";
import { deductionRefusal, flowLedgerKey, signedFlowPoints } from "../../loyalty/flow-actions";
import type { RedeemRefusal } from "../../loyalty/rewards";
import { AdminTransientError, type AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { RedeemError, redeemReward } from "../rewards/redeem-reward.server";

/** Why a run was refused; the route answers each with its status and the message. */
export type FlowRefusalCode =
  | "unknown_customer"
  | "not_enough_points"
  | "action_run_reused"
  | "reward_not_found"
  | "reward_disabled"
  | "not_for_customer_tier"
  | "program_paused"
  | "code_not_created";

/** A run Regulars will not apply as it is; nothing was changed. */
export class FlowActionRefusal extends Error {
  constructor(
    readonly code: FlowRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "FlowActionRefusal";
  }
}

export interface FlowPointsRun {
  actionRunId: string;
  customerGid: string;
  /** How many points, always positive: `direction` says which way. */
  points: number;
  /** The merchant's reason, kept on the ledger entry (required to deduct). */
  reason: string | null;
}

export interface FlowPointsAnswer {
  /** The change to the spendable balance: positive awarded, negative deducted. */
  points: number;
  /** The customer's spendable balance just after this run. */
  balance: number;
}

const plural = (n: number) => `${n.toLocaleString("en")} point${n === 1 || n === -1 ? "" : "s"}`;

/** Awards or deducts points for one run of Flow's action; a run already applied answers as it did. */
export async function applyFlowPoints(
  db: PrismaClient,
  shop: string,
  direction: "award" | "deduct",
  run: FlowPointsRun,
  now: Date,
): Promise<FlowPointsAnswer> {
  const sourceKey = flowLedgerKey(run.actionRunId);
  const points = signedFlowPoints(direction, run.points);
  return inTransaction(db, async (tx) => {
    // Awarding makes the customer a member (as a staff adjustment does); a deduction or a
    // reward needs points the customer already has, so an unknown customer is refused.
    const known =
      direction === "award"
        ? await upsertMember(tx, shop, run.customerGid, {})
        : await memberOfCustomer(tx, shop, run.customerGid);
    if (!known) {
      const applied = await findLedgerEntry(tx, shop, sourceKey);
      if (applied) throw reused();
      throw new FlowActionRefusal(
        "unknown_customer",
        "This customer has no Regulars points: nothing was deducted.",
      );
    }
    // Under the member's lock, so two deliveries of one run cannot both pass.
    const member = await lockMember(tx, shop, known.id);
    const applied = await findLedgerEntry(tx, shop, sourceKey);
    if (applied) {
      if (
        applied.kind !== "FLOW" ||
        applied.member.customerGid !== run.customerGid ||
        applied.points !== points
      )
        throw reused();
      return { points: applied.points, balance: applied.balanceAfter };
    }
    if (direction === "deduct") {
      const refusal = deductionRefusal(member.balance, run.points);
      if (refusal) {
        throw new FlowActionRefusal(
          "not_enough_points",
          `This customer has ${plural(refusal.balance)}; the action asks to deduct ${plural(refusal.asked)}. ` +
            "A balance never goes below 0, so nothing was deducted.",
        );
      }
    }
    const updated = await appendEntry(tx, shop, member, {
      kind: "FLOW",
      points,
      sourceKey,
      ...(run.reason ? { note: run.reason } : {}),
      // Points given restart the expiry clock, as any earning does; a deduction does not.
      ...(points > 0 ? { activityAt: now } : {}),
    });
    return { points, balance: updated.balance };
  });
}

const reused = () =>
  new FlowActionRefusal(
    "action_run_reused",
    "This action run was already applied with other values (another customer, action or number of points).",
  );

export interface FlowRewardRun {
  actionRunId: string;
  customerGid: string;
  rewardKey: string;
}

export interface FlowRewardAnswer {
  /** "issued": the code exists in Shopify; "pending": the points are spent and the code follows. */
  status: "issued" | "pending";
  code: string;
  reward: string;
  pointsSpent: number;
  expiresAt: string;
}

/** The redemption's idempotency key for a run (8-100 word characters, as reservePoints takes). */
export function flowRedemptionKey(actionRunId: string): string {
  return /^[\w-]{3,95}$/.test(actionRunId)
    ? `flow-${actionRunId}`
    : `flow-${createHash("sha256").update(actionRunId).digest("hex")}`;
}

const REDEEM_REFUSALS: Record<RedeemRefusal, [FlowRefusalCode, string]> = {
  "reward not found": ["reward_not_found", "The shop has no reward with this key."],
  "reward disabled": ["reward_disabled", "This reward is turned off in the program."],
  "not for your tier": ["not_for_customer_tier", "This reward is not offered to the customer's tier."],
  "not enough points": [
    "not_enough_points",
    "This customer does not have enough points for the reward: nothing was spent.",
  ],
  "program paused": ["program_paused", "The loyalty program is paused: no reward can be issued."],
};

/**
 * How long Shopify's part of an "Issue reward" run may take (all its calls
 * together). Flow waits 30 seconds for the answer and then sends the run
 * again; past this budget the points stay reserved, the answer says
 * "pending" and the code-issue job creates the code (docs/decisions/0016-flow-actions-answer-at-once.md).
 */
const FLOW_SHOPIFY_BUDGET_MS = 10_000;

/** The client with one deadline over all its calls (a call past it fails as a timeout, transient). */
function withDeadline(admin: AdminGraphql, ms: number): AdminGraphql {
  const deadline = AbortSignal.timeout(ms);
  return {
    ...admin,
    graphql: (query, options) =>
      admin.graphql(query, {
        ...options,
        signal: options?.signal ? AbortSignal.any([options.signal, deadline]) : deadline,
      }),
  };
}

/**
 * Spends the reward's points for the customer and creates the code, as a
 * shopper's redemption does. When Shopify does not answer in time, the points
 * stay reserved and the code-issue job creates the code (the answer says
 * "pending"); a repeated run answers with the same redemption.
 */
export async function issueFlowReward(
  db: PrismaClient,
  shopify: AdminGraphql,
  shop: string,
  run: FlowRewardRun,
  now: Date,
  options: { shopifyBudgetMs?: number } = {},
): Promise<FlowRewardAnswer> {
  const admin = withDeadline(shopify, options.shopifyBudgetMs ?? FLOW_SHOPIFY_BUDGET_MS);
  if (!(await memberOfCustomer(db, shop, run.customerGid))) {
    throw new FlowActionRefusal(
      "unknown_customer",
      "This customer has no Regulars points: no reward was issued.",
    );
  }
  const request = {
    customerGid: run.customerGid,
    rewardKey: run.rewardKey,
    idempotencyKey: flowRedemptionKey(run.actionRunId),
    source: "FLOW" as const,
  };
  let redemption: Redemption;
  try {
    redemption = await redeemReward(db, admin, shop, request, now);
  } catch (error) {
    if (error instanceof RedeemError) {
      if (error.reason === "idempotency key reused for another reward") throw reused();
      const [code, message] = REDEEM_REFUSALS[error.reason];
      throw new FlowActionRefusal(code, message);
    }
    if (!(error instanceof AdminTransientError)) throw error;
    // The points are reserved and redeemReward queued the code-issue job, which creates the code.
    const reserved = await findRedemptionByKey(db, shop, request.idempotencyKey);
    if (!reserved) throw error;
    redemption = reserved;
  }
  if (redemption.status === "FAILED") {
    throw new FlowActionRefusal(
      "code_not_created",
      `Shopify did not create the code${redemption.error ? ` (${redemption.error})` : ""}: the points were given back.`,
    );
  }
  const reward = (redemption.reward as { title?: string }).title ?? redemption.rewardKey;
  return {
    status: redemption.status === "RESERVED" ? "pending" : "issued",
    code: redemption.code,
    reward,
    pointsSpent: redemption.pointsCost,
    expiresAt: redemption.endsAt.toISOString(),
  };
}
