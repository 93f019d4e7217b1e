/**
 * Bonus events, pure: a date range in the shop's time zone during which
 * orders earn more, by a multiplier (2x, an E4 integer like tier multipliers)
 * or a fixed bonus (points per qualifying order). The rules
 * (docs/decisions/0022-bonus-events.md):
 *
 * - Days: an event runs from 00:00 on its first day to 24:00 on its last day,
 *   in the shop's IANA time zone as it was when the event was saved; the
 *   instants are fixed then (`eventInstants`), so an order at 23:30 local on
 *   the last day counts and a day of 23 or 25 hours (DST) is still one day.
 * - Which order: the order's processed time (Shopify's `processed_at`, else
 *   `created_at`: the snapshot's paidAt) decides, whoever credits it and
 *   whenever (a late webhook, the backfill).
 * - Stacking: multiplicative. points = floor(eligible x rate x tier x event);
 *   a fixed bonus is added after, whole while anything of the order is left.
 * - Overlap: of the events covering the order, the highest multiplier and the
 *   highest fixed bonus (a tie: the one that started first, then the lower
 *   id); never a sum of two multipliers or two bonuses. Neither choice nor the
 *   bonus depends on the order's amount, so an order refunded before Regulars
 *   first sees it (the backfill reads orders net of refunds) earns what one
 *   seen at payment earns after the refund.
 * - Collections: an event limited to chosen collections multiplies only the
 *   share of the order its lines in those collections make up, by their
 *   amounts as ordered (quantity ordered x price, less the line's discounts:
 *   never net of refunds, so every path reads the same share), and gives its
 *   fixed bonus when any such line has an amount. Of overlapping events, the
 *   highest multiplier is the highest once weighted by that share.
 * - Reversals: what the order earns always follows its facts under the terms
 *   recorded at its award (the event's multiplier and its fixed bonus), so a
 *   refund takes back the multiplied points in proportion, a whole refund or a
 *   cancellation the fixed bonus too, never more than was awarded, and never
 *   by today's events.
 */
import type { FieldError } from "./field-error";
import { maxMilli, type Milli } from "./money";
import { E4, formatE4, parseE4 } from "./rates";

type BonusEventKind = "MULTIPLIER" | "FIXED";

/** An event as the crediting paths see it. */
export interface BonusEventRule {
  id: string;
  kind: BonusEventKind;
  /** For MULTIPLIER: 20000 = 2x. */
  multiplierE4: number | null;
  /** For FIXED: points added to each qualifying order. */
  fixedPoints: number | null;
  /** First instant it applies to. */
  startsAt: Date;
  /** First instant after it (exclusive). */
  endsAt: Date;
  /** Collections it is limited to (Collection GIDs); empty: all orders. */
  collectionGids: readonly string[];
}

/**
 * A line of an order, for events limited to collections: its product (null for
 * a custom line or a product Shopify no longer has) and its amount as ordered,
 * the quantity ordered times the unit price less the line's discounts. Gift
 * cards are not lines here (they earn by the program's gift card setting only).
 */
export interface LineAmount {
  productGid: string | null;
  amountMilli: Milli;
}

/**
 * What the crediting path knows of an order for events limited to collections:
 * its lines, the products it asked Shopify about (`asked`), and for each
 * collection asked about, which of them are in it (productsInCollection, before
 * the crediting transaction).
 */
