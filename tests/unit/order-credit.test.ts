/**
 * The crediting rules both paths share (app/loyalty/order-credit.ts) and the
 * tier measure (app/loyalty/tiers.ts), on worked orders: what a paid order
 * earns, what a refund or a cancellation takes back, the pending split, the
 * ledger keys, and which measure a tier basis reads.
 */
import { describe, expect, it } from "vitest";
import { NO_EVENT } from "~/loyalty/bonus-events";
import { NO_PARTS, type EligibleParts } from "~/loyalty/eligible";
import {
  awardTerms,
  estimatedAward,
  notCredited,
  orderCredit,
  sourceKey,
  type CreditFacts,
} from "~/loyalty/order-credit";
import { DEFAULT_PROGRAM, type ProgramSettings, type TierRule } from "~/loyalty/program";
import { E4 } from "~/loyalty/rates";
import type { BonusEventRule } from "~/loyalty/bonus-events";
import { countInActivity, tierValue, type TierActivity } from "~/loyalty/tiers";

const NOW = new Date("2026-03-10T12:00:00Z");
const PAID = new Date("2026-03-09T08:00:00Z");
const settings: ProgramSettings = { ...DEFAULT_PROGRAM, earnRateE4: 5 * E4 };
const tiers: TierRule[] = [
  { key: "member", name: "Member", threshold: 0n, multiplierE4: E4 },
  { key: "gold", name: "Gold", threshold: 500_000n, multiplierE4: 1.5 * E4 },
];
const parts = (over: Partial<EligibleParts>): EligibleParts => ({ ...NO_PARTS, ...over });
/** 100.00 of merchandise and 10.00 of shipping, no tax. */
const order: CreditFacts = {
  cancelled: false,
  gross: parts({ merchandise: 100_000n, shipping: 10_000n }),
  refunds: [],
  taxesIncluded: false,
};
const nothing = { points: 0, pendingPoints: 0 };

describe("notCredited", () => {
  const on = { active: true, earnOnPos: true, excludedTags: [] };
  const paused = { active: false, earnOnPos: true, excludedTags: [] };
  const noPos = { active: true, earnOnPos: false, excludedTags: [] };
  it("names why an order earns nothing: test, no customer, a paused program's first award", () => {
    expect(notCredited({ test: true, customerGid: null, awarded: false }, on)).toBe("test order");
    expect(notCredited({ test: false, customerGid: null, awarded: false }, on)).toBe("no customer");
    expect(notCredited({ test: false, customerGid: "c", awarded: false }, paused)).toBe("program paused");
    expect(notCredited({ test: false, customerGid: "c", awarded: true }, paused)).toBeNull();
    expect(notCredited({ test: false, customerGid: "c", awarded: false }, on)).toBeNull();
  });

  it("credits a POS order like an online one unless the program turned POS earning off", () => {
    const pos = { test: false, customerGid: "c", awarded: false, sourceName: "pos" };
    expect(notCredited(pos, on)).toBeNull();
    expect(notCredited(pos, noPos)).toBe("pos order");
    // Turning it off later does not take back what a POS order already earned.
    expect(notCredited({ ...pos, awarded: true }, noPos)).toBeNull();
    expect(notCredited({ ...pos, sourceName: "web" }, noPos)).toBeNull();
    expect(notCredited({ ...pos, sourceName: null }, noPos)).toBeNull();
  });

  it("credits nothing for a B2B order (a company on it), first awards only", () => {
    const b2b = { test: false, customerGid: "c", awarded: false, b2b: true };
    expect(notCredited(b2b, on)).toBe("b2b order");
    expect(notCredited({ ...b2b, b2b: false }, on)).toBeNull();
    // An order awarded before keeps following its facts: a refund still takes back.
    expect(notCredited({ ...b2b, awarded: true }, on)).toBeNull();
  });

  it("credits nothing for a customer with an excluded tag, compared without case", () => {
    const program = { ...on, excludedTags: ["Wholesale", "staff"] };
    const order = { test: false, customerGid: "c", awarded: false };
    expect(notCredited({ ...order, customerTags: ["VIP", " wholesale "] }, program)).toBe(
      "excluded customer",
    );
    expect(notCredited({ ...order, customerTags: ["STAFF"] }, program)).toBe("excluded customer");
    expect(notCredited({ ...order, customerTags: ["VIP", "wholesaler"] }, program)).toBeNull();
    expect(notCredited({ ...order, customerTags: [] }, program)).toBeNull();
    expect(notCredited({ ...order, customerTags: ["wholesale"] }, on)).toBeNull();
    // A tag added after the order was awarded leaves its points alone (and a refund still takes back).
    expect(notCredited({ ...order, awarded: true, customerTags: ["wholesale"] }, program)).toBeNull();
    // A test order and an order without a customer say so first.
    expect(notCredited({ ...order, test: true, customerTags: ["wholesale"] }, program)).toBe("test order");
  });
});

