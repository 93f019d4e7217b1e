/**
 * What the storefront shows: for a logged-in member, their points, pending
 * points, tier and progress, the rewards they can afford and their active
 * codes; for a guest, how the program works and nothing personal.
 */
import type { PrismaClient } from "@prisma/client";
import { readMemberStatus } from "../../db/storefront-status.server";
import { ensureProgram, settingsOf, tierRulesOf } from "../../db/program.server";
import { ensureRewards, rewardRuleOf } from "../../db/rewards.server";
import { findShop } from "../../db/shops.server";
import { isExcludedCustomer } from "../../loyalty/exclusions";
import { formatMilli } from "../../loyalty/money";
import { referralRewardRefusal } from "../../loyalty/referrals";
import { rewardAvailable, storeCreditOn } from "../../loyalty/rewards";
import { formatE4 } from "../../loyalty/rates";
import { qualifyingTier, tierRank, tierValue, windowStart } from "../../loyalty/tiers";
import { PROXY_PATH_IN_APP_TOML } from "../../shopify/requests/app-proxy.server";
import { referralSettingsOf } from "../../db/referrals.server";
import { savedEarnRules } from "../../db/earn-rules.server";
import { allEarnRules, listedEarnActions } from "../../loyalty/earn-rules";
import { ensureReferralCode } from "../referrals/referrals.server";
import { upcomingBonusEvents } from "../bonus-events/bonus-events.server";

/** How the program works, as shoppers see it (no personal data); also Shopify's copy for Liquid. */
export async function programExplainer(db: PrismaClient, shop: string) {
  // Independent reads, sent together: a storefront request waits for one round trip, not two.
  const [program, catalog, shopRow, events, savedRules] = await Promise.all([
    ensureProgram(db, shop),
    ensureRewards(db, shop),
    findShop(db, shop),
    // Events not over: Shopify's copy is written when they are saved, not when they start or
    // end, so the storefront shows each from its start to its end by its own clock (decision 0022).
    upcomingBonusEvents(db, shop, new Date()),
    savedEarnRules(db, shop),
  ]);
  const settings = settingsOf(program);
  const tiers = tierRulesOf(program.tiers);
  // A store credit reward without the store credit scopes is off: shoppers do not see it.
  const storeCredit = storeCreditOn(shopRow?.scopes ?? null);
  const rewards = catalog.map(rewardRuleOf).filter((reward) => rewardAvailable(reward, storeCredit));
  const referral = referralSettingsOf(program);
  // The catalog reward a referrer gets instead of points, when chosen and still usable (else the
  // points are paid: decision 0019; a store credit one needs the scopes, as `rewards` does), by
  // the title shoppers know it by.
  const referrerReward = referral.rewardKey
    ? rewards.find((reward) => reward.key === referral.rewardKey && referralRewardRefusal(reward) === null)
    : undefined;
  const money = settings.tierBasis === "SPEND";
  const threshold = (value: bigint) => (money ? formatMilli(value) : value.toString());
  // The same amount as a number for Liquid's money filters, which take the currency's subunit
  // (cents: https://shopify.dev/docs/api/liquid/filters/money), or points.
  const amount = (value: bigint) => Number(money ? value / 10n : value);
  const explainer = {
    active: settings.active,
    earnRate: formatE4(settings.earnRateE4),
    // The shop's currency (ISO 4217, from the shop details query at setup; null until then), so
    // that the UI extensions can say "$10.00" with shopify.i18n.formatCurrency. Thresholds,
    // `remaining` and the earn rate are in this currency.
    currencyCode: shopRow?.currencyCode ?? null,
    // For the product block's estimate (extensions/regulars-theme/blocks/earn-points.liquid):
    // the exact rate, and whether tax and gift cards earn.
    earnRateE4: settings.earnRateE4,
    includesTax: settings.includeTax,
    includesGiftCards: settings.includeGiftCards,
    // The other ways to earn the storefront lists (0: none).
    signupBonus: settings.signupBonus,
    birthdayBonus: settings.birthdayBonus,
    // Ways to earn for an action, when on (decision 0023): newsletter, review, social follows
    // (each with its network's name and link).
    earnActions: listedEarnActions(allEarnRules(savedRules)),
    // Referrals, when on: what a friend gets (percent off a first order) and what the member gets:
    // referrerReward (a reward's title) when the merchant chose a reward, else referrerPoints.
    referrals: referral.enabled
      ? {
          refereePercent: referral.refereePercent,
          referrerPoints: referral.referrerPoints,
          referrerReward: referrerReward?.title ?? null,
        }
      : null,
    // Bonus events running or to come, each shown from startsAt to endsAt (ISO instants).
    bonusEvents: events,
    // Where the blocks call the app proxy (app/services/storefront/proxy-path.server.ts).
    proxyPath: program.proxyPathPrefix ?? PROXY_PATH_IN_APP_TOML,
    tierBasis: settings.tierBasis,
    tierWindow: settings.tierWindow,
    tiers: tiers.map((tier) => ({
      name: tier.name,
      threshold: threshold(tier.threshold),
      thresholdAmount: amount(tier.threshold),
      multiplier: formatE4(tier.multiplierE4),
    })),
    rewards: rewards.map((reward) => ({
      key: reward.key,
      title: reward.title,
      pointsCost: reward.pointsCost,
      type: reward.type,
      // "Spend any amount": the theme's picker (snippets/regulars-status.liquid) offers any multiple
      // of `step` points from `minPoints` to `maxPoints`, each step worth `stepCents` (the shop's
      // currency in its subunit, as Liquid's money filters take it). The app still checks the
      // amount chosen when it is redeemed (chosenReward); this is only what the page offers.
      ...(reward.spendAnyAmount && reward.amountMilli !== null
        ? {
            anyAmount: {
              step: reward.pointsCost,
              stepCents: Number(reward.amountMilli / 10n),
              minPoints: reward.spendAnyAmount.minPoints,
              maxPoints: reward.spendAnyAmount.maxPoints,
            },
          }
        : {}),
    })),
  };
  return { explainer, settings, tiers, rewards, threshold, amount, storeCredit };
}

