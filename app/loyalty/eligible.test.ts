import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addParts,
  eligibleAmount,
  NO_PARTS,
  refundedEligible,
  type EligibleParts,
  type Inclusions,
} from "./eligible";
import { orderPoints } from "./order-points";
import { E4 } from "./rates";

const none: Inclusions = {
  includeShipping: false,
  includeTax: false,
  includeTips: false,
  includeGiftCards: false,
};

/** An order as units of merchandise (price and tax each), a gift card, shipping with its tax, tips. */
const orderArb = fc
  .record({
    taxesIncluded: fc.boolean(),
    units: fc.array(
      fc.record({ price: fc.integer({ min: 1, max: 200_000 }), taxShare: fc.integer({ min: 0, max: 25 }) }),
      { minLength: 1, maxLength: 6 },
    ),
    giftCard: fc.constantFrom(0, 0, 25_000, 50_000),
    shipping: fc.constantFrom(0, 4_950, 12_000),
    shippingTaxShare: fc.constantFrom(0, 0, 19),
    tips: fc.constantFrom(0, 0, 2_500),
    settings: fc.record({
      includeShipping: fc.boolean(),
      includeTax: fc.boolean(),
      includeTips: fc.boolean(),
      includeGiftCards: fc.boolean(),
    }),
    rateE4: fc.constantFrom(5 * E4, 12_345, 1_000 * E4),
    multiplierE4: fc.constantFrom(E4, 12_500, 15_000),
  })
  .map((o) => {
    const units = o.units.map((u) => ({
      price: BigInt(u.price),
      tax: BigInt(Math.floor((u.price * u.taxShare) / 100)),
    }));
    const shipping = BigInt(o.shipping);
    const shippingTax = (shipping * BigInt(o.shippingTaxShare)) / 100n;
    return { ...o, units, giftCard: BigInt(o.giftCard), shipping, shippingTax, tips: BigInt(o.tips) };
  });
type Order = typeof orderArb extends fc.Arbitrary<infer T> ? T : never;

function grossOf(o: Order): EligibleParts {
  const tax = o.units.reduce((sum, u) => sum + u.tax, 0n) + o.shippingTax;
  return {
    ...NO_PARTS,
    merchandise: o.units.reduce((sum, u) => sum + u.price, 0n),
    giftCards: o.giftCard,
    shipping: o.shipping,
    tax,
    shippingTax: o.shippingTax,
    tips: o.tips,
  };
}

/** What the customer paid for some parts (tax on top unless prices include it). */
const paid = (o: Order, p: EligibleParts) =>
  p.merchandise + p.giftCards + p.shipping + p.tips + (o.taxesIncluded ? 0n : p.tax) + p.byAmount;

const pointsAfter = (o: Order, refunds: EligibleParts[]) => {
  const gross = grossOf(o);
  const refunded = refunds.reduce(addParts, NO_PARTS);
  return orderPoints({
    paid: true,
    cancelled: false,
    grossEligible: eligibleAmount(gross, o.settings, o.taxesIncluded),
    refundedEligible: refundedEligible(gross, refunded, o.settings, o.taxesIncluded),
    rateE4: o.rateE4,
    multiplierE4: o.multiplierE4,
  });
};

/** A refund as Shopify can make one, of what is left. */
type Step =
  | { kind: "lines"; pick: number[]; fee: number }
  | { kind: "shipping" }
  | { kind: "giftCard" }
  | { kind: "amount"; share: number };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("lines" as const),
    pick: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    fee: fc.constantFrom(0, 0, 10, 50),
  }),
  fc.constant({ kind: "shipping" as const }),
  fc.constant({ kind: "giftCard" as const }),
  fc.record({ kind: fc.constant("amount" as const), share: fc.integer({ min: 1, max: 100 }) }),
);

/** Turns steps into refunds' parts, never refunding more money than is left. */
function refundsOf(o: Order, steps: Step[]): EligibleParts[] {
  const left = new Set(o.units.map((_, i) => i));
  let shippingLeft = o.shipping > 0n;
  let giftCardLeft = o.giftCard > 0n;
  let money = paid(o, grossOf(o));
  const refunds: EligibleParts[] = [];
  for (const step of steps) {
    let parts = NO_PARTS;
    if (step.kind === "lines") {
      const open = [...left];
      const picked = new Set(step.pick.filter(() => open.length > 0).map((n) => open[n % open.length]!));
      for (const i of picked) {
        left.delete(i);
        const unit = o.units[i]!;
        parts = addParts(parts, { ...NO_PARTS, merchandise: unit.price, tax: unit.tax });
      }
      // a restocking fee: less money back than the lines were worth
      parts = { ...parts, byAmount: -((parts.merchandise * BigInt(step.fee)) / 100n) };
    } else if (step.kind === "shipping" && shippingLeft) {
      shippingLeft = false;
      parts = { ...NO_PARTS, shipping: o.shipping, shippingTax: o.shippingTax, tax: o.shippingTax };
    } else if (step.kind === "giftCard" && giftCardLeft) {
      giftCardLeft = false;
      parts = { ...NO_PARTS, giftCards: o.giftCard };
    } else if (step.kind === "amount") {
      parts = { ...NO_PARTS, byAmount: (money * BigInt(step.share)) / 100n };
    }
    money -= paid(o, parts);
    refunds.push(parts);
  }
  return refunds;
}

