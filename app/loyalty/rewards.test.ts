import { describe, expect, it } from "vitest";
import { parseMilli } from "./money";
import {
  creditExpiresAt,
  DEFAULT_REWARDS,
  matchingCredit,
  redeemRefusal,
  rewardAvailable,
  rewardSchema,
  storeCreditOn,
  type RewardRule,
} from "./rewards";

const credit: RewardRule = {
  ...DEFAULT_REWARDS[0]!,
  key: "credit-10",
  title: "10.00 store credit",
  type: "STORE_CREDIT",
  pointsCost: 1000,
  amountMilli: parseMilli("10.00"),
  codeLifetimeDays: 90,
};

describe("store credit rewards", () => {
  it("need an amount, like an amount off", () => {
    expect(rewardSchema.safeParse(credit).success).toBe(true);
    const missing = rewardSchema.safeParse({ ...credit, amountMilli: null });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]).toMatchObject({
      path: ["amountMilli"],
      message: "is required for store credit",
    });
  });

  it("are on only with both store credit scopes granted", () => {
    expect(
      storeCreditOn("read_customers,read_store_credit_accounts,write_store_credit_account_transactions"),
    ).toBe(true);
    expect(storeCreditOn("read_customers,write_store_credit_account_transactions")).toBe(false);
    expect(storeCreditOn(null)).toBe(false);
    expect(rewardAvailable(credit, false)).toBe(false);
    expect(rewardAvailable(credit, true)).toBe(true);
    expect(rewardAvailable({ ...credit, enabled: false }, true)).toBe(false);
    // A code reward does not depend on them.
    expect(rewardAvailable(DEFAULT_REWARDS[0]!, false)).toBe(true);
  });

  it("are refused as disabled without the scopes", () => {
    const base = { reward: credit, balance: 5000, tierKey: null, programActive: true };
    expect(redeemRefusal(base)).toBe("reward disabled");
    expect(redeemRefusal({ ...base, storeCredit: true })).toBeNull();
    expect(redeemRefusal({ ...base, storeCredit: true, balance: 999 })).toBe("not enough points");
  });

  it("expire on a whole second, never on the second of another of the member's credits", () => {
    const now = new Date("2026-03-01T12:00:00.750Z");
    const first = creditExpiresAt(now, 90, []);
    expect(first.toISOString()).toBe("2026-05-30T12:00:00.000Z");
    const second = creditExpiresAt(now, 90, [first]);
    expect(second.toISOString()).toBe("2026-05-30T12:00:01.000Z");
    expect(creditExpiresAt(now, 90, [first, second]).toISOString()).toBe("2026-05-30T12:00:02.000Z");
  });

  it("a retry recognises its credit by amount, currency and expiry, and not one another redemption holds", () => {
    const expiresAt = new Date("2026-05-30T12:00:00Z");
    const wanted = { amountMilli: parseMilli("10.00"), currencyCode: "EUR", expiresAt };
    const mine = { id: "t1", amountMilli: parseMilli("10.00"), currencyCode: "EUR", expiresAt };
    expect(matchingCredit([mine], wanted, new Set())).toBe(mine);
    expect(matchingCredit([mine], wanted, new Set(["t1"]))).toBeNull();
    expect(matchingCredit([{ ...mine, currencyCode: "USD" }], wanted, new Set())).toBeNull();
    expect(matchingCredit([{ ...mine, amountMilli: parseMilli("5.00") }], wanted, new Set())).toBeNull();
    expect(matchingCredit([{ ...mine, expiresAt: null }], wanted, new Set())).toBeNull();
    expect(
      matchingCredit([{ ...mine, expiresAt: new Date("2026-05-30T12:00:01Z") }], wanted, new Set()),
    ).toBeNull();
  });
});
