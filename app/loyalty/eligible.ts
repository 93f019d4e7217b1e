/**
 * Eligible spend: the part of an order that earns points. By default the
 * subtotal after discounts, in shop money, without shipping, tax, tips and
 * gift-card purchases; each of those can be included by a setting.
 */
import type { Milli } from "./money";

export interface EligibleParts {
  /** Line items after discounts, without gift cards; includes tax when the shop's prices do. */
  merchandise: Milli;
  giftCards: Milli;
  shipping: Milli;
  tax: Milli;
  tips: Milli;
}

export interface Inclusions {
  includeShipping: boolean;
  includeTax: boolean;
  includeTips: boolean;
  includeGiftCards: boolean;
}

export const NO_PARTS: EligibleParts = { merchandise: 0n, giftCards: 0n, shipping: 0n, tax: 0n, tips: 0n };

export function addParts(a: EligibleParts, b: EligibleParts): EligibleParts {
  return {
    merchandise: a.merchandise + b.merchandise,
    giftCards: a.giftCards + b.giftCards,
    shipping: a.shipping + b.shipping,
    tax: a.tax + b.tax,
    tips: a.tips + b.tips,
  };
}

/** The eligible amount of some parts under the inclusion settings. */
export function eligibleAmount(parts: EligibleParts, settings: Inclusions, taxesIncluded: boolean): Milli {
  return (
    parts.merchandise -
    (taxesIncluded ? parts.tax : 0n) +
    (settings.includeGiftCards ? parts.giftCards : 0n) +
    (settings.includeShipping ? parts.shipping : 0n) +
    (settings.includeTax ? parts.tax : 0n) +
    (settings.includeTips ? parts.tips : 0n)
  );
}