export interface OrderScope {
  lines: readonly LineAmount[];
  asked: ReadonlySet<string>;
  inCollection: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The scope the crediting transaction decides with: the order's lines as it reads them now, and
 * what was looked up before it (nothing: an event limited to collections then throws
 * CollectionsNotLookedUp for an order with products).
 */
export function scopeOf(lines: readonly LineAmount[], lookedUp?: OrderScope): OrderScope {
  return { asked: lookedUp?.asked ?? new Set(), inCollection: lookedUp?.inCollection ?? new Map(), lines };
}

/**
 * A collection event covers an order whose products were not looked up in its
 * collections (the order's lines changed since the lookup, or the caller did
 * not look): the award cannot be decided, so it is not made; the caller retries.
 */
export class CollectionsNotLookedUp extends Error {
  constructor(readonly collectionGid: string) {
    super(`the order's products were not looked up in collection ${collectionGid}: try again`);
    this.name = "CollectionsNotLookedUp";
  }
}

/** What an order's award records of the event it earned under (none: multiplier 1x, no bonus). */
export interface EventTerms {
  bonusEventId: string | null;
  eventMultiplierE4: number;
  eventFixedPoints: number;
  /** The order's eligible amount when it was awarded, for the record (what it earns does not depend on it). */
  eventBaseMilli: Milli;
  /**
   * A multiplier limited to collections applies to the share eventQualifyingMilli /
   * eventLinesMilli of the order (its lines in the collections, of all its lines, as ordered);
   * eventLinesMilli 0: to the whole order.
   */
  eventQualifyingMilli: Milli;
  eventLinesMilli: Milli;
}

export const NO_EVENT: EventTerms = {
  bonusEventId: null,
  eventMultiplierE4: E4,
  eventFixedPoints: 0,
  eventBaseMilli: 0n,
  eventQualifyingMilli: 0n,
  eventLinesMilli: 0n,
};

/** Limits of an event (the admin form refuses past them). */
export const BONUS_EVENT_LIMITS = {
  nameMax: 60,
  /** 1.1x to 10x. */
  multiplierMinE4: 11_000,
  multiplierMaxE4: 100_000,
  fixedMin: 1,
  fixedMax: 10_000,
  /** Events running at any one time. */
  maxOverlapping: 3,
  /** An event lasts at most this many days. */
  maxDays: 92,
  /** Events not over that the storefront is told about (running and next). */
  storefront: 10,
  /** Collections one event may be limited to (each is one Admin API lookup per order). */
  collectionsMax: 5,
} as const;

/**
 * Events limited to collections read products: `Product.inCollection` needs
 * `read_products` (https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Product,
 * "Requires `read_products` access scope"). It is an optional scope
 * (shopify.app.toml), asked for on the Bonus events page; without it the choice
 * of collections is off and the page says why.
 */
export const COLLECTION_SCOPES = ["read_products"] as const;

/** Whether the event applies to an order processed at `at`. */
export function eventCovers(event: Pick<BonusEventRule, "startsAt" | "endsAt">, at: Date): boolean {
  return event.startsAt <= at && at < event.endsAt;
}

/** A multiplier as an exact fraction of E4 units: numerator / denominator. */
interface Weighted {
  numerator: bigint;
  denominator: bigint;
}

/**
 * The multiplier `multiplierE4` applied to the share qualifying / lines of an
 * order (1x on the rest); lines 0: the whole order.
 */
function weighted(multiplierE4: number, qualifying: Milli, lines: Milli): Weighted {
  if (lines <= 0n) return { numerator: BigInt(multiplierE4), denominator: 1n };
  const share = qualifying < lines ? maxMilli(0n, qualifying) : lines;
  return {
    numerator: BigInt(E4) * (lines - share) + BigInt(multiplierE4) * share,
    denominator: lines,
  };
}

/**
 * Points an order's net eligible amount earns: floor(net x rate x tier x
 * event) exactly, the event's multiplier weighted by the share of the order
 * it applies to, plus the fixed bonus while anything of the order is left.
 */
export function pointsWithEvent(
  net: Milli,
  rateE4: number,
  multiplierE4: number,
  event: Pick<EventTerms, "eventMultiplierE4" | "eventFixedPoints"> &
    Partial<Pick<EventTerms, "eventQualifyingMilli" | "eventLinesMilli">>,
): number {
  if (net <= 0n) return 0;
  const { numerator, denominator } = weighted(
    event.eventMultiplierE4,
    event.eventQualifyingMilli ?? 0n,
    event.eventLinesMilli ?? 0n,
  );
  const scale = 1000n * BigInt(E4) * BigInt(E4) * BigInt(E4) * denominator;
  const multiplied = Number((net * BigInt(rateE4) * BigInt(multiplierE4) * numerator) / scale);
  return multiplied + Math.max(0, event.eventFixedPoints);
}

/**
 * The amounts of an order's lines as ordered: all of them, and those in any of
 * `collectionGids`. Throws CollectionsNotLookedUp when a collection was not
 * looked up for an order that has lines with a product.
 */
function linesIn(
  collectionGids: readonly string[],
  scope: OrderScope | undefined,
): { qualifying: Milli; lines: Milli } {
  if (!scope) throw new CollectionsNotLookedUp(collectionGids[0]!);
  const withProducts = scope.lines.some((line) => line.productGid);
  const lookups = collectionGids.map((collection) => {
    const products = scope.inCollection.get(collection);
    if (!products && withProducts) throw new CollectionsNotLookedUp(collection);
    return products ?? new Set<string>();
  });
  for (const line of scope.lines) {
    if (line.productGid && !scope.asked.has(line.productGid))
      throw new CollectionsNotLookedUp(collectionGids[0]!);
  }
  let lines = 0n;
  let qualifying = 0n;
  for (const line of scope.lines) {
    const amount = maxMilli(0n, line.amountMilli);
    lines += amount;
    const productGid = line.productGid;
    if (productGid && lookups.some((products) => products.has(productGid))) qualifying += amount;
  }
  return { qualifying, lines };
}

/** An event that applies to an order, with what it is worth to it and the share it applies to. */
interface Applicable {
  event: BonusEventRule;
  worth: Weighted;
  qualifying: Milli;
  lines: Milli;
}

/** a > b, a = b or a < b (1, 0, -1) for two exact fractions. */
function compare(a: Weighted, b: Weighted): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left > right ? 1 : left < right ? -1 : 0;
}

