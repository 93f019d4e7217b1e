/**
 * Bonus events' rules (app/loyalty/bonus-events.ts) and how the crediting
 * rules use them (app/loyalty/order-credit.ts): days in the shop's time zone
 * (the last day's 23:30 counts, DST days), the event chosen among
 * overlapping ones, stacking with a tier's multiplier, rounding, and
 * reversals in proportion to what was awarded. Decision 0022.
 */
import { describe, expect, it } from "vitest";
import {
  BONUS_EVENT_LIMITS,
  chooseEvent,
  CollectionsNotLookedUp,
  collectionsToLookUp,
  parseEventScope,
  eventCovers,
  eventInstants,
  localDay,
  NO_EVENT,
  parseBonusEvent,
  pointsWithEvent,
  startOfLocalDay,
  validTimeZone,
  type BonusEventInput,
  type BonusEventRule,
  type OrderScope,
} from "~/loyalty/bonus-events";
import { NO_PARTS, type EligibleParts } from "~/loyalty/eligible";
import { awardTerms, orderCredit, type CreditFacts } from "~/loyalty/order-credit";
import { DEFAULT_PROGRAM, type ProgramSettings, type TierRule } from "~/loyalty/program";
import { E4 } from "~/loyalty/rates";

const settings: ProgramSettings = { ...DEFAULT_PROGRAM, earnRateE4: 1 * E4 };
const tiers: TierRule[] = [
  { key: "member", name: "Member", threshold: 0n, multiplierE4: E4 },
  { key: "gold", name: "Gold", threshold: 500_000n, multiplierE4: 1.5 * E4 },
];
const parts = (over: Partial<EligibleParts>): EligibleParts => ({ ...NO_PARTS, ...over });
const NOW = new Date("2026-06-30T12:00:00Z");

function event(over: Partial<BonusEventRule> & { id: string }): BonusEventRule {
  return {
    kind: "MULTIPLIER",
    multiplierE4: 2 * E4,
    fixedPoints: null,
    collectionGids: [],
    ...eventInstants("2026-06-01", "2026-06-07", "America/New_York"),
    ...over,
  };
}