/** Refunds everything left: some lines by line, the money left by amount. */
function refundAll(o: Order, refunds: EligibleParts[], byLines: boolean): EligibleParts[] {
  const refunded = refunds.reduce(addParts, NO_PARTS);
  const all = [...refunds];
  let rest = paid(o, grossOf(o)) - paid(o, refunded);
  if (byLines) {
    // the merchandise still charged, as line items (what was refunded so far by lines is known
    // only as a sum, so refund the remainder of the merchandise and its tax as one line)
    const gross = grossOf(o);
    const merchandise = gross.merchandise - refunded.merchandise;
    const tax = gross.tax - gross.shippingTax - (refunded.tax - refunded.shippingTax);
    if (merchandise > 0n) {
      const line = { ...NO_PARTS, merchandise, tax };
      all.push(line);
      rest -= paid(o, line);
    }
  }
  all.push({ ...NO_PARTS, byAmount: rest });
  return all;
}

describe("refunds take back points in proportion, never more than the award", () => {
  it("any sequence of refunds: a refund never adds points, the order's points stay between 0 and the award", () => {
    fc.assert(
      fc.property(orderArb, fc.array(stepArb, { maxLength: 8 }), (o, steps) => {
        const award = pointsAfter(o, []);
        const refunds = refundsOf(o, steps);
        let before = award;
        for (let n = 1; n <= refunds.length; n++) {
          const now = pointsAfter(o, refunds.slice(0, n));
          expect(now).toBeLessThanOrEqual(before);
          expect(now).toBeGreaterThanOrEqual(0);
          before = now;
        }
        // the order refunds arrive in never matters
        expect(pointsAfter(o, [...refunds].reverse())).toBe(before);
      }),
      { numRuns: 2_000 },
    );
  });

  it("a full refund, by line items, shipping or amount in any mix, takes back exactly the award", () => {
    fc.assert(
      fc.property(orderArb, fc.array(stepArb, { maxLength: 6 }), fc.boolean(), (o, steps, byLines) => {
        const all = refundAll(o, refundsOf(o, steps), byLines);
        expect(pointsAfter(o, all)).toBe(0);
      }),
      { numRuns: 2_000 },
    );
  });

  it("an amount refund takes back its share of the merchandise as paid, rounded against the points", () => {
    // 126.00 merchandise with 7.56 tax, a 50.00 gift card, 8.00 shipping (orders-paid.json)
    const gross = { ...NO_PARTS, merchandise: 126_000n, giftCards: 50_000n, shipping: 8_000n, tax: 7_560n };
    const refund = { ...NO_PARTS, byAmount: 20_000n };
    // 20.00 x 126.00 / 133.56 = 18.8679.. -> 18.868
    expect(refundedEligible(gross, refund, none, false)).toBe(18_868n);
    // beyond the merchandise (133.56), the rest (58.00) is refunded: with shipping earning, 8 of 58
    const withShipping = { ...none, includeShipping: true };
    expect(refundedEligible(gross, { ...NO_PARTS, byAmount: 162_560n }, withShipping, false)).toBe(
      126_000n + 4_000n, // 29.00 of the rest: ceil(29 x 8 / 58) = 4.00
    );
    expect(refundedEligible(gross, { ...NO_PARTS, byAmount: 191_560n }, withShipping, false)).toBe(134_000n);
    // a restocking fee gives nothing back, and never more than everything
    expect(refundedEligible(gross, { ...NO_PARTS, byAmount: -5_000n }, none, false)).toBe(0n);
    expect(refundedEligible(gross, { ...NO_PARTS, byAmount: 10n ** 12n }, none, false)).toBe(126_000n);
  });

  it("a refund of shipping only takes back nothing unless shipping earns, then only the shipping", () => {
    const gross = { ...NO_PARTS, merchandise: 100_000n, shipping: 5_950n, tax: 16_920n, shippingTax: 950n };
    const shipping = { ...NO_PARTS, shipping: 5_950n, tax: 950n, shippingTax: 950n };
    expect(refundedEligible(gross, shipping, none, true)).toBe(0n);
    expect(refundedEligible(gross, shipping, { ...none, includeShipping: true }, true)).toBe(5_000n);
    expect(
      refundedEligible(gross, shipping, { ...none, includeShipping: true, includeTax: true }, true),
    ).toBe(5_950n);
  });
});