/** Of applicable events, the one worth most; a tie: the earlier start, then the lower id. */
function best(applicable: readonly Applicable[]): Applicable | null {
  let chosen: Applicable | null = null;
  for (const candidate of applicable) {
    const order = chosen ? compare(candidate.worth, chosen.worth) : 1;
    const better =
      order > 0 ||
      (order === 0 &&
        (candidate.event.startsAt < chosen!.event.startsAt ||
          (candidate.event.startsAt.getTime() === chosen!.event.startsAt.getTime() &&
            candidate.event.id < chosen!.event.id)));
    if (better) chosen = candidate;
  }
  return chosen;
}

/** The event as it applies to an order, or null when it is limited to collections none of its lines is in. */
function applicable(event: BonusEventRule, scope: OrderScope | undefined): Applicable | null {
  const limited = event.collectionGids.length > 0;
  const { qualifying, lines } = limited
    ? linesIn(event.collectionGids, scope)
    : { qualifying: 0n, lines: 0n };
  if (limited && qualifying === 0n) return null;
  const worth =
    event.kind === "MULTIPLIER"
      ? weighted(event.multiplierE4 ?? E4, qualifying, lines)
      : { numerator: BigInt(event.fixedPoints ?? 0), denominator: 1n };
  return { event, worth, qualifying, lines };
}

/**
 * The terms an order processed at `at` with eligible amount `eligible` earns
 * under: of the events covering `at` that apply to it (an event limited to
 * collections applies when a line with an amount is in one of them, by
 * `scope`), the highest multiplier weighted by the share it applies to and the
 * highest fixed bonus (the recorded id is the multiplier's event, else the
 * bonus's); none when no event applies or the order has nothing eligible. The
 * amount only decides whether there is anything to earn on, never which event.
 * Throws CollectionsNotLookedUp when a collection event covers `at` and
 * `scope` lacks that collection's lookup.
 */
export function chooseEvent(
  events: readonly BonusEventRule[],
  at: Date,
  eligible: Milli,
  scope?: OrderScope,
): EventTerms {
  const base = maxMilli(0n, eligible);
  if (base === 0n) return NO_EVENT;
  const covering = events
    .filter((event) => eventCovers(event, at))
    .map((event) => applicable(event, scope))
    .filter((candidate): candidate is Applicable => candidate !== null);
  const multiplier = best(covering.filter((candidate) => candidate.event.kind === "MULTIPLIER"));
  const fixed = best(covering.filter((candidate) => candidate.event.kind === "FIXED"));
  if (!multiplier && !fixed) return NO_EVENT;
  return {
    bonusEventId: (multiplier ?? fixed)!.event.id,
    eventMultiplierE4: multiplier?.event.multiplierE4 ?? E4,
    eventFixedPoints: fixed?.event.fixedPoints ?? 0,
    eventBaseMilli: base,
    eventQualifyingMilli: multiplier?.qualifying ?? 0n,
    eventLinesMilli: multiplier?.lines ?? 0n,
  };
}

/** The collections an order paid at `at` must be looked up in: those of the collection events covering it. */
export function collectionsToLookUp(events: readonly BonusEventRule[], at: Date): string[] {
  const collections = new Set<string>();
  for (const event of events) {
    if (eventCovers(event, at)) for (const collection of event.collectionGids) collections.add(collection);
  }
  return [...collections];
}

