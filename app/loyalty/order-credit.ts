/**
 * The rules that credit an order, pure: whether it earns at all, the terms it
 * earns under (fixed when it first counts as paid), what it is worth from its
 * facts, the ledger move that brings the member's balance there, and the
 * ledger key of that move. Crediting a paid order and reversing one (a
 * refund, a cancellation, an edit) are the same rule: the order is worth what
 * its facts say, and the ledger moves by the difference from what it was
 * credited.
 *
 * Both crediting paths call these functions and differ only in how they read
 * and write rows: the engine, one event at a time under row locks
 * (app/services/orders/order-points.server.ts), and the set path, many new paid
 * orders in a few statements (app/services/orders/order-points-batch.server.ts).
 *
 * A new earning rule for orders (a bonus event, a referral) goes here: in
 * awardTerms when it changes the terms an order earns under, in orderCredit
 * when it changes what an order is worth, with a test in
 * tests/unit/order-credit.test.ts; both paths then follow it.
 */
import {
  addParts,
  eligibleAmount,
  NO_PARTS,
  refundedEligible,
  type EligibleParts,
  type Inclusions,
} from "./eligible";
import type { Milli } from "./money";
import { netEligible, orderPoints, eventPointsOf, splitChange, type PointsMove } from "./order-points";
import { chooseEvent, NO_EVENT, type BonusEventRule, type EventTerms, type OrderScope } from "./bonus-events";
import type { ProgramSettings, TierRule } from "./program";
import { isExcludedCustomer } from "./exclusions";
import { multiplierOf } from "./tiers";

/** Why an order earns nothing. */
export type NotCredited =
  "test order" | "no customer" | "program paused" | "pos order" | "b2b order" | "excluded customer";

/** What of the program decides whether an order earns at all. */
export interface CreditSwitches {
  active: boolean;
  /** Orders taken on Shopify POS earn (Program.earnOnPos). */
  earnOnPos: boolean;
  /** Customers with any of these tags earn nothing (Program.excludedTags; app/loyalty/exclusions.ts). */
  excludedTags: readonly string[];
}

/**
 * Shopify's source_name of an order taken on POS
 * (https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order#field-Order.fields.sourceName:
 * "web", "mobile_app", or "pos").
 */
const POS_SOURCE_NAME = "pos";

/**
 * Why an order earns nothing, or null when it earns. A paused program, a
 * program that turned POS earning off, a B2B order (a company on it) and a
 * customer with an excluded tag stop only first awards: an order awarded
 * before keeps following its facts (a refund still takes back), so a tag
 * added later leaves the points earned and earns nothing new
 * (docs/decisions/0021-exclusions.md).
 */
export function notCredited(
  order: {
    test: boolean;
    customerGid: string | null;
    awarded: boolean;
    sourceName?: string | null;
    /** A company placed it (Order.purchasingEntity, the REST order's `company`). */
    b2b?: boolean;
    /** The customer's tags as last known when the order is credited. */
    customerTags?: readonly string[];
  },
  program: CreditSwitches,
): NotCredited | null {
  if (order.test) return "test order";
  if (!order.customerGid) return "no customer";
  if (order.awarded) return null;
  if (!program.active) return "program paused";
  if (order.sourceName === POS_SOURCE_NAME && !program.earnOnPos) return "pos order";
  if (order.b2b) return "b2b order";
  if (isExcludedCustomer(order.customerTags ?? [], program.excludedTags)) return "excluded customer";
  return null;
}

/** The terms an order earns under, recorded when it first counts as paid; never today's rules after that. */
export interface AwardTerms extends Inclusions, EventTerms {
  awardedAt: Date;
  rateE4: number;
  multiplierE4: number;
  /** When its points become spendable (null: at once). */
  releaseAt: Date | null;
  /** When they became spendable (null: still pending). */
  releasedAt: Date | null;
}

/** The order's amounts and the shop's bonus events, for the event its award earns under. */
export interface BonusContext {
  events: readonly BonusEventRule[];
  gross: EligibleParts;
  taxesIncluded: boolean;
  /** The order's lines and their products' collections, for events limited to collections. */
  scope?: OrderScope;
}

