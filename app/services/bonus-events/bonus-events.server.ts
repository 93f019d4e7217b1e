/**
 * Bonus events (docs/decisions/0022-bonus-events.md): the admin page's list,
 * saving an event (new or changed, while it is not over), ending one now, and
 * the events running now for the storefront. The rules are
 * app/loyalty/bonus-events.ts; the crediting paths read the events through
 * app/db/bonus-events.server.ts themselves.
 */
import type { BonusEvent, PrismaClient } from "@prisma/client";
import {
  collectionsOf,
  createBonusEvent,
  type EventCollection,
  endBonusEvent,
  findBonusEvent,
  listBonusEvents,
  notOverBonusEvents,
  openBonusEvents,
  updateBonusEvent,
} from "../../db/bonus-events.server";
import { markProgramChanged } from "../../db/program.server";
import { findShop } from "../../db/shops.server";
import { inTransaction } from "../../db/tx.server";
import { grantsScopes } from "../../loyalty/granted-scopes";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import {
  collectionChoices,
  collectionsById,
  type CollectionChoice,
} from "../../shopify/admin-api/product-collections.server";
import {
  BONUS_EVENT_LIMITS,
  COLLECTION_SCOPES,
  eventEnded,
  localDay,
  multiplierText,
  parseBonusEvent,
  parseEventScope,
  validTimeZone,
  type BonusEventErrors,
  type BonusEventInput,
} from "../../loyalty/bonus-events";

export type BonusEventStatus = "upcoming" | "running" | "ended";

export interface BonusEventRow {
  id: string;
  name: string;
  /** The collections it is limited to (titles as chosen); []: every order. */
  collections: EventCollection[];
  startsOn: string;
  endsOn: string;
  kind: BonusEvent["kind"];
  multiplier: string;
  fixedPoints: number | null;
  status: BonusEventStatus;
  /** Ended before its last day by a merchant. */
  endedEarly: boolean;
}

const statusOf = (event: BonusEvent, now: Date): BonusEventStatus =>
  eventEnded(event, now) ? "ended" : event.startsAt <= now ? "running" : "upcoming";

async function shopTimeZone(db: PrismaClient, shop: string): Promise<string> {
  return validTimeZone((await findShop(db, shop))?.ianaTimezone);
}

/** The page: every event with its status, and the shop's day today (the form's first allowed day). */
export async function bonusEventsPage(db: PrismaClient, shop: string, now: Date) {
  const [events, timeZone] = await Promise.all([listBonusEvents(db, shop), shopTimeZone(db, shop)]);
  return {
    timeZone,
    today: localDay(now, timeZone),
    events: events.map((event): BonusEventRow => ({
      id: event.id,
      name: event.name,
      collections: collectionsOf(event.collections),
      startsOn: event.startsOn,
      endsOn: event.endedEarlyAt ? localDay(event.endedEarlyAt, event.timeZone) : event.endsOn,
      kind: event.kind,
      multiplier: multiplierText(event.multiplierE4),
      fixedPoints: event.fixedPoints,
      status: statusOf(event, now),
      endedEarly: event.endedEarlyAt !== null,
    })),
  };
}

export type SaveResult = { ok: true; id: string } | { ok: false; errors: BonusEventErrors };

/** Of chosen Collection GIDs, those the shop has, with their titles (collectionsById); null: the shop did not grant read_products. */
export type CollectionFinder = ((collectionGids: readonly string[]) => Promise<EventCollection[]>) | null;

/**
 * The collections chosen on the form, checked with Shopify: none for "every
 * order"; a choice of collections without read_products, or of a collection the
 * shop does not have (deleted since the page loaded), is refused.
 */
async function chosenCollections(
  input: BonusEventInput,
  find: CollectionFinder,
): Promise<{ collections: EventCollection[] } | { errors: BonusEventErrors }> {
  const scope = parseEventScope(input);
  if ("errors" in scope) return scope;
  if (scope.collectionGids.length === 0) return { collections: [] };
  if (!find) return { errors: { scope: { code: "choice" } } };
  const found = await find(scope.collectionGids);
  const byId = new Map(found.map((collection) => [collection.id, collection]));
  if (scope.collectionGids.some((gid) => !byId.has(gid)))
    return { errors: { collections: { code: "choice" } } };
  return { collections: scope.collectionGids.map((gid) => byId.get(gid)!) };
}

/** The shop granted read_products (COLLECTION_SCOPES), as its row records the granted scopes. */
async function readsProducts(db: PrismaClient, shop: string): Promise<boolean> {
  return grantsScopes((await findShop(db, shop))?.scopes, COLLECTION_SCOPES);
}

