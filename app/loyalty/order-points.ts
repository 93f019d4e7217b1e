/**
 * The points an order is worth, from the facts known about it. Every webhook
 * only adds facts (paid, a newer snapshot, a refund, a cancellation); the
 * points follow from all of them together, so any order of arrival, and any
 * number of duplicates, ends in the same place.
 */
import { maxMilli, type Milli } from "./money";
import { NO_EVENT, pointsWithEvent, type EventTerms } from "./bonus-events";

export interface OrderFacts {
  /** orders/paid has been seen (and the award terms recorded). */
  paid: boolean;
  cancelled: boolean;
  /** Eligible amount before refunds, from the newest order snapshot. */
  grossEligible: Milli;
  /** Sum of the eligible amounts of all distinct refunds. */
  refundedEligible: Milli;
  /** Award terms recorded when the order was paid; never today's rules. */
  rateE4: number;
  multiplierE4: number;
  /** The bonus event recorded at the award (app/loyalty/bonus-events.ts); none: NO_EVENT. */
  event?: Pick<EventTerms, "eventMultiplierE4" | "eventFixedPoints" | "eventBaseMilli"> &
    Partial<Pick<EventTerms, "eventQualifyingMilli" | "eventLinesMilli">>;
}

export function netEligible(facts: Pick<OrderFacts, "grossEligible" | "refundedEligible">): Milli {
  return maxMilli(0n, facts.grossEligible - facts.refundedEligible);
}

/** What the order is worth now. Never more than the gross award, never below 0. */
export function orderPoints(facts: OrderFacts): number {
  if (!facts.paid || facts.cancelled) return 0;
  return pointsWithEvent(netEligible(facts), facts.rateE4, facts.multiplierE4, facts.event ?? NO_EVENT);
}

/** Of what the order is worth now, the points its bonus event added (0 without one). */
export function eventPointsOf(facts: OrderFacts): number {
  if (!facts.event) return 0;
  return orderPoints(facts) - orderPoints({ ...facts, event: undefined });
}

export interface PointsMove {
  /** Change to the member's spendable balance. */
  available: number;
  /** Change to the member's pending points. */
  pending: number;
}

/**
 * Splits a change in an order's points between pending and available.
 * Points still pending for the order are taken back first; an increase
 * while the order is pending stays pending.
 */
export function splitChange(change: number, orderPending: number, released: boolean): PointsMove {
  if (change >= 0) return released ? { available: change, pending: 0 } : { available: 0, pending: change };
  const fromPending = Math.min(orderPending, -change);
  return { pending: -fromPending, available: change + fromPending };
}