describe("estimatedAward (the thank-you page's estimate)", () => {
  it("is what the order earns when paid under the terms it would get now", () => {
    const checkout = { merchandise: 123_450n, giftCards: 20_000n };
    for (const tierKey of [null, "member", "gold"]) {
      for (const program of [settings, { ...settings, includeGiftCards: true, earnRateE4: 12_345 }]) {
        const terms = awardTerms(PAID, program, tiers, tierKey, NOW);
        const paid = orderCredit(
          { cancelled: false, gross: parts(checkout), refunds: [], taxesIncluded: false },
          terms,
          { points: 0, pendingPoints: 0 },
        );
        expect(estimatedAward(checkout, program, tiers, tierKey), `${tierKey} ${program.earnRateE4}`).toBe(
          paid.points,
        );
      }
    }
    // 123.45 at 5 a unit: 617; Gold's 1.5: 925; gift cards counted: 717.
    expect(estimatedAward(checkout, settings, tiers, null)).toBe(617);
    expect(estimatedAward(checkout, settings, tiers, "gold")).toBe(925);
    expect(estimatedAward(checkout, { ...settings, includeGiftCards: true }, tiers, null)).toBe(717);
  });

  it("counts the bonus event the award would choose at `at`, as awardTerms does", () => {
    const checkout = { merchandise: 123_450n, giftCards: 0n };
    const event = (id: string, over: Partial<BonusEventRule>): BonusEventRule => ({
      id,
      collectionGids: [],
      kind: "MULTIPLIER",
      multiplierE4: 2 * E4,
      fixedPoints: null,
      startsAt: new Date("2026-03-01T00:00:00Z"),
      endsAt: new Date("2026-03-15T00:00:00Z"),
      ...over,
    });
    const events = [
      event("a", {}),
      event("b", { kind: "FIXED", multiplierE4: null, fixedPoints: 700 }),
      event("c", { multiplierE4: 5 * E4, startsAt: new Date("2026-03-12T00:00:00Z") }),
    ];
    for (const at of [PAID, NOW, new Date("2026-03-13T00:00:00Z"), new Date("2026-03-20T00:00:00Z")]) {
      for (const tierKey of [null, "gold"]) {
        const terms = awardTerms(at, settings, tiers, tierKey, at, {
          events,
          gross: parts(checkout),
          taxesIncluded: false,
        });
        const paid = orderCredit(
          { cancelled: false, gross: parts(checkout), refunds: [], taxesIncluded: false },
          terms,
          nothing,
        );
        expect(
          estimatedAward(checkout, settings, tiers, tierKey, { events, at }),
          `${at.toISOString()} ${tierKey}`,
        ).toBe(paid.points);
      }
    }
    // 617 plain; 2x and the fixed 700 both apply (1,234 + 700); from the 12th 5x and 700 (3,086 + 700).
    expect(estimatedAward(checkout, settings, tiers, null, { events, at: NOW })).toBe(1934);
    expect(
      estimatedAward(checkout, settings, tiers, null, { events, at: new Date("2026-03-13T00:00:00Z") }),
    ).toBe(3786);
    expect(
      estimatedAward(checkout, settings, tiers, null, { events, at: new Date("2026-03-20T00:00:00Z") }),
    ).toBe(617);
  });

  it("is nothing while the program is paused", () => {
    expect(
      estimatedAward({ merchandise: 100_000n, giftCards: 0n }, { ...settings, active: false }, tiers, null),
    ).toBe(0);
  });
});

describe("awardTerms", () => {
  it("takes the program's rate and inclusions and the multiplier of the tier held before the order", () => {
    expect(awardTerms(PAID, settings, tiers, "gold", NOW)).toEqual({
      awardedAt: NOW,
      rateE4: 5 * E4,
      multiplierE4: 1.5 * E4,
      includeShipping: false,
      includeTax: false,
      includeTips: false,
      includeGiftCards: false,
      releaseAt: null,
      releasedAt: NOW,
      // No bonus event (app/loyalty/bonus-events.ts).
      ...NO_EVENT,
    });
    expect(awardTerms(PAID, settings, tiers, null, NOW).multiplierE4).toBe(E4);
    expect(awardTerms(PAID, settings, tiers, "removed-tier", NOW).multiplierE4).toBe(E4);
  });

  it("with a pending period, releases the points that many days after payment", () => {
    const terms = awardTerms(PAID, { ...settings, pendingDays: 14 }, tiers, null, NOW);
    expect(terms.releaseAt).toEqual(new Date("2026-03-23T08:00:00Z"));
    expect(terms.releasedAt).toBeNull();
  });
});

