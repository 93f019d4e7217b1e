/**
 * Which tier a member holds. The basis (spend, points or orders) is measured
 * over a window; with the grace rule, a member keeps a tier until the end of
 * the window after the one that earned it.
 */
import type { Milli } from "./money";
import type { TierBasis, TierRule, TierWindow } from "./program";

/** The tier a member holds. */
export interface HeldTier {
  tierKey: string | null;
  /** With grace: the tier is kept until this moment even if no longer earned. */
  heldUntil: Date | null;
}

export interface TierDecision extends HeldTier {
  changed: boolean;
  direction: "up" | "down" | "same";
}

function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

export { addMonths };

/** The start of the window that counts at `now` (null = since the beginning). Calendar years are UTC. */
export function windowStart(window: TierWindow, now: Date): Date | null {
  switch (window) {
    case "ROLLING_12_MONTHS":
      return addMonths(now, -12);
    case "CALENDAR_YEAR":
      return new Date(Date.UTC(now.getUTCFullYear(), 0, 1));
    case "LIFETIME":
      return null;
  }
}

/** The end of the window after the one in which a tier was earned at `at`. */
export function graceEnd(window: TierWindow, at: Date): Date {
  switch (window) {
    case "CALENDAR_YEAR":
      return new Date(Date.UTC(at.getUTCFullYear() + 2, 0, 1));
    case "ROLLING_12_MONTHS":
    case "LIFETIME":
      return addMonths(at, 12);
  }
}

/** The highest tier whose threshold the value reaches (tiers sorted ascending). */
export function qualifyingTier(tiers: readonly TierRule[], value: bigint): TierRule | null {
  let best: TierRule | null = null;
  for (const tier of tiers) if (value >= tier.threshold) best = tier;
  return best;
}

/** What a member's tier is measured on over the window; MEMBER_ACTIVITY_SQL (app/db/orders.server.ts) reads it. */
export interface TierActivity {
  /** Net eligible spend of the orders counted. */
  spend: Milli;
  points: bigint;
  /** Orders counted with a net eligible amount above 0. */
  orders: bigint;
}

/** The member's measure for tiers on the program's basis. */
export function tierValue(basis: TierBasis, activity: TierActivity): bigint {
  switch (basis) {
    case "SPEND":
      return activity.spend;
    case "POINTS":
      return activity.points;
    case "ORDERS":
      return activity.orders;
  }
}

/**
 * Adds an order just awarded to its member's activity: counted when not
 * cancelled and paid within the window (since `since`), as
 * MEMBER_ACTIVITY_SQL counts the recorded ones.
 */
export function countInActivity(
  activity: TierActivity,
  order: { cancelled: boolean; paidAt: Date; netEligibleMilli: Milli; points: number },
  since: Date,
): void {
  if (order.cancelled || order.paidAt < since) return;
  activity.spend += order.netEligibleMilli;
  activity.points += BigInt(order.points);
  if (order.netEligibleMilli > 0n) activity.orders += 1n;
}

export function tierRank(tiers: readonly TierRule[], key: string | null): number {
  return key === null ? -1 : tiers.findIndex((tier) => tier.key === key);
}

export function multiplierOf(tiers: readonly TierRule[], key: string | null): number {
  return tiers.find((tier) => tier.key === key)?.multiplierE4 ?? 10_000;
}

export function evaluateTier(input: {
  tiers: readonly TierRule[];
  window: TierWindow;
  grace: boolean;
  /** The member's measure over the current window. */
  value: bigint;
  current: HeldTier;
  now: Date;
}): TierDecision {
  const { tiers, window, grace, value, current, now } = input;
  const earned = qualifyingTier(tiers, value);
  const earnedRank = tierRank(tiers, earned?.key ?? null);
  // A tier removed from the program no longer counts.
  const currentRank = tierRank(tiers, current.tierKey);
  const stillHeld =
    grace && currentRank > earnedRank && current.heldUntil !== null && current.heldUntil > now;

  let tierKey: string | null;
  let heldUntil: Date | null;
  if (stillHeld) {
    tierKey = current.tierKey;
    heldUntil = current.heldUntil;
  } else {
    tierKey = earned?.key ?? null;
    const isBase = earnedRank <= 0;
    const renewed = isBase ? null : graceEnd(window, now);
    heldUntil =
      tierKey === current.tierKey && current.heldUntil && renewed && current.heldUntil > renewed
        ? current.heldUntil
        : renewed;
  }
  const newRank = tierRank(tiers, tierKey);
  const direction = newRank > currentRank ? "up" : newRank < currentRank ? "down" : "same";
  return { tierKey, heldUntil, changed: tierKey !== current.tierKey, direction };
}
