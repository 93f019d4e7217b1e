/**
 * Points -> a discount code, never lost, never doubled:
 *   1. reserve: in one transaction, with the member row locked, check the
 *      balance, debit it (REDEEM entry) and record the redemption RESERVED
 *      with its code string chosen now. The idempotency key is unique per
 *      shop: a repeated request finds the first redemption.
 *   2. create the code in Shopify (one customer, one use, an expiry).
 *   3. confirm: ISSUED. A definite refusal from Shopify gives the points back
 *      (REDEEM_REFUND entry) and marks it FAILED. A transient failure leaves
 *      it RESERVED; resuming first asks Shopify whether the code exists
 *      (codeDiscountNodeByCode), so a code is never created twice.
 * A store credit reward takes the same path: step 2 credits the customer's
 * store credit account instead (storeCreditAccountCredit) and step 3 marks it
 * CREDITED; a retry first reads the account's credits for the one this
 * redemption made (docs/decisions/0020-store-credit-rewards.md).
 */
import { randomBytes } from "node:crypto";
import type { PrismaClient, Redemption } from "@prisma/client";
import { appendEntry, lockMember, markMemberChanged, upsertMember } from "../../db/members.server";
import { returnRedemptionPoints } from "./reward-lifecycle.server";
import { FLOW_TRIGGERS, recordFlowEvent } from "../../db/flow-events.server";
import { ensureProgram } from "../../db/program.server";
import {
  claimRedemption,
  countRedemptionsSince,
  createRedemption,
  findRedemptionByKey,
  getRedemption,
  markRedemptionCredited,
  markRedemptionIssued,
  recordedCreditTransactions,
  releaseRedemption,
  renewRedemptionClaim,
} from "../../db/redemptions.server";
import { ensureRewards, rewardFromJson, rewardRuleOf, rewardToJson } from "../../db/rewards.server";
import { inTransaction } from "../../db/tx.server";
import { noteFollowUp } from "../../jobs/follow-ups.server";
import { RowClaim } from "../../jobs/lease";
import {
  chosenReward,
  matchingCredit,
  redeemRefusal,
  rewardCode,
  shopCodePrefix,
  type RedeemRefusal,
} from "../../loyalty/rewards";
import { redemptionEndsAt, storeCreditCurrency } from "./redemption-terms.server";
import { creditStoreCredit, recentCredits } from "../../shopify/admin-api/store-credit.server";
import { AdminTransientError, type AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import {
  createRewardCode,
  findRewardCode,
  type CreateCodeResult,
} from "../../shopify/admin-api/discount-codes.server";
import { storedText } from "../../db/stored-text";

export class RedeemError extends Error {
  constructor(readonly reason: RedeemRefusal | "idempotency key reused for another reward") {
    super(reason);
    this.name = "RedeemError";
  }
}

/** "Spend any amount": the points asked for are not a multiple of the reward's step within its limits. */
export class AmountNotAllowedError extends Error {
  /** The amounts the reward allows; a fixed reward allows its cost alone (step, min and max the same). */
  constructor(readonly limits: { step: number; minPoints: number; maxPoints: number }) {
    super(`choose a multiple of ${limits.step} points from ${limits.minPoints} to ${limits.maxPoints}`);
    this.name = "AmountNotAllowedError";
  }
}

export interface RedeemRequest {
  customerGid: string;
  rewardKey: string;
  idempotencyKey: string;
  /** Set when staff redeem for the customer in the admin (recorded on the redemption). */
  staffId?: string;
  /** Who asked, when not the shopper or staff: Shopify Flow's "Issue reward" action. */
  source?: "FLOW";
  /** "Spend any amount": the points the customer chose to convert (chosenReward). */
  points?: number;
}

export interface RedeemOptions {
  /** Code prefix, e.g. from the shop name. */
  codePrefix?: string;
  random?: (size: number) => Uint8Array;
}

/** Step 1. Returns the redemption (new, or the one this idempotency key already made). */
export async function reservePoints(
  db: PrismaClient,
  shop: string,
  request: RedeemRequest,
  now: Date,
  options: RedeemOptions = {},
): Promise<Redemption> {
  if (!/^[\w-]{8,100}$/.test(request.idempotencyKey))
    throw new Error("idempotency key must be 8-100 word characters");
  return inTransaction(db, async (tx) => {
    const program = await ensureProgram(tx, shop);
    const member = await lockMember(tx, shop, (await upsertMember(tx, shop, request.customerGid, {})).id);
    // Under the member lock, so two requests with one key cannot both pass.
    const previous = await findRedemptionByKey(tx, shop, request.idempotencyKey);
    if (previous) {
      if (
        previous.rewardKey !== request.rewardKey ||
        previous.customerGid !== request.customerGid ||
        (request.points !== undefined && previous.pointsCost !== request.points)
      ) {
        throw new RedeemError("idempotency key reused for another reward");
      }
      return previous;
    }
    const rewards = await ensureRewards(tx, shop);
    const found = rewards.find((reward) => reward.key === request.rewardKey);
    const catalogRule = found ? rewardRuleOf(found) : null;
    // "Spend any amount": the reward scaled to the points chosen, within its limits.
    const chosen = catalogRule ? chosenReward(catalogRule, request.points) : null;
    if (chosen === "amount not allowed") {
      const any = catalogRule!.spendAnyAmount;
      const step = catalogRule!.pointsCost;
      throw new AmountNotAllowedError(any ? { step, ...any } : { step, minPoints: step, maxPoints: step });
    }
    const rule = chosen;
    // Store credit is in the shop's currency, with the scopes granted; without either it is off.
    const creditCurrency = rule ? await storeCreditCurrency(tx, shop, rule) : null;
    const refusal = redeemRefusal({
      reward: rule,
      balance: member.balance,
      tierKey: member.tierKey,
      programActive: program.active,
      storeCredit: creditCurrency !== null,
    });
    if (refusal) throw new RedeemError(refusal);
    const random = options.random ?? ((size: number) => randomBytes(size));
    const endsAt = await redemptionEndsAt(tx, shop, member.id, rule!, creditCurrency, now);
    const redemption = await createRedemption(tx, {
      shop,
      memberId: member.id,
      customerGid: request.customerGid,
      rewardKey: rule!.key,
      idempotencyKey: request.idempotencyKey,
      source: request.source ?? (request.staffId ? "STAFF" : "SHOPPER"),
      staffId: request.staffId ?? null,
      code: rewardCode(options.codePrefix ?? shopCodePrefix(shop), random(8)),
      pointsCost: rule!.pointsCost,
      startsAt: now,
      endsAt,
      creditCurrency,
      reward: rewardToJson(rule!),
    });
    await appendEntry(tx, shop, member, {
      kind: "REDEEM",
      points: -rule!.pointsCost,
      sourceKey: `redeem:${redemption.id}`,
      note: rule!.title,
      staffId: request.staffId,
      activityAt: now,
    });
    return redemption;
  });
}

function refund(db: PrismaClient, shop: string, redemption: Redemption, reason: string, now: Date) {
  return inTransaction(db, async (tx) => {
    const current = await getRedemption(tx, shop, redemption.id);
    if (current.status !== "RESERVED") return current;
    return returnRedemptionPoints(tx, shop, current, { status: "FAILED", reason, now, error: reason });
  });
}

type ShopifyResult = CreateCodeResult | { status: "credited"; transactionId: string };

/** Step 2 of a store credit reward: credit the account, unless a lost attempt already did. */
async function creditShopify(
  db: PrismaClient,
  admin: AdminGraphql,
  redemption: Redemption,
  currencyCode: string,
): Promise<ShopifyResult> {
  const reward = rewardFromJson(redemption.reward);
  const wanted = { amountMilli: reward.amountMilli!, currencyCode, expiresAt: redemption.endsAt };
  if (redemption.attempts > 1) {
    // An earlier attempt may have credited the account before its answer was lost.
    const credits = await recentCredits(admin, redemption.customerGid, currencyCode);
    const recorded = await recordedCreditTransactions(db, redemption.shop, redemption.memberId);
    const found = matchingCredit(credits, wanted, recorded);
    if (found) return { status: "credited", transactionId: found.id };
  }
  return creditStoreCredit(admin, { customerGid: redemption.customerGid, ...wanted });
}

async function callShopify(admin: AdminGraphql, redemption: Redemption): Promise<CreateCodeResult> {
  // A previous attempt may have created the code before its answer was lost.
  if (redemption.attempts > 1) {
    const existing = await findRewardCode(admin, redemption.code);
    if (existing) return { status: "created", nodeId: existing };
  }
  const reward = rewardFromJson(redemption.reward);
  const result = await createRewardCode(admin, {
    code: redemption.code,
    title: `${reward.title} (Regulars)`,
    customerGid: redemption.customerGid,
    reward,
    startsAt: redemption.startsAt,
    endsAt: redemption.endsAt,
  });
  if (result.status === "created") return result;
  // Refused: but if the code exists anyway (a concurrent or lost attempt made
  // it; the string is ours alone), it is issued, not failed.
  const existing = await findRewardCode(admin, redemption.code);
  return existing ? { status: "created", nodeId: existing } : result;
}

/**
 * Steps 2 and 3 for a RESERVED redemption; safe to call again after a crash
 * or a transient failure (which it rethrows after recording it). Returns the
 * redemption as it stands (RESERVED when another attempt holds it).
 */
export async function issueCode(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  redemptionId: string,
  now: () => Date = () => new Date(),
): Promise<Redemption> {
  const claimedAt = now();
  // A short claim, held while this attempt calls Shopify (app/jobs/lease.ts).
  const held = RowClaim.startingAt(
    claimedAt,
    (until, next) => renewRedemptionClaim(db, shop, redemptionId, until, next),
    now,
  );
  const claimed = await claimRedemption(db, shop, redemptionId, claimedAt, held.until);
  const redemption = await getRedemption(db, shop, redemptionId);
  if (!claimed) return redemption;

  let result: ShopifyResult;
  const currency = redemption.creditCurrency;
  try {
    result = await held.hold(() =>
      currency ? creditShopify(db, admin, redemption, currency) : callShopify(admin, redemption),
    );
  } catch (error) {
    if (!(error instanceof AdminTransientError)) {
      // Shopify refused the request itself (not a transient fault): the code was not created.
      return refund(db, shop, redemption, (error as Error).message, now());
    }
    // This attempt's claim only: one that outlived it may belong to another attempt by now.
    await held.release((until) =>
      releaseRedemption(db, shop, redemption.id, until, storedText(error.message)),
    );
    throw error;
  }
  if (result.status === "rejected") return refund(db, shop, redemption, result.errors.join("; "), now());
  const confirmed = result;
  await inTransaction(db, async (tx) => {
    const marked =
      confirmed.status === "credited"
        ? await markRedemptionCredited(tx, shop, redemption.id, confirmed.transactionId, now())
        : await markRedemptionIssued(tx, shop, redemption.id, confirmed.nodeId);
    if (!marked) return;
    // The member's active codes changed: Shopify's copy needs a sync; Flow hears of it.
    await markMemberChanged(tx, shop, redemption.memberId);
    await recordFlowEvent(tx, shop, {
      trigger: FLOW_TRIGGERS.rewardIssued,
      dedupeKey: `issued:${redemption.id}`,
      customerGid: redemption.customerGid,
      fields: {
        Reward: rewardFromJson(redemption.reward).title,
        // A store credit reward has no code: the credit is in the customer's account.
        Code: currency ? "" : redemption.code,
        "Points spent": redemption.pointsCost,
        "Expires at": redemption.endsAt.toISOString(),
      },
    });
  });
  return getRedemption(db, shop, redemption.id);
}

/** The whole redemption, for a request that can wait for Shopify. */
export async function redeemReward(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  request: RedeemRequest,
  now: Date,
  options: RedeemOptions = {},
): Promise<Redemption> {
  const reserved = await reservePoints(db, shop, request, now, options);
  try {
    return await issueCode(db, admin, shop, reserved.id, () => now);
  } catch (error) {
    // The points stay reserved; the code-issue job finishes it (with backoff).
    if (error instanceof AdminTransientError)
      noteFollowUp({ queue: "code-issue", shop, redemptionId: reserved.id });
    throw error;
  }
}

/** At most `limit` redemption requests per customer per minute. */
export async function redemptionRateExceeded(
  db: PrismaClient,
  shop: string,
  customerGid: string,
  now: Date,
  limit = 5,
) {
  const recent = await countRedemptionsSince(db, shop, customerGid, new Date(now.getTime() - 60_000));
  return recent >= limit;
}
