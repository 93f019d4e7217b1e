/**
 * Eligible spend: the part of an order that earns points. By default the
 * subtotal after discounts, in shop money, without shipping, tax, tips and
 * gift-card purchases; each of those can be included by a setting.
 */
import type { Milli } from "./money";

export interface EligibleParts {
  /** Line items after discounts, without gift cards; includes their tax when the shop's prices do. */
  merchandise: Milli;
  giftCards: Milli;
  /** Shipping after its discounts; includes its tax when the shop's prices do. */
  shipping: Milli;
  /** All the tax: on merchandise and on shipping. */
  tax: Milli;
  /** The part of `tax` charged on shipping. */
  shippingTax: Milli;
  tips: Milli;
  /**
   * Refunds only: money refunded beyond what the refunded line items and
   * shipping were worth (an amount refunded with no line items), or, when
   * negative, kept back from them (a restocking fee). Shopify records it as
   * the refund's order adjustments; see refundedEligible for what it takes back.
   */
  byAmount: Milli;
}

export interface Inclusions {
  includeShipping: boolean;
  includeTax: boolean;
  includeTips: boolean;
  includeGiftCards: boolean;
}

export const NO_PARTS: EligibleParts = {
  merchandise: 0n,
  giftCards: 0n,
  shipping: 0n,
  tax: 0n,
  shippingTax: 0n,
  tips: 0n,
  byAmount: 0n,
};

export function addParts(a: EligibleParts, b: EligibleParts): EligibleParts {
  return {
    merchandise: a.merchandise + b.merchandise,
    giftCards: a.giftCards + b.giftCards,
    shipping: a.shipping + b.shipping,
    tax: a.tax + b.tax,
    shippingTax: a.shippingTax + b.shippingTax,
    tips: a.tips + b.tips,
    byAmount: a.byAmount + b.byAmount,
  };
}

const merchandiseTax = (parts: EligibleParts) => parts.tax - parts.shippingTax;

/** Merchandise as the customer paid for it: with its tax, whether or not prices include it. */
const merchandisePaid = (parts: EligibleParts, taxesIncluded: boolean) =>
  parts.merchandise + (taxesIncluded ? 0n : merchandiseTax(parts));

/** Everything else the customer paid for: gift cards, shipping with its tax, tips. */
const restPaid = (parts: EligibleParts, taxesIncluded: boolean) =>
  parts.giftCards + parts.shipping + (taxesIncluded ? 0n : parts.shippingTax) + parts.tips;

/** The eligible part of the merchandise: without its tax, unless tax is included. */
function merchandiseEligible(parts: EligibleParts, settings: Inclusions, taxesIncluded: boolean): Milli {
  const tax = merchandiseTax(parts);
  return parts.merchandise - (taxesIncluded ? tax : 0n) + (settings.includeTax ? tax : 0n);
}

/**
 * The eligible part of the rest. Shipping counts without its tax (taken out
 * when prices include it); "include tax" counts all the order's tax, the
 * shipping's too.
 */
function restEligible(parts: EligibleParts, settings: Inclusions, taxesIncluded: boolean): Milli {
  return (
    (settings.includeGiftCards ? parts.giftCards : 0n) +
    (settings.includeShipping ? parts.shipping - (taxesIncluded ? parts.shippingTax : 0n) : 0n) +
    (settings.includeTax ? parts.shippingTax : 0n) +
    (settings.includeTips ? parts.tips : 0n)
  );
}

/** The eligible amount of some parts under the inclusion settings (`byAmount` aside). */
export function eligibleAmount(parts: EligibleParts, settings: Inclusions, taxesIncluded: boolean): Milli {
  return merchandiseEligible(parts, settings, taxesIncluded) + restEligible(parts, settings, taxesIncluded);
}

const positive = (value: Milli): Milli => (value > 0n ? value : 0n);

/**
 * The tax on `part` of an amount `whole` that carried `tax`: all of it for the
 * whole (or more), none for nothing, else its share rounded down. For shipping
 * refunded in part, where Shopify gives the tax of the whole line only.
 */
export function taxOfPart(tax: Milli, part: Milli, whole: Milli): Milli {
  if (part <= 0n || whole <= 0n) return 0n;
  if (part >= whole) return tax;
  return (tax * part) / whole;
}

/** `amount` x `part` / `whole`, rounded up (0 when there is no whole). */
const shareUp = (amount: Milli, part: Milli, whole: Milli): Milli =>
  whole <= 0n || amount <= 0n || part <= 0n ? 0n : (amount * part + whole - 1n) / whole;

/**
 * The eligible amount an order's refunds take back, given the order's parts
 * before refunds (`gross`) and the sum of its refunds' parts (`refunded`).
 *
 * Line items and shipping refunded take back their own eligible amount.
 * Money refunded by amount (the refunds' `byAmount` summed, if it is in the
 * customer's favour) is a refund of what is left of the order, merchandise
 * first, in proportion:
 *  - left = what the customer paid, less what the refunded lines and
 *    shipping were worth: merchandise with its tax (M paid, of which E_M
 *    eligible), then the rest: gift cards, shipping with its tax, tips (R
 *    paid, E_R eligible);
 *  - of an amount A, up to M refunds merchandise and takes back
 *    ceil(min(A, M) x E_M / M); what exceeds M refunds the rest and takes back
 *    ceil(min(A - M, R) x E_R / R).
 * Rounding up means no point is kept for money given back. The sum over all
 * refunds is shared out once, so the order refunds arrive in never matters
 * and refunding everything, however it was done, takes back exactly the
 * gross eligible amount; nothing ever takes back more than that. A refund
 * short of its lines' worth (a restocking fee) still takes back the lines in
 * full: the goods came back.
 */
export function refundedEligible(
  gross: EligibleParts,
  refunded: EligibleParts,
  settings: Inclusions,
  taxesIncluded: boolean,
): Milli {
  const grossEligible = eligibleAmount(gross, settings, taxesIncluded);
  const byLines = eligibleAmount(refunded, settings, taxesIncluded);
  let amount = positive(refunded.byAmount);
  let byAmount = 0n;
  const shares: [paid: Milli, eligible: Milli][] = [
    [
      merchandisePaid(gross, taxesIncluded) - merchandisePaid(refunded, taxesIncluded),
      merchandiseEligible(gross, settings, taxesIncluded) -
        merchandiseEligible(refunded, settings, taxesIncluded),
    ],
    [
      restPaid(gross, taxesIncluded) - restPaid(refunded, taxesIncluded),
      restEligible(gross, settings, taxesIncluded) - restEligible(refunded, settings, taxesIncluded),
    ],
  ];
  for (const [paid, eligible] of shares) {
    const left = positive(paid);
    const applied = amount < left ? amount : left;
    byAmount += shareUp(applied, positive(eligible), left);
    amount -= applied;
  }
  const total = byLines + byAmount;
  return total < grossEligible ? total : grossEligible > 0n ? grossEligible : 0n;
}
