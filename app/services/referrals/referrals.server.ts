/**
 * Referrals: every member's link, a visit through it, the referee's first-order code, and the
 * referrer's reward once that order is paid and its pending window has passed
 * (docs/decisions/0019-referrals.md).
 *
 *   1. A member's link code is given on first need (the storefront status, the member sync).
 *   2. A visit to /{proxy path}/r/<code> is counted; the visitor gives an email (or is signed in)
 *      and gets a first-order code: the referral row is written first with the code string we
 *      chose, then Shopify creates the discount; a retry looks the code up before creating it.
 *   3. A paid order that used an open referral's code queues a `referral-settle` job (both
 *      crediting paths note it): the job ties the referral to its first order at once and, while
 *      the order's pending window runs, queues itself again for the instant it ends; then the
 *      fraud checks (app/loyalty/referrals.ts) either pay the referrer (one ledger entry, key
 *      referral:<id>) or hold the referral for review; a cancelled or fully refunded first order
 *      pays nothing. The hourly and daily maintenance settle every open referral too: the safety
 *      net for a job lost in a crash.
 *   4. The merchant approves (pays) or rejects (with a reason) a held referral.
 */
import { randomBytes } from "node:crypto";
import type { PrismaClient, Referral } from "@prisma/client";
import {
  appendEntry,
  findLedgerEntry,
  findMember,
  lockMember,
  markAllMembersChanged,
  memberOfCustomer,
} from "../../db/members.server";
import { ensureProgram, markProgramChanged } from "../../db/program.server";
import {
  assignReferralCode,
  createReferral,
  findReferral,
  firstOrdersWithCodes,
  heldReferrals,
  lockReferral,
  memberByReferralCode,
  openReferrals,
  openReferralsWithCodes,
  orderRecordOf,
  orderedBefore,
  paidReferralsSince,
  recordReferralVisit,
  shippingAddressHashesOf,
  referralFigures,
  referralOfReferee,
  referralSettingsOf,
  updateReferral,
  updateReferralSettings,
} from "../../db/referrals.server";
import { ensureRewards, findReward, rewardRuleOf } from "../../db/rewards.server";
import { inTransaction, type Tx } from "../../db/tx.server";
import { noteFollowUp } from "../../jobs/follow-ups.server";
import { fieldErrorsOf, type FieldErrors } from "../../loyalty/field-error";
import {
  firstOrderState,
  holdReasons,
  monthStart,
  normaliseEmail,
  parseReferralCode,
  REFERRAL_ACTION,
  referralCode,
  referralRewardKey,
  referralRewardRefusal,
  referralSettingsSchema,
  type ReferralSettings,
} from "../../loyalty/referrals";
import { formatMilli } from "../../loyalty/money";
import { rewardCode, shopCodePrefix } from "../../loyalty/rewards";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { createReferralCode, findRewardCode } from "../../shopify/admin-api/discount-codes.server";
import { reserveFreeReward } from "../rewards/free-reward.server";

/** Why a referral request is refused; each is a code the storefront page and the admin word. */
export type ReferralRefusal =
  | "referrals_off"
  | "unknown_link"
  | "invalid_email"
  | "own_link"
  | "not_found"
  | "not_held"
  | "reason_required"
  | "invalid_settings"
  /** Shopify refused to create the friend's code (the referral stays; asking again retries). */
  | "code_not_created";

export class ReferralError extends Error {
  constructor(
    readonly reason: ReferralRefusal,
    readonly issues: string[] = [],
    /** For `invalid_settings`: what is wrong with each field, as codes the admin words. */
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(issues.length ? `${reason}: ${issues.join("; ")}` : reason);
    this.name = "ReferralError";
  }
}

/** How long a referee's first-order code lasts. */
const CODE_LIFETIME_DAYS = 90;

async function readReferralSettings(db: PrismaClient | Tx, shop: string): Promise<ReferralSettings> {
  return referralSettingsOf(await ensureProgram(db, shop));
}

/**
 * Saves the referral settings; bad input changes nothing and says which fields. The program's copy
 * in Shopify follows (the program sync); the caller forgets the proxy's cached explainer
 * (forgetProgramExplainer), as a program save does.
 */