// ---------------------------------------------------------------------------
// Days in the shop's time zone.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-03-29" -> its year, month, day, or null when it is not a calendar day. */
function parseDay(text: string): { y: number; m: number; d: number } | null {
  const match = DAY.exec(text);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return { y, m, d };
}

/** The zone's offset from UTC at `instant`, in milliseconds (Intl only: no I/O). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local day starts in `timeZone` (its first moment: 00:00, or
 * the first minute that exists when a DST change skips midnight).
 */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const parsed = parseDay(day);
  if (!parsed) throw new RangeError(`not a day: ${day}`);
  const wall = Date.UTC(parsed.y, parsed.m - 1, parsed.d);
  // The zone's offsets on either side of the day (they differ across a DST change): of the
  // instants they give for the wall clock's midnight, the first that falls on the day. A
  // skipped midnight gives the change itself (01:00 local); a repeated one, its first time.
  const candidates = [offsetAt(wall - 86_400_000, timeZone), offsetAt(wall + 86_400_000, timeZone)]
    .map((offset) => wall - offset)
    .filter((instant) => localDay(new Date(instant), timeZone) === day);
  return new Date(Math.min(...candidates));
}

/** The local day ("YYYY-MM-DD") of `instant` in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);
}

function nextDay(day: string): string {
  const { y, m, d } = parseDay(day)!;
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** An event's instants from its first and last days (inclusive) in the shop's time zone. */
export function eventInstants(
  startsOn: string,
  endsOn: string,
  timeZone: string,
): { startsAt: Date; endsAt: Date } {
  return {
    startsAt: startOfLocalDay(startsOn, timeZone),
    endsAt: startOfLocalDay(nextDay(endsOn), timeZone),
  };
}

/** A zone Intl knows, else UTC (a shop whose zone is not known yet). */
export function validTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

// ---------------------------------------------------------------------------
// The admin's form.

export interface BonusEventInput {
  name: string;
  startsOn: string;
  endsOn: string;
  kind: string;
  /** "2" or "1.5" for a multiplier. */
  multiplier: string;
  /** Whole points for a fixed bonus. */
  fixedPoints: string;
  /** "ALL" (every order) or "COLLECTIONS"; absent: "ALL". */
  scope?: string;
  /** For COLLECTIONS: the chosen Collection GIDs, comma-separated. */
  collections?: string;
}

export interface BonusEventValues {
  name: string;
  startsOn: string;
  endsOn: string;
  kind: BonusEventKind;
  multiplierE4: number | null;
  fixedPoints: number | null;
  startsAt: Date;
  endsAt: Date;
  /** []: every order. */
  collectionGids: string[];
}

export type BonusEventErrors = Partial<Record<keyof BonusEventInput | "form", FieldError>>;

const DAY_MS = 86_400_000;

/**
 * An event's values from the form, or its field errors. `today` is the
 * shop's local day now: a new event may not start in the past (a running
 * event being edited keeps its first day); `others` are the shop's other
 * events not ended, for the limit of events at once.
 */