/**
 * The collections the page offers: asked of Shopify only when the shop granted read_products
 * (else the choice is off and the page says why); a failed call gives no list (`choices: null`,
 * the page says so) and leaves the rest of the page as it is.
 */
export async function collectionsOffer(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
): Promise<{ on: boolean; choices: CollectionChoice[] | null; more: boolean }> {
  if (!(await readsProducts(db, shop))) return { on: false, choices: [], more: false };
  return collectionChoices(admin).then(
    ({ collections, more }) => ({ on: true, choices: collections, more }),
    (error: unknown) => {
      console.warn(`[bonus-events] ${shop}: the collections could not be read: ${(error as Error).message}`);
      return { on: true, choices: null, more: false };
    },
  );
}

/** How a save checks chosen collections with Shopify; null when the shop did not grant read_products. */
export async function collectionFinder(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
): Promise<CollectionFinder> {
  return (await readsProducts(db, shop)) ? (gids) => collectionsById(admin, gids) : null;
}

/**
 * Creates an event, or changes one (`id`) that is not over; an event over
 * is read-only (refused as `form: invalid`, and so is another shop's id).
 * Orders already awarded keep the terms they were awarded under. An event
 * limited to collections has them checked with Shopify first (`find`).
 */
export async function saveBonusEvent(
  db: PrismaClient,
  shop: string,
  input: BonusEventInput,
  id: string | null,
  now: Date,
  find: CollectionFinder = null,
): Promise<SaveResult> {
  const timeZone = await shopTimeZone(db, shop);
  const chosen = await chosenCollections(input, find);
  return inTransaction(db, async (tx): Promise<SaveResult> => {
    const saved = id ? await findBonusEvent(tx, shop, id) : null;
    if (id && (!saved || eventEnded(saved, now))) return { ok: false, errors: { form: { code: "invalid" } } };
    // A running event keeps its first day (and its zone: orders already awarded under it).
    const zone = saved && saved.startsAt <= now ? saved.timeZone : timeZone;
    const parsed = parseBonusEvent(input, {
      timeZone: zone,
      today: localDay(now, zone),
      savedStartsOn: saved && saved.startsAt <= now ? saved.startsOn : null,
      others: await openBonusEvents(tx, shop, now, id ?? undefined),
    });
    if (!parsed.ok || "errors" in chosen) {
      return {
        ok: false,
        errors: { ...(parsed.ok ? {} : parsed.errors), ...("errors" in chosen ? chosen.errors : {}) },
      };
    }
    const { values } = parsed;
    const write = {
      name: values.name,
      startsOn: values.startsOn,
      endsOn: values.endsOn,
      timeZone: zone,
      startsAt: values.startsAt,
      endsAt: values.endsAt,
      kind: values.kind,
      multiplierE4: values.multiplierE4,
      fixedPoints: values.fixedPoints,
      collections: chosen.collections,
    };
    // Shopify's copy of the program lists the events the storefront shows.
    if (saved) {
      if (!(await updateBonusEvent(tx, shop, saved.id, write, now)))
        return { ok: false, errors: { form: { code: "invalid" } } };
      await markProgramChanged(tx, shop);
      return { ok: true, id: saved.id };
    }
    const created = await createBonusEvent(tx, shop, write);
    await markProgramChanged(tx, shop);
    return { ok: true, id: created.id };
  });
}

/** Ends an event now; false when it was over already (or not the shop's). */
export function endBonusEventNow(db: PrismaClient, shop: string, id: string, now: Date): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const ended = await endBonusEvent(tx, shop, id, now);
    if (ended) await markProgramChanged(tx, shop);
    return ended;
  });
}

/** An event running or to come, as the storefront shows it: from `startsAt` to `endsAt`, by its own clock. */
export interface StorefrontBonusEvent {
  name: string;
  kind: BonusEvent["kind"];
  /** "2" for 2x (MULTIPLIER). */
  multiplier: string | null;
  /** Points per order (FIXED). */
  points: number | null;
  /** ISO instants: the first it applies to, and the first after it. */
  startsAt: string;
  endsAt: string;
  /** The collections it is limited to, by title; []: every order. */
  collections: string[];
}

/** The events not over at `now`, first to start first, at most BONUS_EVENT_LIMITS.storefront. */
export async function upcomingBonusEvents(
  db: PrismaClient,
  shop: string,
  now: Date,
): Promise<StorefrontBonusEvent[]> {
  const events = await notOverBonusEvents(db, shop, now, BONUS_EVENT_LIMITS.storefront);
  return events.map((event) => ({
    name: event.name,
    kind: event.kind,
    multiplier: event.kind === "MULTIPLIER" ? multiplierText(event.multiplierE4) : null,
    points: event.kind === "FIXED" ? event.fixedPoints : null,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    collections: collectionsOf(event.collections).map((collection) => collection.title),
  }));
}