export async function saveReferralSettings(
  db: PrismaClient,
  shop: string,
  input: unknown,
): Promise<ReferralSettings> {
  const parsed = referralSettingsSchema.safeParse(input);
  if (!parsed.success)
    throw new ReferralError(
      "invalid_settings",
      parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`),
      fieldErrorsOf(parsed.error.issues),
    );
  await inTransaction(db, async (tx) => {
    const before = referralSettingsOf(await ensureProgram(tx, shop));
    if (parsed.data.rewardKey !== null) {
      const catalog = await ensureRewards(tx, shop);
      const chosen = catalog.find((reward) => reward.key === parsed.data.rewardKey);
      const refusal = referralRewardRefusal(chosen ? rewardRuleOf(chosen) : null);
      if (refusal) throw new ReferralError("invalid_settings", [], { rewardKey: refusal });
    }
    await updateReferralSettings(tx, shop, parsed.data);
    await markProgramChanged(tx, shop);
    // Members' referral_link metafield appears or goes with the switch: every member syncs.
    if (before.enabled !== parsed.data.enabled) await markAllMembersChanged(tx, shop);
  });
  return parsed.data;
}

/** The member's link code, given now if they have none (a clash with another member draws again). */
export async function ensureReferralCode(
  db: PrismaClient | Tx,
  shop: string,
  memberId: string,
): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = await assignReferralCode(db as Tx, shop, memberId, referralCode(randomBytes(8)));
    if (code) return code;
  }
  throw new Error("could not draw a free referral code");
}

/**
 * A visit through a link: counted when the link is a member's and referrals are on. Returns the
 * referrer's first name (what the page may say about them), or the refusal.
 */
export async function visitReferralLink(
  db: PrismaClient,
  shop: string,
  rawCode: string,
  now: Date,
): Promise<{ referrerName: string | null; percent: number }> {
  const { referrer, settings } = await referrerOf(db, shop, rawCode);
  await recordReferralVisit(db, shop, referrer.id, now);
  return { referrerName: referrer.firstName, percent: settings.refereePercent };
}

async function referrerOf(db: PrismaClient | Tx, shop: string, rawCode: string) {
  const settings = await readReferralSettings(db, shop);
  if (!settings.enabled) throw new ReferralError("referrals_off");
  const code = parseReferralCode(rawCode);
  const referrer = code ? await memberByReferralCode(db as Tx, shop, code) : null;
  if (!referrer) throw new ReferralError("unknown_link");
  return { referrer, settings };
}

export interface ClaimedReferral {
  code: string;
  percent: number;
  endsAt: Date;
  /** false: this referee had already been given a code (the same one is answered). */
  created: boolean;
}

/**
 * A referee claims their first-order code through a link, with an email or signed in. One
 * referral per referee (their normalised email), ever: asking again answers the same code.
 * Someone following their own link is refused and nothing is written.
 */
export async function claimReferral(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  rawCode: string,
  who: { email: string | null; customerGid: string | null },
  now: Date,
): Promise<ClaimedReferral> {
  const { referrer, settings } = await referrerOf(db, shop, rawCode);
  let email = who.email;
  if (!email && who.customerGid) email = (await memberOfCustomer(db, shop, who.customerGid))?.email ?? null;
  const refereeEmail = email ? normaliseEmail(email) : null;
  if (!refereeEmail) throw new ReferralError("invalid_email");
  const referrerEmail = referrer.email ? normaliseEmail(referrer.email) : null;
  if ((who.customerGid && who.customerGid === referrer.customerGid) || refereeEmail === referrerEmail)
    throw new ReferralError("own_link");

  let referral = await referralOfReferee(db, shop, refereeEmail);
  let created = false;
  if (!referral) {
    referral = await createReferral(db, shop, {
      referrerId: referrer.id,
      refereeEmail,
      refereeCustomerGid: who.customerGid,
      code: rewardCode(`${shopCodePrefix(shop)}-FRIEND`, randomBytes(8)),
      at: now,
    });
    created = referral !== null;
    // A concurrent claim for the same referee won: answer its code.
    referral ??= await referralOfReferee(db, shop, refereeEmail);
  }
  if (!referral) throw new Error("unreachable: the referral exists");
  const endsAt = new Date(referral.createdAt.getTime() + CODE_LIFETIME_DAYS * 86_400_000);
  if (!referral.discountGid)
    await createCodeInShopify(db, admin, shop, referral, settings.refereePercent, endsAt);
  return { code: referral.code, percent: settings.refereePercent, endsAt, created };
}

/** Creates the referral's code in Shopify unless it is there (a lost answer), and records it. */
async function createCodeInShopify(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  referral: Referral,
  percent: number,
  endsAt: Date,
): Promise<void> {
  let nodeId = await findRewardCode(admin, referral.code);
  if (!nodeId) {
    const result = await createReferralCode(admin, {
      code: referral.code,
      title: `Referral: ${percent}% off a first order (Regulars)`,
      customerGid: referral.refereeCustomerGid,
      percent,
      startsAt: referral.createdAt,
      endsAt,
    });
    if (result.status === "rejected") {
      await updateReferral(db, shop, referral.id, { codeError: result.errors.join("; ") });
      throw new ReferralError("code_not_created", result.errors);
    }
    nodeId = result.nodeId;
  }
  await updateReferral(db, shop, referral.id, { discountGid: nodeId, codeError: null });
}

/**
 * Called by both crediting paths, in their transaction, with the orders they recorded: a paid
 * order that used an open referral's code queues its settlement (the `referral-settle` job, once
 * the transaction commits). Orders without codes cost nothing; others one indexed read.
 */
export async function noteReferralOrders(
  tx: Tx,
  shop: string,
  orders: readonly { orderGid: string; paidAt: Date | null; discountCodes: readonly string[] }[],
): Promise<void> {
  const paid = orders.filter((order) => order.paidAt && order.discountCodes.length > 0);
  if (paid.length === 0) return;
  const open = await openReferralsWithCodes(
    tx,
    shop,
    paid.flatMap((order) => order.discountCodes),
  );
  if (open.length === 0) return;
  const codes = new Set(open.map((referral) => referral.code.toUpperCase()));
  for (const order of paid) {
    if (order.discountCodes.some((code) => codes.has(code.toUpperCase())))
      noteFollowUp({ queue: "referral-settle", shop, orderGid: order.orderGid });
  }
}

export interface OrderSettlement extends SettleReport {
  /** A referral of this order waits for its pending window until then: settle again at that instant. */
  waitUntil: Date | null;
}

/**
 * Settles the referrals whose code this order used (the `referral-settle` job): ties each to its
 * first order, then pays, holds or voids it once that order's window has passed, or says until
 * when it waits. Safe to run any number of times, at once too: the referral's row lock and the
 * ledger key referral:<id> pay once.
 */
export async function settleReferralsOfOrder(
  db: PrismaClient,
  shop: string,
  orderGid: string,
  now: Date,
): Promise<OrderSettlement> {
  const result: OrderSettlement = { ordered: 0, paid: 0, held: 0, voided: 0, waitUntil: null };
  const order = await orderRecordOf(db, shop, orderGid);
  if (!order) return result;
  const referrals = await openReferralsWithCodes(db, shop, order.discountCodes);
  if (referrals.length === 0) return result;
  const program = await ensureProgram(db, shop);
  const settings = referralSettingsOf(program);
  const firstOrders = await firstOrdersWithCodes(
    db,
    shop,
    referrals.map((referral) => referral.code),
  );
  for (const referral of referrals) {
    const first = referral.orderGid ?? firstOrders.get(referral.code.toUpperCase());
    if (!first) continue;
    const settled = await inTransaction(db, (tx) =>
      settleOne(tx, shop, referral.id, first, settings, program.pendingDays, now),
    );
    for (const outcome of settled.outcomes) result[outcome]++;
    if (settled.waitUntil && (!result.waitUntil || settled.waitUntil < result.waitUntil))
      result.waitUntil = settled.waitUntil;
  }
  return result;
}

export interface SettleReport {
  ordered: number;
  paid: number;
  held: number;
  voided: number;
}

const PAGE = 200;

/**
 * Settles every open referral of the shop (the hourly and daily maintenance call it, the safety
 * net of the referral-settle jobs; safe to run any number of times): ties each to the first order that used its code, then pays, holds or voids it once
 * that order's pending window has passed.
 */
export async function settleReferrals(db: PrismaClient, shop: string, now: Date): Promise<SettleReport> {
  const report: SettleReport = { ordered: 0, paid: 0, held: 0, voided: 0 };
  const program = await ensureProgram(db, shop);
  const settings = referralSettingsOf(program);
  let after: string | null = null;
  for (;;) {
    const page = await openReferrals(db, shop, after, PAGE);
    if (page.length === 0) return report;
    const firstOrders = await firstOrdersWithCodes(
      db,
      shop,
      page.map((referral) => referral.code),
    );
    for (const { id, code } of page) {
      const orderGid = firstOrders.get(code.toUpperCase());
      if (!orderGid) continue;
      const { outcomes } = await inTransaction(db, (tx) =>
        settleOne(tx, shop, id, orderGid, settings, program.pendingDays, now),
      );
      for (const outcome of outcomes) report[outcome]++;
    }
    after = page[page.length - 1]!.id;
  }
}

async function settleOne(
  tx: Tx,
  shop: string,
  id: string,
  orderGid: string,
  settings: ReferralSettings,
  pendingDays: number,
  now: Date,
): Promise<{ outcomes: (keyof SettleReport)[]; waitUntil: Date | null }> {
  const done = (outcomes: (keyof SettleReport)[], waitUntil: Date | null = null) => ({ outcomes, waitUntil });
  const referral = await lockReferral(tx, shop, id);
  if (!referral || (referral.status !== "ISSUED" && referral.status !== "ORDERED")) return done([]);
  // The order tied before stays the first order; a new referral is tied to the one found.
  const order = await orderRecordOf(tx, shop, referral.orderGid ?? orderGid);
  if (!order) return done([]);
  const outcomes: (keyof SettleReport)[] = [];
  if (referral.status === "ISSUED") {
    await updateReferral(tx, shop, id, {
      status: "ORDERED",
      orderGid: order.orderGid,
      orderedAt: order.paidAt ?? order.createdAt,
      refereeCustomerGid: referral.refereeCustomerGid ?? order.customerGid,
      revenueMilli: order.merchandiseMilli,
    });
    outcomes.push("ordered");
  }
  const state = firstOrderState(
    { paidAt: order.paidAt, cancelledAt: order.cancelledAt, netEligibleMilli: order.netEligibleMilli },
    pendingDays,
    now,
  );
  if (state.state === "wait") return done(outcomes, state.until);
  if (state.state === "void") {
    await updateReferral(tx, shop, id, { status: "VOID", decisionNote: state.reason, revenueMilli: 0n });
    return done([...outcomes, "voided"]);
  }
  const referrer = await findMember(tx, shop, referral.referrerId);
  if (!referrer) {
    await updateReferral(tx, shop, id, { status: "VOID", decisionNote: "referrer_gone" });
    return done([...outcomes, "voided"]);
  }
  const customerGid = referral.refereeCustomerGid ?? order.customerGid;
  const reasons = holdReasons(
    {
      referrer: {
        customerGid: referrer.customerGid,
        email: referrer.email,
        // Compared as keyed hashes (address-hash.server.ts): the addresses are not kept.
        addressKeys: settings.checkAddress
          ? await shippingAddressHashesOf(tx, shop, referrer.customerGid, order.orderGid)
          : [],
        // No order field Regulars receives identifies a card (decision 0019): never compared.
        cardKeys: [],
      },
      referee: {
        customerGid,
        email: referral.refereeEmail,
        addressKey: order.shippingAddressHash,
        cardKey: null,
        orderedBefore: await orderedBefore(
          tx,
          shop,
          { customerGid, email: referral.refereeEmail },
          order.orderGid,
          order.paidAt ?? order.createdAt,
        ),
      },
      paidThisMonth: await paidReferralsSince(tx, shop, referrer.id, monthStart(now)),
    },
    settings,
  );
  await updateReferral(tx, shop, id, { revenueMilli: order.netEligibleMilli });
  if (reasons.length > 0) {
    await updateReferral(tx, shop, id, { status: "HELD", holdReasons: reasons });
    return done([...outcomes, "held"]);
  }
  await payReferrer(tx, shop, referral, settings, now);
  return done([...outcomes, "paid"]);
}

/**
 * The referrer's reward, under the referral's row lock. The merchant's catalog reward, when
 * chosen and still usable: a free redemption keyed referral-<id> (as a tier's entry reward is
 * given), finished by the code-issue job (a code, or a store credit reward's credit). Otherwise
 * points: one BONUS entry keyed referral:<id>. Either key is unique per shop, so nothing is paid
 * twice.
 */
async function payReferrer(tx: Tx, shop: string, referral: Referral, settings: ReferralSettings, now: Date) {
  const reward = settings.rewardKey ? await findReward(tx, shop, settings.rewardKey) : null;
  const member = reward ? await findMember(tx, shop, referral.referrerId) : null;
  if (reward && member) {
    const given = await reserveFreeReward(
      tx,
      shop,
      member,
      reward,
      { idempotencyKey: `referral-${referral.id}`, source: "REFERRAL" },
      now,
    );
    if (given.outcome !== "unavailable") {
      await updateReferral(tx, shop, referral.id, {
        status: "PAID",
        paidAt: now,
        rewardPoints: 0,
        rewardKey: reward.key,
      });
      return;
    }
  }
  // Points: chosen, or the chosen reward cannot be given now: disabled or deleted since, or store
  // credit without the shop's store credit scopes (decision 0019).
  const points = settings.referrerPoints;
  const key = referralRewardKey(referral.id);
  if (!(await findLedgerEntry(tx, shop, key))) {
    const member = await lockMember(tx, shop, referral.referrerId);
    await appendEntry(tx, shop, member, {
      kind: "BONUS",
      points,
      sourceKey: key,
      // No friend's email in another member's history: the referral names them (admin only).
      note: "Referral: a friend's first order",
      action: REFERRAL_ACTION,
      activityAt: now,
    });
  }
  await updateReferral(tx, shop, referral.id, { status: "PAID", paidAt: now, rewardPoints: points });
}

/** The merchant approves a held referral: the referrer is paid now, at today's reward. */
export async function approveReferral(
  db: PrismaClient,
  shop: string,
  id: string,
  staffId: string,
  now: Date,
) {
  return inTransaction(db, async (tx) => {
    const referral = await lockReferral(tx, shop, id);
    if (!referral) throw new ReferralError("not_found");
    if (referral.status !== "HELD") throw new ReferralError("not_held");
    const settings = referralSettingsOf(await ensureProgram(tx, shop));
    await payReferrer(tx, shop, referral, settings, now);
    await updateReferral(tx, shop, id, { decidedBy: staffId, decidedAt: now });
    return findReferral(tx, shop, id);
  });
}

/** The merchant rejects a held referral, saying why; nothing is paid. */
export async function rejectReferral(
  db: PrismaClient,
  shop: string,
  id: string,
  staffId: string,
  note: string,
  now: Date,
) {
  const reason = note.trim();
  if (!reason || reason.length > 500) throw new ReferralError("reason_required");
  return inTransaction(db, async (tx) => {
    const referral = await lockReferral(tx, shop, id);
    if (!referral) throw new ReferralError("not_found");
    if (referral.status !== "HELD") throw new ReferralError("not_held");
    await updateReferral(tx, shop, id, {
      status: "REJECTED",
      decisionNote: reason,
      decidedBy: staffId,
      decidedAt: now,
    });
    return findReferral(tx, shop, id);
  });
}

/** The admin's referrals page: the settings, the last 30 days' figures, and the review queue. */
/** The last 30 days' referral figures, as the Referrals page and Home's referral card show them. */
async function lastMonthFigures(db: PrismaClient, shop: string, now: Date) {
  const figures = await referralFigures(db, shop, new Date(now.getTime() - 30 * 86_400_000));
  // Money as text (as every admin page has it), never a BigInt: the loader's answer is JSON.
  return {
    visits: figures.visits,
    referees: figures.referees,
    firstOrders: figures.firstOrders,
    rewardsPaid: figures.rewardsPaid,
    pointsPaid: figures.pointsPaid,
    held: figures.held,
    revenue: formatMilli(figures.revenueMilli),
  };
}

export type ReferralFiguresView = Awaited<ReturnType<typeof lastMonthFigures>>;

/** Home's referral card: the Referrals page's figures while referrals are on, else null. */
export async function referralHomeCard(db: PrismaClient, shop: string, now: Date) {
  const settings = await readReferralSettings(db, shop);
  return settings.enabled ? { figures: await lastMonthFigures(db, shop, now) } : null;
}

export async function referralsPage(db: PrismaClient, shop: string, now: Date) {
  const [settings, figures, queue, rewards] = await Promise.all([
    readReferralSettings(db, shop),
    lastMonthFigures(db, shop, now),
    heldReferrals(db, shop, 100),
    ensureRewards(db, shop),
  ]);
  return {
    settings,
    // The catalog rewards a referrer can get (referralRewardRefusal), for the form's choice.
    rewardChoices: rewards
      .filter((reward) => referralRewardRefusal(rewardRuleOf(reward)) === null)
      .map((reward) => ({ key: reward.key, title: reward.title })),
    figures,
    queue: queue.map((row) => ({
      id: row.id,
      refereeEmail: row.refereeEmail,
      referrer: row.referrer
        ? {
            id: row.referrer.id,
            name: [row.referrer.firstName, row.referrer.lastName].filter(Boolean).join(" ") || null,
            email: row.referrer.email,
          }
        : null,
      orderGid: row.orderGid,
      revenue: formatMilli(row.revenueMilli),
      holdReasons: row.holdReasons,
      heldAt: row.updatedAt.toISOString(),
    })),
  };
}
