import { describe, expect, it } from "vitest";
import { parseMilli } from "./money";
import {
  chosenReward,
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
      message: JSON.stringify({ code: "required" }),
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

describe("spend any amount", () => {
  // 1.00 of store credit per 100 points, from 500 to 5,000 points.
  const any: RewardRule = {
    ...credit,
    pointsCost: 100,
    amountMilli: parseMilli("1.00"),
    spendAnyAmount: { minPoints: 500, maxPoints: 5000 },
  };

  it("scales the reward to the points chosen: a multiple of the step within the limits", () => {
    expect(chosenReward(any, 1500)).toMatchObject({
      pointsCost: 1500,
      amountMilli: parseMilli("15.00"),
      spendAnyAmount: null,
    });
    expect(chosenReward(any, undefined)).toMatchObject({ pointsCost: 500, amountMilli: parseMilli("5.00") });
    for (const points of [400, 5100, 1550, 0, -500, 1.5])
      expect(chosenReward(any, points)).toBe("amount not allowed");
  });

  it("a fixed reward costs exactly its cost", () => {
    expect(chosenReward(credit, undefined)).toBe(credit);
    expect(chosenReward(credit, 1000)).toBe(credit);
    expect(chosenReward(credit, 2000)).toBe("amount not allowed");
  });

  it("is validated: multiples of the step, min within max, only for amounts, within the amount limit", () => {
    expect(rewardSchema.safeParse(any).success).toBe(true);
    const issues = (rule: RewardRule) =>
      rewardSchema.safeParse(rule).error?.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`) ??
      [];
    expect(issues({ ...any, spendAnyAmount: { minPoints: 550, maxPoints: 5000 } })).toEqual([
      `spendAnyAmount.minPoints ${JSON.stringify({ code: "multiple", of: 100, unit: "points" })}`,
    ]);
    expect(issues({ ...any, spendAnyAmount: { minPoints: 500, maxPoints: 400 } })).toEqual([
      `spendAnyAmount.maxPoints ${JSON.stringify({ code: "min", min: 500, unit: "points" })}`,
    ]);
    expect(issues({ ...any, spendAnyAmount: { minPoints: 50, maxPoints: 5000 } })).toContain(
      `spendAnyAmount.minPoints ${JSON.stringify({ code: "min", min: 100, unit: "points" })}`,
    );
    expect(issues({ ...any, type: "PERCENTAGE", percentBps: 1000, amountMilli: null })).toContain(
      `spendAnyAmount.minPoints ${JSON.stringify({ code: "choice" })}`,
    );
    expect(
      issues({
        ...any,
        amountMilli: parseMilli("2.00"),
        spendAnyAmount: { minPoints: 500, maxPoints: 10_000_000 },
      }),
    ).toContain(
      // 2.00 a step of 100 points: at most 5,000,000 points keeps the credit within 100,000.00.
      `spendAnyAmount.maxPoints ${JSON.stringify({ code: "max", max: 5_000_000, unit: "points" })}`,
    );
  });
});