/**
 * What a customer left out of the program (an excluded tag: app/loyalty/exclusions.ts) is told:
 * not eligible, and nothing of the program or of their own data (docs/decisions/0021-exclusions.md).
 */
const NOT_ELIGIBLE = { loggedIn: true, eligible: false, reason: "excluded" } as const;

/**
 * The status a shopper sees (the app proxy, customer accounts, checkout): storefrontStatus,
 * or NOT_ELIGIBLE for a customer with an excluded tag.
 */
export async function shopperStatus(
  db: PrismaClient,
  shop: string,
  customerGid: string | null,
  now: Date,
  explain: typeof programExplainer = programExplainer,
) {
  const status = await statusWithExclusion(db, shop, customerGid, now, explain);
  if (status.loggedIn) {
    const { excluded, ...rest } = status;
    return excluded ? NOT_ELIGIBLE : rest;
  }
  return status;
}

/**
 * `explain` reads the program and catalog: fresh by default; the app proxy
 * passes its short-lived cache (program-explainer-cache.server.ts). The
 * member's own figures, whether or not their tags leave them out (the admin
 * and the member sync read it; shoppers get shopperStatus).
 */
export async function storefrontStatus(
  db: PrismaClient,
  shop: string,
  customerGid: string | null,
  now: Date,
  explain: typeof programExplainer = programExplainer,
) {
  const status = await statusWithExclusion(db, shop, customerGid, now, explain);
  if (!status.loggedIn) return status;
  const { excluded: _excluded, ...rest } = status;
  return rest;
}