describe("days in the shop's time zone", () => {
  it("runs from 00:00 on the first day to 24:00 on the last, local", () => {
    const { startsAt, endsAt } = eventInstants("2026-06-01", "2026-06-07", "America/New_York");
    // New York is UTC-4 in June.
    expect(startsAt.toISOString()).toBe("2026-06-01T04:00:00.000Z");
    expect(endsAt.toISOString()).toBe("2026-06-08T04:00:00.000Z");
    const window = { startsAt, endsAt };
    // 23:30 local on the last day counts; 00:00 the day after does not.
    expect(eventCovers(window, new Date("2026-06-08T03:30:00Z"))).toBe(true);
    expect(eventCovers(window, new Date("2026-06-08T04:00:00Z"))).toBe(false);
    // 23:59 local the day before the first does not; 00:00 the first day does.
    expect(eventCovers(window, new Date("2026-06-01T03:59:00Z"))).toBe(false);
    expect(eventCovers(window, new Date("2026-06-01T04:00:00Z"))).toBe(true);
  });

  it("keeps days whole across a DST change (23 and 25 hours)", () => {
    // Europe/Paris springs forward on 2026-03-29 and falls back on 2026-10-25.
    const spring = eventInstants("2026-03-29", "2026-03-29", "Europe/Paris");
    expect(spring.startsAt.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(spring.endsAt.toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(spring.endsAt.getTime() - spring.startsAt.getTime()).toBe(23 * 3_600_000);
    const autumn = eventInstants("2026-10-25", "2026-10-25", "Europe/Paris");
    expect(autumn.endsAt.getTime() - autumn.startsAt.getTime()).toBe(25 * 3_600_000);
    // 23:30 local on the short day.
    expect(eventCovers(spring, new Date("2026-03-29T21:30:00Z"))).toBe(true);
  });

  it("starts a day whose midnight does not exist at its first minute", () => {
    // America/Santiago skips 00:00-01:00 when DST starts (2026-09-06).
    const start = startOfLocalDay("2026-09-06", "America/Santiago");
    expect(localDay(start, "America/Santiago")).toBe("2026-09-06");
    expect(localDay(new Date(start.getTime() - 1), "America/Santiago")).toBe("2026-09-05");
  });

  it("reads days east of UTC and falls back to UTC for an unknown zone", () => {
    expect(startOfLocalDay("2026-01-01", "Asia/Tokyo").toISOString()).toBe("2025-12-31T15:00:00.000Z");
    expect(validTimeZone("Not/AZone")).toBe("UTC");
    expect(validTimeZone(null)).toBe("UTC");
    expect(validTimeZone("Asia/Kolkata")).toBe("Asia/Kolkata");
  });
});

describe("the event an order earns under", () => {
  const inJune = new Date("2026-06-03T15:00:00Z");

  it("is none outside every event, or for an order with nothing eligible", () => {
    expect(chooseEvent([event({ id: "a" })], new Date("2026-07-01T00:00:00Z"), 100_000n)).toEqual(NO_EVENT);
    expect(chooseEvent([event({ id: "a" })], inJune, 0n)).toEqual(NO_EVENT);
  });

  it("takes the highest multiplier and the highest fixed bonus of overlapping events, never a sum", () => {
    const double = event({ id: "double" });
    const triple = event({ id: "triple", multiplierE4: 3 * E4 });
    const fixed = event({ id: "fixed", kind: "FIXED", multiplierE4: null, fixedPoints: 50 });
    const fixedMore = event({ id: "fixed-more", kind: "FIXED", multiplierE4: null, fixedPoints: 80 });
    expect(chooseEvent([double, triple], inJune, 100_000n)).toMatchObject({
      bonusEventId: "triple",
      eventMultiplierE4: 3 * E4,
      eventFixedPoints: 0,
    });
    // A multiplier and a bonus both apply: 100.00 at 1 point per 1.00 earns 300 + 80.
    const both = chooseEvent([double, triple, fixed, fixedMore], inJune, 100_000n);
    expect(both).toMatchObject({ bonusEventId: "triple", eventMultiplierE4: 3 * E4, eventFixedPoints: 80 });
    expect(pointsWithEvent(100_000n, E4, E4, both)).toBe(380);
    // The order's amount never changes the choice (the backfill sees orders net of refunds).
    const small = chooseEvent([double, fixed], inJune, 10_000n);
    const large = chooseEvent([double, fixed], inJune, 900_000n);
    expect([small.bonusEventId, small.eventMultiplierE4, small.eventFixedPoints]).toEqual([
      large.bonusEventId,
      large.eventMultiplierE4,
      large.eventFixedPoints,
    ]);
    expect(chooseEvent([fixed], inJune, 10_000n)).toMatchObject({
      bonusEventId: "fixed",
      eventMultiplierE4: E4,
    });
  });

  it("breaks a tie by the earlier start, then the id", () => {
    const later = event({ id: "a", ...eventInstants("2026-06-02", "2026-06-07", "America/New_York") });
    const earlier = event({ id: "b" });
    expect(chooseEvent([later, earlier], inJune, 100_000n).bonusEventId).toBe("b");
    expect(chooseEvent([event({ id: "z" }), event({ id: "c" })], inJune, 100_000n).bonusEventId).toBe("c");
  });
});

describe("an event limited to collections", () => {
  const inJune = new Date("2026-06-03T15:00:00Z");
  const WARM = "gid://shopify/Collection/1";
  const SALE = "gid://shopify/Collection/2";
  const HOODIE = "gid://shopify/Product/10";
  const SOCKS = "gid://shopify/Product/11";
  const CAP = "gid://shopify/Product/12";
  // A hoodie for 60.00 (in Warm layers), socks for 20.00 less 5.00 off, a custom line for 25.00.
  const lines = [
    { productGid: HOODIE, amountMilli: 60_000n },
    { productGid: SOCKS, amountMilli: 15_000n },
    { productGid: null, amountMilli: 25_000n },
  ];
  const scope = (inCollection: Record<string, string[]>, over: Partial<OrderScope> = {}): OrderScope => ({
    lines,
    asked: new Set([HOODIE, SOCKS]),
    inCollection: new Map(Object.entries(inCollection).map(([c, products]) => [c, new Set(products)])),
    ...over,
  });
  const warmDouble = event({ id: "warm", collectionGids: [WARM] });

  it("multiplies only the share of the order its lines in the collection make up", () => {
    const terms = chooseEvent([warmDouble], inJune, 100_000n, scope({ [WARM]: [HOODIE] }));
    expect(terms).toMatchObject({
      bonusEventId: "warm",
      eventMultiplierE4: 2 * E4,
      eventQualifyingMilli: 60_000n,
      eventLinesMilli: 100_000n,
    });
    // 100.00 at 1 point per 1.00: 40 at 1x and 60 at 2x = 160, not 200.
    expect(pointsWithEvent(100_000n, E4, E4, terms)).toBe(160);
    // Half refunded, whatever was returned: the share stays, so half of it (80).
    expect(pointsWithEvent(50_000n, E4, E4, terms)).toBe(80);
    // A Gold member (x1.5): 150 x (0.4 + 0.6 x 2) = 240.
    expect(pointsWithEvent(100_000n, E4, 1.5 * E4, terms)).toBe(240);
  });

  it("applies to no order without a line in the collection, nor to a line with no product", () => {
    expect(chooseEvent([warmDouble], inJune, 100_000n, scope({ [WARM]: [] }))).toEqual(NO_EVENT);
    const fixed = event({
      id: "f",
      kind: "FIXED",
      multiplierE4: null,
      fixedPoints: 50,
      collectionGids: [WARM],
    });
    expect(chooseEvent([fixed], inJune, 100_000n, scope({ [WARM]: [] }))).toEqual(NO_EVENT);
    // Any line with an amount in it: the whole fixed bonus.
    expect(chooseEvent([fixed], inJune, 100_000n, scope({ [WARM]: [SOCKS] }))).toMatchObject({
      bonusEventId: "f",
      eventFixedPoints: 50,
      eventLinesMilli: 0n,
    });
  });

  it("counts a line in any of its collections once", () => {
    const both = event({ id: "both", collectionGids: [WARM, SALE] });
    const terms = chooseEvent([both], inJune, 100_000n, scope({ [WARM]: [HOODIE], [SALE]: [HOODIE, SOCKS] }));
    expect([terms.eventQualifyingMilli, terms.eventLinesMilli]).toEqual([75_000n, 100_000n]);
  });

  it("against an event for every order, takes the multiplier worth more once weighted by its share", () => {
    const everything = event({ id: "all", multiplierE4: 1.5 * E4 });
    const warmTriple = event({ id: "warm3", multiplierE4: 3 * E4, collectionGids: [WARM] });
    // 3x on 60%: 1 + 0.6 x 2 = 2.2x, more than 1.5x on all.
    expect(
      chooseEvent([everything, warmTriple], inJune, 100_000n, scope({ [WARM]: [HOODIE] })).bonusEventId,
    ).toBe("warm3");
    // 3x on 15%: 1.3x, less than 1.5x.
    expect(
      chooseEvent([everything, warmTriple], inJune, 100_000n, scope({ [WARM]: [SOCKS] })).bonusEventId,
    ).toBe("all");
    // Equal worth (2x on all against 3x on half): the earlier start, then the lower id.
    const half = scope(
      { [WARM]: [HOODIE] },
      { lines: [lines[0]!, { productGid: CAP, amountMilli: 60_000n }] },
    );
    const double = event({ id: "z-all" });
    expect(
      chooseEvent([double, warmTriple], inJune, 100_000n, { ...half, asked: new Set([HOODIE, CAP]) })
        .bonusEventId,
    ).toBe("warm3");
  });

  it("refuses to decide without the lookup, or when the order has a product not looked up", () => {
    expect(() => chooseEvent([warmDouble], inJune, 100_000n)).toThrow(CollectionsNotLookedUp);
    expect(() => chooseEvent([warmDouble], inJune, 100_000n, scope({}))).toThrow(CollectionsNotLookedUp);
    expect(() =>
      chooseEvent([warmDouble], inJune, 100_000n, scope({ [WARM]: [HOODIE] }, { asked: new Set([HOODIE]) })),
    ).toThrow(CollectionsNotLookedUp);
    // An order with no product lines has nothing to look up: the event does not apply.
    expect(
      chooseEvent([warmDouble], inJune, 100_000n, {
        lines: [lines[2]!],
        asked: new Set(),
        inCollection: new Map(),
      }),
    ).toEqual(NO_EVENT);
  });

  it("names the collections to look up: those of the collection events covering the order", () => {
    const later = event({
      id: "later",
      collectionGids: [SALE],
      ...eventInstants("2026-07-01", "2026-07-02", "UTC"),
    });
    expect(collectionsToLookUp([warmDouble, later, event({ id: "all" })], inJune)).toEqual([WARM]);
    expect(collectionsToLookUp([later], inJune)).toEqual([]);
  });

  it("reads the form's choice: every order, or one to five collections by GID", () => {
    expect(parseEventScope({})).toEqual({ collectionGids: [] });
    expect(parseEventScope({ scope: "ALL", collections: WARM })).toEqual({ collectionGids: [] });
    expect(parseEventScope({ scope: "COLLECTIONS", collections: ` ${WARM},${SALE},${WARM}` })).toEqual({
      collectionGids: [WARM, SALE],
    });
    expect(parseEventScope({ scope: "COLLECTIONS", collections: "" })).toEqual({
      errors: { collections: { code: "required" } },
    });
    expect(parseEventScope({ scope: "COLLECTIONS", collections: "gid://shopify/Product/1" })).toEqual({
      errors: { collections: { code: "invalid" } },
    });
    const six = Array.from({ length: 6 }, (_, i) => `gid://shopify/Collection/${i + 1}`).join(",");
    expect(parseEventScope({ scope: "COLLECTIONS", collections: six })).toEqual({
      errors: { collections: { code: "max", max: BONUS_EVENT_LIMITS.collectionsMax, unit: "collections" } },
    });
    expect(parseEventScope({ scope: "SOME" })).toEqual({ errors: { scope: { code: "choice" } } });
  });
});

describe("points under an event", () => {
  it("multiplies with the tier's multiplier, rounding down once at the end", () => {
    // 33.33 x 1 x 1.5 x 2 = 99.99 -> 99 (not floor(49.995) x 2 = 98).
    const terms = { eventMultiplierE4: 2 * E4, eventFixedPoints: 0, eventBaseMilli: 33_330n };
    expect(pointsWithEvent(33_330n, E4, 1.5 * E4, terms)).toBe(99);
    expect(pointsWithEvent(33_330n, E4, 1.5 * E4, NO_EVENT)).toBe(49);
    // 1.25x on 7.99 at 3 points: 29.9625 -> 29.
    expect(pointsWithEvent(7_990n, 3 * E4, E4, { ...terms, eventMultiplierE4: 12_500 })).toBe(29);
  });

  it("adds a fixed bonus whole while anything of the order is left", () => {
    const terms = { eventMultiplierE4: E4, eventFixedPoints: 100, eventBaseMilli: 80_000n };
    expect(pointsWithEvent(80_000n, E4, E4, terms)).toBe(180);
    // Half refunded: half of the multiplied points, all of the bonus.
    expect(pointsWithEvent(40_000n, E4, E4, terms)).toBe(140);
    // Edited up after the award: the bonus stays what it was.
    expect(pointsWithEvent(120_000n, E4, E4, terms)).toBe(220);
    // All refunded (or cancelled: nothing eligible): nothing, bonus included.
    expect(pointsWithEvent(0n, E4, E4, terms)).toBe(0);
  });
});

describe("the award and its reversals", () => {
  const gross = parts({ merchandise: 100_000n });
  const facts: CreditFacts = { cancelled: false, gross, refunds: [], taxesIncluded: false };
  const paidAt = new Date("2026-06-07T20:00:00Z");

  it("records the event at the award, and a refund takes back in proportion", () => {
    const terms = awardTerms(paidAt, settings, tiers, "gold", NOW, {
      events: [event({ id: "double" })],
      gross,
      taxesIncluded: false,
    });
    expect(terms).toMatchObject({
      bonusEventId: "double",
      eventMultiplierE4: 2 * E4,
      eventBaseMilli: 100_000n,
    });
    const paid = orderCredit(facts, terms, { points: 0, pendingPoints: 0 });
    // 100 x 1.5 x 2 = 300, of which the event added 150.
    expect(paid).toMatchObject({ points: 300, change: 300, eventPoints: 150, kind: "EARN" });
    const refunded = orderCredit({ ...facts, refunds: [parts({ merchandise: 25_000n })] }, terms, {
      points: paid.points,
      pendingPoints: 0,
    });
    expect(refunded).toMatchObject({ points: 225, change: -75, eventPoints: 113, kind: "REVERSE" });
    const cancelled = orderCredit({ ...facts, cancelled: true }, terms, { points: 300, pendingPoints: 0 });
    expect(cancelled).toMatchObject({ points: 0, change: -300, eventPoints: 0 });
  });

  it("never uses today's events: terms without an event stay without one", () => {
    const terms = awardTerms(new Date("2026-05-31T12:00:00Z"), settings, tiers, null, NOW, {
      events: [event({ id: "double" })],
      gross,
      taxesIncluded: false,
    });
    expect(terms).toMatchObject(NO_EVENT);
    expect(orderCredit(facts, terms, { points: 0, pendingPoints: 0 })).toMatchObject({
      points: 100,
      eventPoints: 0,
    });
    // Terms recorded before bonus events existed (no event columns read) earn as before.
    const { bonusEventId, eventMultiplierE4, eventFixedPoints, eventBaseMilli, ...old } = terms;
    void [bonusEventId, eventMultiplierE4, eventFixedPoints, eventBaseMilli];
    expect(orderCredit(facts, old, { points: 0, pendingPoints: 0 }).points).toBe(100);
  });

  it("gives no event to an order with nothing eligible under the program's inclusions", () => {
    const onlyShipping = parts({ merchandise: 0n, shipping: 90_000n });
    const fixed = event({ id: "fixed", kind: "FIXED", multiplierE4: null, fixedPoints: 50 });
    const bonus = { events: [event({ id: "double" }), fixed], gross: onlyShipping, taxesIncluded: false };
    expect(awardTerms(paidAt, settings, tiers, null, NOW, bonus)).toMatchObject(NO_EVENT);
    expect(awardTerms(paidAt, { ...settings, includeShipping: true }, tiers, null, NOW, bonus)).toMatchObject(
      {
        bonusEventId: "double",
        eventMultiplierE4: 2 * E4,
        eventFixedPoints: 50,
      },
    );
  });
});

describe("the admin's form", () => {
  const input: BonusEventInput = {
    name: "Double points weekend",
    startsOn: "2026-07-04",
    endsOn: "2026-07-05",
    kind: "MULTIPLIER",
    multiplier: "2",
    fixedPoints: "",
  };
  const context = { timeZone: "America/New_York", today: "2026-06-30", others: [] };

  it("reads a valid event with its instants", () => {
    const parsed = parseBonusEvent(input, context);
    expect(parsed).toMatchObject({
      ok: true,
      values: { name: "Double points weekend", kind: "MULTIPLIER", multiplierE4: 2 * E4, fixedPoints: null },
    });
    if (parsed.ok) expect(parsed.values.startsAt.toISOString()).toBe("2026-07-04T04:00:00.000Z");
  });

  it("refuses each field with its code", () => {
    const refused = (over: Partial<BonusEventInput>, ctx = context) => {
      const parsed = parseBonusEvent({ ...input, ...over }, ctx);
      return parsed.ok ? null : parsed.errors;
    };
    expect(refused({ name: " " })).toEqual({ name: { code: "required" } });
    expect(refused({ name: "x".repeat(61) })).toEqual({
      name: { code: "max", max: BONUS_EVENT_LIMITS.nameMax, unit: "characters" },
    });
    expect(refused({ endsOn: "2026-07-03" })).toEqual({ endsOn: { code: "beforeEnd" } });
    expect(refused({ startsOn: "2026-06-29" })).toEqual({ startsOn: { code: "past" } });
    expect(refused({ startsOn: "2026-02-30" })).toEqual({ startsOn: { code: "invalid" } });
    expect(refused({ endsOn: "2026-12-31" })).toEqual({ endsOn: { code: "max", max: 92, unit: "days" } });
    expect(refused({ multiplier: "1.05" })).toEqual({
      multiplier: { code: "range", min: 1.1, max: 10, unit: "decimal" },
    });
    expect(refused({ multiplier: "10.5" })).toMatchObject({ multiplier: { code: "range" } });
    expect(refused({ multiplier: "two" })).toEqual({ multiplier: { code: "number", example: "2" } });
    expect(refused({ kind: "PERCENT" })).toEqual({ kind: { code: "choice" } });
    expect(refused({ kind: "FIXED", fixedPoints: "" })).toEqual({ fixedPoints: { code: "required" } });
    expect(refused({ kind: "FIXED", fixedPoints: "1.5" })).toEqual({ fixedPoints: { code: "wholeNumber" } });
    expect(refused({ kind: "FIXED", fixedPoints: "10001" })).toEqual({
      fixedPoints: { code: "range", min: 1, max: 10_000, unit: "points" },
    });
    expect(refused({ kind: "FIXED", fixedPoints: "250" })).toBeNull();
  });

  it("keeps a running event's first day when it is edited", () => {
    const running = { ...context, today: "2026-07-05", savedStartsOn: "2026-07-04" };
    expect(parseBonusEvent(input, running).ok).toBe(true);
    expect(parseBonusEvent({ ...input, startsOn: "2026-07-03" }, running)).toMatchObject({
      ok: false,
      errors: { startsOn: { code: "past" } },
    });
  });

  it("refuses more than the limit of events at once", () => {
    const overlapping = eventInstants("2026-07-01", "2026-07-04", "America/New_York");
    const apart = eventInstants("2026-07-10", "2026-07-12", "America/New_York");
    const others = [overlapping, overlapping, apart, apart];
    expect(parseBonusEvent(input, { ...context, others: others.slice(0, 3) }).ok).toBe(true);
    expect(parseBonusEvent(input, { ...context, others })).toMatchObject({ ok: true });
    expect(parseBonusEvent(input, { ...context, others: [overlapping, overlapping, overlapping] })).toEqual({
      ok: false,
      errors: { form: { code: "max", max: BONUS_EVENT_LIMITS.maxOverlapping, unit: "events" } },
    });
  });
});