/**
 * The terms of an order paid at `paidAt` whose member holds `tierKey` before
 * it counts: the program's rate and inclusions, the tier's multiplier, the
 * pending period, and the bonus event covering `paidAt` that gives the order
 * the most (app/loyalty/bonus-events.ts; none without `bonus`).
 */
export function awardTerms(
  paidAt: Date,
  settings: ProgramSettings,
  tiers: readonly TierRule[],
  tierKey: string | null,
  now: Date,
  bonus?: BonusContext,
): AwardTerms {
  const pending = settings.pendingDays > 0;
  const multiplierE4 = multiplierOf(tiers, tierKey);
  const event =
    bonus && bonus.events.length > 0
      ? chooseEvent(
          bonus.events,
          paidAt,
          eligibleAmount(bonus.gross, settings, bonus.taxesIncluded),
          bonus.scope,
        )
      : NO_EVENT;
  return {
    awardedAt: now,
    rateE4: settings.earnRateE4,
    multiplierE4,
    ...event,
    includeShipping: settings.includeShipping,
    includeTax: settings.includeTax,
    includeTips: settings.includeTips,
    includeGiftCards: settings.includeGiftCards,
    releaseAt: pending ? new Date(paidAt.getTime() + settings.pendingDays * 86_400_000) : null,
    releasedAt: pending ? null : now,
  };
}

/**
 * An order's eligible amounts (app/loyalty/eligible.ts): before refunds, from
 * its parts, and of its refunds, from theirs.
 */
function orderEligible(
  gross: EligibleParts,
  refunds: readonly EligibleParts[],
  inclusions: Inclusions,
  taxesIncluded: boolean,
): { grossEligible: Milli; refundedEligible: Milli } {
  const refunded = refunds.reduce(addParts, NO_PARTS);
  return {
    grossEligible: eligibleAmount(gross, inclusions, taxesIncluded),
    refundedEligible: refundedEligible(gross, refunded, inclusions, taxesIncluded),
  };
}

/** What is known of an order that its points depend on. */
export interface CreditFacts {
  cancelled: boolean;
  /** Its parts before refunds, from the newest snapshot. */
  gross: EligibleParts;
  /** Each distinct refund's parts. */
  refunds: readonly EligibleParts[];
  taxesIncluded: boolean;
}

/** The order's award as recorded: its terms, and whether its points were released since. */
export type RecordedTerms = Pick<AwardTerms, "rateE4" | "multiplierE4" | "releasedAt"> &
  Inclusions &
  Partial<
    Pick<
      EventTerms,
      "eventMultiplierE4" | "eventFixedPoints" | "eventBaseMilli" | "eventQualifyingMilli" | "eventLinesMilli"
    >
  >;

/** What an order has moved into the ledger so far (0 and 0 before its first award). */
export interface Credited {
  points: number;
  /** Of which still pending. */
  pendingPoints: number;
}

export interface OrderCredit {
  /** The eligible amount net of refunds (what the order counts for SPEND tiers). */
  netEligibleMilli: Milli;
  /** What the order is worth now. */
  points: number;
  /** Of those, the points its bonus event added. */
  eventPoints: number;
  /** points less what was credited: the ledger entry's size (0: no entry). */
  change: number;
  /** The change split between the member's available and pending points. */
  move: PointsMove;
  /** The ledger entry's kind, or null when nothing moves. */
  kind: "EARN" | "REVERSE" | null;
}

/**
 * The credit of a paid order: what it is worth under its terms given all its
 * facts, and the move from what it was credited. A first award starts from
 * nothing credited; a refund or a cancellation takes back the difference,
 * from its pending points first.
 */
export function orderCredit(order: CreditFacts, terms: RecordedTerms, credited: Credited): OrderCredit {
  const facts = {
    paid: true,
    cancelled: order.cancelled,
    ...orderEligible(order.gross, order.refunds, terms, order.taxesIncluded),
    rateE4: terms.rateE4,
    multiplierE4: terms.multiplierE4,
    event: {
      eventMultiplierE4: terms.eventMultiplierE4 ?? NO_EVENT.eventMultiplierE4,
      eventFixedPoints: terms.eventFixedPoints ?? 0,
      eventBaseMilli: terms.eventBaseMilli ?? 0n,
      eventQualifyingMilli: terms.eventQualifyingMilli ?? 0n,
      eventLinesMilli: terms.eventLinesMilli ?? 0n,
    },
  };
  const points = orderPoints(facts);
  const change = points - credited.points;
  return {
    netEligibleMilli: netEligible(facts),
    points,
    eventPoints: eventPointsOf(facts),
    change,
    move: splitChange(change, credited.pendingPoints, terms.releasedAt !== null),
    kind: change > 0 ? "EARN" : change < 0 ? "REVERSE" : null,
  };
}