async function statusWithExclusion(
  db: PrismaClient,
  shop: string,
  customerGid: string | null,
  now: Date,
  explain: typeof programExplainer = programExplainer,
) {
  const { explainer, settings, tiers, rewards, threshold, amount, storeCredit } = await explain(db, shop);
  if (!customerGid) return { loggedIn: false as const, program: explainer };
  const member = await readMemberStatus(db, shop, customerGid, windowStart(settings.tierWindow, now), now);
  if (!member) {
    return {
      loggedIn: true as const,
      excluded: false,
      program: explainer,
      points: 0,
      pending: 0,
      tier: tiers[0]?.name ?? null,
      nextTier: null,
      rewards: [],
      codes: [],
      history: [],
      referral: null,
      storeCredit: null,
    };
  }
  const { activity } = member;
  const value = tierValue(settings.tierBasis, activity);
  const current = tiers.find((tier) => tier.key === member.tierKey) ?? qualifyingTier(tiers, value);
  const next = tiers[tierRank(tiers, current?.key ?? null) + 1] ?? null;
  return {
    loggedIn: true as const,
    excluded: isExcludedCustomer(member.tags, settings.excludedTags),
    program: explainer,
    points: member.balance,
    pending: member.pending,
    tier: current?.name ?? null,
    nextTier: next ? tierProgress(next, current?.threshold ?? 0n, value, threshold, amount) : null,
    rewards: rewards
      .filter(
        (reward) =>
          reward.tierKeys.length === 0 ||
          (member.tierKey !== null && reward.tierKeys.includes(member.tierKey)),
      )
      .map((reward) => {
        // "Spend any amount": the choice the storefront offers (any multiple of the step within the limits).
        const any = reward.spendAnyAmount;
        return {
          key: reward.key,
          title: reward.title,
          pointsCost: reward.pointsCost,
          affordable: member.balance >= (any?.minPoints ?? reward.pointsCost),
          ...(any && reward.amountMilli !== null
            ? {
                anyAmount: {
                  step: reward.pointsCost,
                  stepAmount: formatMilli(reward.amountMilli),
                  minPoints: any.minPoints,
                  maxPoints: any.maxPoints,
                },
              }
            : {}),
        };
      }),
    codes: member.codes.map((code) => ({
      code: code.code,
      title: code.title ?? code.rewardKey,
      endsAt: code.endsAt,
    })),
    history: member.history,
    // Their store credit in the shop's currency, as the member sync last read it from Shopify
    // (docs/decisions/0025: up to date as of their last points change or order); null while the
    // shop does not grant the store credit scopes, or before it was read.
    storeCredit:
      storeCredit && member.storeCredit && member.storeCredit.currencyCode === explainer.currencyCode
        ? {
            amount: formatMilli(member.storeCredit.amountMilli),
            cents: Number(member.storeCredit.amountMilli / 10n),
            currencyCode: member.storeCredit.currencyCode,
            readAt: member.storeCredit.readAt,
          }
        : null,
    // The member's link (/{proxy path}/r/<code>), on the storefront's own domain; null while off.
    referral: explainer.referrals
      ? referralLink(
          explainer.proxyPath,
          member.referralCode ?? (await ensureReferralCode(db, shop, member.id)),
        )
      : null,
  };
}

const referralLink = (proxyPath: string, code: string) => ({ code, path: `${proxyPath}/r/${code}` });

/**
 * How far a member is on the way to the next tier: `remaining` as text (money or points, as
 * before), `amount` the same as a number (cents for money, for Liquid's money filters, or
 * points) and `percent` of the way from the current tier's threshold to the next one's.
 */
function tierProgress(
  next: { name: string; threshold: bigint },
  from: bigint,
  value: bigint,
  threshold: (value: bigint) => string,
  amount: (value: bigint) => number,
) {
  const remaining = next.threshold > value ? next.threshold - value : 0n;
  const span = next.threshold - from;
  const done = value - from;
  const percent = span <= 0n ? 100 : Number(((done < 0n ? 0n : done > span ? span : done) * 100n) / span);
  return { name: next.name, remaining: threshold(remaining), amount: amount(remaining), percent };
}

/**
 * A member's state after a change they made on the storefront (a redemption), for the theme's
 * script to update every Regulars element on the page without a reload: the same fields as the
 * status, without the program.
 */
export async function memberStatusAfterChange(
  db: PrismaClient,
  shop: string,
  customerGid: string,
  now: Date,
  explain: typeof programExplainer = programExplainer,
) {
  const status = await storefrontStatus(db, shop, customerGid, now, explain);
  if (!status.loggedIn) throw new Error("unreachable: a customer was given");
  const { points, pending, tier, nextTier, rewards, codes, history } = status;
  return { points, pending, tier, nextTier, rewards, codes, history };
}
