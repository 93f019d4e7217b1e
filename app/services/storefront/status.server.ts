/**
 * What the storefront shows: for a logged-in member, their points, pending
 * points, tier and progress, the rewards they can afford and their active
 * codes; for a guest, how the program works and nothing personal.
 */
import type { PrismaClient } from "@prisma/client";
import { readMemberStatus } from "../../db/storefront-status.server";
import { ensureProgram, settingsOf, tierRulesOf } from "../../db/program.server";
import { ensureRewards, rewardRuleOf } from "../../db/rewards.server";
import { formatMilli } from "../../loyalty/money";
import { formatE4 } from "../../loyalty/rates";
import { qualifyingTier, tierRank, tierValue, windowStart } from "../../loyalty/tiers";
import { PROXY_PATH_IN_APP_TOML } from "../../shopify/requests/app-proxy.server";

/** How the program works, as shoppers see it (no personal data); also Shopify's copy for Liquid. */
export async function programExplainer(db: PrismaClient, shop: string) {
  // Independent reads, sent together: a storefront request waits for one round trip, not two.
  const [program, catalog] = await Promise.all([ensureProgram(db, shop), ensureRewards(db, shop)]);
  const settings = settingsOf(program);
  const tiers = tierRulesOf(program.tiers);
  const rewards = catalog.map(rewardRuleOf).filter((reward) => reward.enabled);
  const money = settings.tierBasis === "SPEND";
  const threshold = (value: bigint) => (money ? formatMilli(value) : value.toString());
  const explainer = {
    active: settings.active,
    earnRate: formatE4(settings.earnRateE4),
    // For the product block's estimate (extensions/regulars-theme/blocks/earn-points.liquid):
    // the exact rate, and whether tax and gift cards earn.
    earnRateE4: settings.earnRateE4,
    includesTax: settings.includeTax,
    includesGiftCards: settings.includeGiftCards,
    // Where the blocks call the app proxy (app/services/storefront/proxy-path.server.ts).
    proxyPath: program.proxyPathPrefix ?? PROXY_PATH_IN_APP_TOML,
    tierBasis: settings.tierBasis,
    tierWindow: settings.tierWindow,
    tiers: tiers.map((tier) => ({
      name: tier.name,
      threshold: threshold(tier.threshold),
      multiplier: formatE4(tier.multiplierE4),
    })),
    rewards: rewards.map((reward) => ({
      key: reward.key,
      title: reward.title,
      pointsCost: reward.pointsCost,
      type: reward.type,
    })),
  };
  return { explainer, settings, tiers, rewards, threshold };
}

/**
 * `explain` reads the program and catalog: fresh by default; the app proxy
 * passes its short-lived cache (program-explainer-cache.server.ts).
 */
export async function storefrontStatus(
  db: PrismaClient,
  shop: string,
  customerGid: string | null,
  now: Date,
  explain: typeof programExplainer = programExplainer,
) {
  const { explainer, settings, tiers, rewards, threshold } = await explain(db, shop);
  if (!customerGid) return { loggedIn: false as const, program: explainer };
  const member = await readMemberStatus(db, shop, customerGid, windowStart(settings.tierWindow, now), now);
  if (!member) {
    return {
      loggedIn: true as const,
      program: explainer,
      points: 0,
      pending: 0,
      tier: tiers[0]?.name ?? null,
      nextTier: null,
      rewards: [],
      codes: [],
    };
  }
  const { activity } = member;
  const value = tierValue(settings.tierBasis, activity);
  const current = tiers.find((tier) => tier.key === member.tierKey) ?? qualifyingTier(tiers, value);
  const next = tiers[tierRank(tiers, current?.key ?? null) + 1] ?? null;
  return {
    loggedIn: true as const,
    program: explainer,
    points: member.balance,
    pending: member.pending,
    tier: current?.name ?? null,
    nextTier: next
      ? { name: next.name, remaining: threshold(next.threshold > value ? next.threshold - value : 0n) }
      : null,
    rewards: rewards
      .filter(
        (reward) =>
          reward.tierKeys.length === 0 ||
          (member.tierKey !== null && reward.tierKeys.includes(member.tierKey)),
      )
      .map((reward) => ({
        key: reward.key,
        title: reward.title,
        pointsCost: reward.pointsCost,
        affordable: member.balance >= reward.pointsCost,
      })),
    codes: member.codes.map((code) => ({
      code: code.code,
      title: code.title ?? code.rewardKey,
      endsAt: code.endsAt,
    })),
  };
}
