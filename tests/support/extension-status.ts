/**
 * The app's status answer as the checkout and POS extensions' tests serve it at the network edge
 * (tests/support/extension-harness.ts): a one-tier program in CAD and a member who can afford
 * the 5.00 reward, typed by the real `storefrontStatus`.
 */
import type { storefrontStatus } from "~/services/storefront/status.server";

export type MemberStatus = Extract<Awaited<ReturnType<typeof storefrontStatus>>, { loggedIn: true }>;

export const program: MemberStatus["program"] = {
  active: true,
  earnRate: "5",
  currencyCode: "CAD",
  earnRateE4: 50_000,
  includesTax: false,
  includesGiftCards: false,
  signupBonus: 0,
  birthdayBonus: 0,
  earnActions: [],
  referrals: null,
  bonusEvents: [],
  proxyPath: "/apps/regulars",
  tierBasis: "SPEND",
  tierWindow: "LIFETIME",
  tiers: [{ name: "Member", threshold: "0.00", thresholdAmount: 0, multiplier: "1" }],
  rewards: [{ key: "5-off", title: "5.00 off", pointsCost: 500, type: "FIXED_AMOUNT" }],
};

/** A logged-in member's status: 600 points unless `changes` says otherwise. */
export const memberStatus = (changes: Partial<MemberStatus> = {}): MemberStatus => ({
  loggedIn: true,
  program,
  points: 600,
  pending: 0,
  referral: null,
  storeCredit: null,
  tier: "Member",
  nextTier: null,
  rewards: [
    { key: "5-off", title: "5.00 off", pointsCost: 500, affordable: true },
    { key: "25-off", title: "25.00 off", pointsCost: 2500, affordable: false },
  ],
  codes: [],
  history: [],
  ...changes,
});

/** The member's state as a redeem answer carries it (`member`): the status without the program. */
export const memberState = (changes: Partial<MemberStatus> = {}) => {
  const { loggedIn: _l, program: _p, ...state } = memberStatus(changes);
  return state;
};