export function parseBonusEvent(
  input: BonusEventInput,
  context: {
    timeZone: string;
    today: string;
    /** The first day the event had when saved (editing a running event). */
    savedStartsOn?: string | null;
    others: readonly Pick<BonusEventRule, "startsAt" | "endsAt">[];
  },
): { ok: true; values: BonusEventValues } | { ok: false; errors: BonusEventErrors } {
  const errors: BonusEventErrors = {};
  const L = BONUS_EVENT_LIMITS;
  const name = input.name.trim();
  if (!name) errors.name = { code: "required" };
  else if (name.length > L.nameMax) errors.name = { code: "max", max: L.nameMax, unit: "characters" };

  const startDay = parseDay(input.startsOn.trim());
  const endDay = parseDay(input.endsOn.trim());
  if (!input.startsOn.trim()) errors.startsOn = { code: "required" };
  else if (!startDay) errors.startsOn = { code: "invalid" };
  if (!input.endsOn.trim()) errors.endsOn = { code: "required" };
  else if (!endDay) errors.endsOn = { code: "invalid" };
  const startsOn = input.startsOn.trim();
  const endsOn = input.endsOn.trim();
  if (startDay && endDay) {
    if (endsOn < startsOn) errors.endsOn = { code: "beforeEnd" };
    else if (startsOn !== context.savedStartsOn && startsOn < context.today)
      errors.startsOn = { code: "past" };
    else if (endsOn < context.today) errors.endsOn = { code: "past" };
    else {
      const days = Math.round((Date.parse(endsOn) - Date.parse(startsOn)) / DAY_MS) + 1;
      if (days > L.maxDays) errors.endsOn = { code: "max", max: L.maxDays, unit: "days" };
    }
  }

  let kind: BonusEventKind | null = null;
  if (input.kind === "MULTIPLIER" || input.kind === "FIXED") kind = input.kind;
  else errors.kind = { code: "choice" };

  let multiplierE4: number | null = null;
  let fixedPoints: number | null = null;
  if (kind === "MULTIPLIER") {
    const text = input.multiplier.trim();
    if (!text) errors.multiplier = { code: "required" };
    else {
      try {
        multiplierE4 = parseE4(text);
      } catch {
        errors.multiplier = { code: "number", example: "2" };
      }
      if (multiplierE4 !== null && (multiplierE4 < L.multiplierMinE4 || multiplierE4 > L.multiplierMaxE4)) {
        errors.multiplier = {
          code: "range",
          min: L.multiplierMinE4 / E4,
          max: L.multiplierMaxE4 / E4,
          unit: "decimal",
        };
        multiplierE4 = null;
      }
    }
  } else if (kind === "FIXED") {
    const text = input.fixedPoints.trim();
    if (!text) errors.fixedPoints = { code: "required" };
    else if (!/^\d+$/.test(text)) errors.fixedPoints = { code: "wholeNumber" };
    else {
      fixedPoints = Number(text);
      if (fixedPoints < L.fixedMin || fixedPoints > L.fixedMax) {
        errors.fixedPoints = { code: "range", min: L.fixedMin, max: L.fixedMax, unit: "points" };
      }
    }
  }

  const scope = parseEventScope(input);
  if ("errors" in scope) Object.assign(errors, scope.errors);
  const collectionGids = "errors" in scope ? [] : scope.collectionGids;

  if (Object.keys(errors).length > 0 || !kind) return { ok: false, errors };
  const { startsAt, endsAt } = eventInstants(startsOn, endsOn, context.timeZone);
  const overlapping = context.others.filter((o) => o.startsAt < endsAt && startsAt < o.endsAt).length;
  if (overlapping >= L.maxOverlapping) {
    return { ok: false, errors: { form: { code: "max", max: L.maxOverlapping, unit: "events" } } };
  }
  return {
    ok: true,
    values: { name, startsOn, endsOn, kind, multiplierE4, fixedPoints, startsAt, endsAt, collectionGids },
  };
}

const COLLECTION_GID = /^gid:\/\/shopify\/Collection\/\d{1,20}$/;

/**
 * Which orders an event applies to, from the form: "ALL" (or absent) every
 * order, "COLLECTIONS" the collections chosen (comma-separated GIDs: at least
 * one, at most collectionsMax).
 */
export function parseEventScope(
  input: Pick<BonusEventInput, "scope" | "collections">,
): { collectionGids: string[] } | { errors: BonusEventErrors } {
  const scope = input.scope?.trim() || "ALL";
  if (scope === "ALL") return { collectionGids: [] };
  if (scope !== "COLLECTIONS") return { errors: { scope: { code: "choice" } } };
  const parsed = parseCollectionGids(input.collections ?? "");
  return "error" in parsed ? { errors: { collections: parsed.error } } : { collectionGids: parsed.gids };
}

/** The chosen collections (comma-separated GIDs): at least one, at most collectionsMax, each a Collection GID. */
function parseCollectionGids(text: string): { gids: string[] } | { error: FieldError } {
  const gids = [
    ...new Set(
      text
        .split(",")
        .map((gid) => gid.trim())
        .filter(Boolean),
    ),
  ];
  if (gids.length === 0) return { error: { code: "required" } };
  if (gids.some((gid) => !COLLECTION_GID.test(gid))) return { error: { code: "invalid" } };
  const max = BONUS_EVENT_LIMITS.collectionsMax;
  if (gids.length > max) return { error: { code: "max", max, unit: "collections" } };
  return { gids };
}

/** The multiplier as the form writes it ("2", "1.5"). */
export const multiplierText = (multiplierE4: number | null): string =>
  multiplierE4 === null ? "" : formatE4(multiplierE4);

/** Whether an event is over (read-only in the admin) at `now`. */
export const eventEnded = (event: Pick<BonusEventRule, "endsAt">, now: Date): boolean => event.endsAt <= now;