/** What a ledger entry about an order comes from. Order events have this shape. */
export type LedgerSource =
  | { type: "paid" | "backfill" | "updated" | "cancelled"; snapshot: { orderGid: string; updatedAt: Date } }
  | { type: "refund"; refund: { refundGid: string } }
  /** Pending points made spendable. */
  | { type: "release"; orderGid: string }
  /** A guest's order given to the customer Shopify created with its email (decision 0017). */
  | { type: "guest"; orderGid: string };

/**
 * The ledger key of an entry about an order; the ledger takes each key once,
 * so a repeated event moves nothing. An order's first award is always
 * `order:<gid>:paid`, whether orders/paid or a backfill made it, so the
 * database itself refuses a second first award; a later change by either (a
 * newer snapshot) is keyed on that snapshot.
 */
export function sourceKey(source: LedgerSource, firstAward = false): string {
  switch (source.type) {
    case "paid":
    case "backfill":
      return firstAward
        ? `order:${source.snapshot.orderGid}:paid`
        : `order:${source.snapshot.orderGid}:${source.type}:${source.snapshot.updatedAt.toISOString()}`;
    case "cancelled":
      return `order:${source.snapshot.orderGid}:cancelled`;
    case "updated":
      return `order:${source.snapshot.orderGid}:updated:${source.snapshot.updatedAt.toISOString()}`;
    case "refund":
      return `refund:${source.refund.refundGid}`;
    case "release":
      return `order:${source.orderGid}:release`;
    case "guest":
      // Its first award is the order's one award, under the key any other path would use.
      return firstAward ? `order:${source.orderGid}:paid` : `order:${source.orderGid}:guest`;
  }
}

/**
 * When an order's ledger entry happened, as the admin dates it and the
 * dashboard's charts bucket it: a backfill's first award on the order's paid
 * (processed) date, never later than `now`, since the order was paid then and
 * only credited now. Null for anything else: it happened when it is recorded.
 */
export function entryOccurredAt(
  source: LedgerSource,
  firstAward: boolean,
  paidAt: Date | null,
  now: Date,
): Date | null {
  if (source.type === "backfill" && firstAward && paidAt) return paidAt < now ? paidAt : now;
  return null;
}

/**
 * What an order not yet paid will earn, for the thank-you page and checkout: the order's
 * eligible parts as the buyer's checkout knows them (its subtotal, and the gift cards in it),
 * under the terms it would be awarded with at `bonus.at` (the program's rate and inclusions, the
 * tier the member holds, and the bonus event among `bonus.events` that the award would choose):
 * the award's own terms (awardTerms) and arithmetic (orderCredit). An estimate only because the
 * order's webhook, not the checkout, says what was paid and when it was processed. Events
 * limited to collections are left out: the checkout's subtotal does not say which lines are in
 * which collection (decision 0022), so the page shows the lower figure.
 */
export function estimatedAward(
  parts: Pick<EligibleParts, "merchandise" | "giftCards">,
  settings: ProgramSettings,
  tiers: readonly TierRule[],
  tierKey: string | null,
  bonus: { events: readonly BonusEventRule[]; at: Date } = { events: [], at: new Date(0) },
): number {
  if (!settings.active) return 0;
  const gross = { ...NO_PARTS, ...parts };
  const terms = awardTerms(bonus.at, settings, tiers, tierKey, bonus.at, {
    events: bonus.events.filter((event) => event.collectionGids.length === 0),
    gross,
    taxesIncluded: false,
  });
  const credit = orderCredit(
    { cancelled: false, gross, refunds: [], taxesIncluded: false },
    { ...terms, releasedAt: null },
    { points: 0, pendingPoints: 0 },
  );
  return credit.points;
}