describe("orderCredit", () => {
  const released = awardTerms(PAID, settings, tiers, "gold", NOW);
  const pending = awardTerms(PAID, { ...settings, pendingDays: 14 }, tiers, "gold", NOW);

  it("credits a paid order its eligible amount at the terms: 100.00 x 5 x 1.5 = 750", () => {
    expect(orderCredit(order, released, nothing)).toEqual({
      netEligibleMilli: 100_000n,
      points: 750,
      eventPoints: 0,
      change: 750,
      move: { available: 750, pending: 0 },
      kind: "EARN",
    });
    expect(orderCredit(order, pending, nothing).move).toEqual({ available: 0, pending: 750 });
  });

  it("counts what the terms include: shipping adds 10.00, 75 points", () => {
    const withShipping = { ...released, includeShipping: true };
    expect(orderCredit(order, withShipping, nothing)).toMatchObject({
      netEligibleMilli: 110_000n,
      points: 825,
    });
  });

  it("a refund takes back its share from what was credited, pending points first", () => {
    const refunded = { ...order, refunds: [parts({ merchandise: 30_000n })] };
    const credit = orderCredit(refunded, released, { points: 750, pendingPoints: 0 });
    expect(credit).toMatchObject({ netEligibleMilli: 70_000n, points: 525, change: -225, kind: "REVERSE" });
    // Nothing pending: all of it from the balance (splitChange's pending may be -0, stored as 0).
    expect(credit.move.available).toBe(-225);
    expect(credit.move.pending === 0).toBe(true);
    expect(orderCredit(refunded, pending, { points: 750, pendingPoints: 750 }).move).toEqual({
      available: 0,
      pending: -225,
    });
    // Released since: 100 still pending from an earlier increase, the rest from the balance.
    expect(orderCredit(refunded, released, { points: 750, pendingPoints: 100 }).move).toEqual({
      available: -125,
      pending: -100,
    });
  });

  it("a cancellation takes all of it back; a repeat of the same facts moves nothing", () => {
    expect(
      orderCredit({ ...order, cancelled: true }, released, { points: 750, pendingPoints: 0 }),
    ).toMatchObject({
      points: 0,
      change: -750,
      kind: "REVERSE",
    });
    expect(orderCredit(order, released, { points: 750, pendingPoints: 0 })).toMatchObject({
      change: 0,
      move: { available: 0, pending: 0 },
      kind: null,
    });
  });

  it("refunds beyond the order never take back more than it earned", () => {
    const overRefunded = {
      ...order,
      refunds: [parts({ merchandise: 100_000n }), parts({ byAmount: 50_000n })],
    };
    expect(orderCredit(overRefunded, released, { points: 750, pendingPoints: 0 })).toMatchObject({
      netEligibleMilli: 0n,
      points: 0,
      change: -750,
    });
  });
});

describe("sourceKey", () => {
  const snapshot = { orderGid: "gid://shopify/Order/7", updatedAt: new Date("2026-03-09T08:00:00.000Z") };

  it("keys an order's first award the same whether orders/paid or a backfill made it", () => {
    expect(sourceKey({ type: "paid", snapshot }, true)).toBe("order:gid://shopify/Order/7:paid");
    expect(sourceKey({ type: "backfill", snapshot }, true)).toBe("order:gid://shopify/Order/7:paid");
  });

  it("keys later changes on the snapshot, the refund or the release", () => {
    expect(sourceKey({ type: "paid", snapshot })).toBe(
      "order:gid://shopify/Order/7:paid:2026-03-09T08:00:00.000Z",
    );
    expect(sourceKey({ type: "updated", snapshot })).toBe(
      "order:gid://shopify/Order/7:updated:2026-03-09T08:00:00.000Z",
    );
    expect(sourceKey({ type: "cancelled", snapshot })).toBe("order:gid://shopify/Order/7:cancelled");
    expect(sourceKey({ type: "refund", refund: { refundGid: "gid://shopify/Refund/3" } })).toBe(
      "refund:gid://shopify/Refund/3",
    );
    expect(sourceKey({ type: "release", orderGid: snapshot.orderGid })).toBe(
      "order:gid://shopify/Order/7:release",
    );
  });
});

describe("tier activity", () => {
  const activity: TierActivity = { spend: 250_000n, points: 1_250n, orders: 3n };

  it("tierValue reads the basis's measure", () => {
    expect(tierValue("SPEND", activity)).toBe(250_000n);
    expect(tierValue("POINTS", activity)).toBe(1_250n);
    expect(tierValue("ORDERS", activity)).toBe(3n);
  });

  it("countInActivity counts an uncancelled order paid in the window, and an order only with spend", () => {
    const since = new Date("2026-01-01T00:00:00Z");
    const a = { ...activity };
    countInActivity(a, { cancelled: false, paidAt: PAID, netEligibleMilli: 100_000n, points: 750 }, since);
    expect(a).toEqual({ spend: 350_000n, points: 2_000n, orders: 4n });
    countInActivity(a, { cancelled: false, paidAt: PAID, netEligibleMilli: 0n, points: 0 }, since);
    expect(a.orders).toBe(4n);
    countInActivity(a, { cancelled: true, paidAt: PAID, netEligibleMilli: 5_000n, points: 25 }, since);
    countInActivity(
      a,
      { cancelled: false, paidAt: new Date("2025-12-31T23:59:59Z"), netEligibleMilli: 5_000n, points: 25 },
      since,
    );
    expect(a).toEqual({ spend: 350_000n, points: 2_000n, orders: 4n });
  });
});
