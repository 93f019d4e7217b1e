/**
 * Bonus events (docs/decisions/0022-bonus-events.md): the rows the admin
 * page writes, the crediting paths read (the events covering an order's
 * processed time), and the storefront and the dashboard read. Every query
 * is scoped by shop.
 */
import type { BonusEvent, BonusEventKind, Prisma } from "@prisma/client";
import type { BonusEventRule } from "../loyalty/bonus-events";
import type { Tx } from "./tx.server";

const RULE = {
  id: true,
  kind: true,
  multiplierE4: true,
  fixedPoints: true,
  startsAt: true,
  endsAt: true,
  collections: true,
} as const;

/** A collection an event is limited to, as stored (its title as it was when chosen). */
export interface EventCollection {
  id: string;
  title: string;
}

/** The collections column, read defensively (a JSON column): entries without an id are dropped. */
export function collectionsOf(value: Prisma.JsonValue): EventCollection[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const item = entry as { id?: unknown; title?: unknown } | null;
    return item && typeof item.id === "string"
      ? [{ id: item.id, title: typeof item.title === "string" ? item.title : item.id }]
      : [];
  });
}

type RuleRow = Prisma.BonusEventGetPayload<{ select: typeof RULE }>;

const ruleOf = ({ collections, ...row }: RuleRow): BonusEventRule => ({
  ...row,
  collectionGids: collectionsOf(collections).map((collection) => collection.id),
});

/** The events covering any instant from `from` to `to` (inclusive): what orders paid then may earn under. */
export async function bonusEventsCovering(
  tx: Tx,
  shop: string,
  from: Date,
  to: Date,
): Promise<BonusEventRule[]> {
  const rows = await tx.bonusEvent.findMany({
    where: { shop, startsAt: { lte: to }, endsAt: { gt: from } },
    select: RULE,
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
  });
  return rows.map(ruleOf);
}

/** Whether the shop has an event limited to collections (the crediting paths then look products up). */
export async function hasCollectionEvents(tx: Tx, shop: string): Promise<boolean> {
  const found = await tx.bonusEvent.findFirst({
    where: { shop, NOT: { collections: { equals: [] } } },
    select: { id: true },
  });
  return found !== null;
}

/** The shop's events, newest first, at most `limit`. */
export function listBonusEvents(tx: Tx, shop: string, limit = 200): Promise<BonusEvent[]> {
  return tx.bonusEvent.findMany({
    where: { shop },
    orderBy: [{ startsAt: "desc" }, { id: "desc" }],
    take: limit,
  });
}

export function findBonusEvent(tx: Tx, shop: string, id: string): Promise<BonusEvent | null> {
  return tx.bonusEvent.findFirst({ where: { shop, id } });
}

/** Events not over at `now` (running or to come), other than `exceptId`: the limit of events at once. */
export async function openBonusEvents(
  tx: Tx,
  shop: string,
  now: Date,
  exceptId?: string,
): Promise<BonusEventRule[]> {
  const rows = await tx.bonusEvent.findMany({
    where: { shop, endsAt: { gt: now }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: RULE,
  });
  return rows.map(ruleOf);
}

export interface BonusEventWrite {
  name: string;
  startsOn: string;
  endsOn: string;
  timeZone: string;
  startsAt: Date;
  endsAt: Date;
  kind: BonusEventKind;
  multiplierE4: number | null;
  fixedPoints: number | null;
  /** []: all orders. */
  collections: EventCollection[];
}

const toJson = (collections: EventCollection[]): Prisma.InputJsonValue =>
  collections.map(({ id, title }) => ({ id, title }));

export function createBonusEvent(tx: Tx, shop: string, data: BonusEventWrite): Promise<BonusEvent> {
  return tx.bonusEvent.create({ data: { shop, ...data, collections: toJson(data.collections) } });
}

/** Changes an event not over yet; false when it is over (or not the shop's): past events are read-only. */
export async function updateBonusEvent(
  tx: Tx,
  shop: string,
  id: string,
  data: BonusEventWrite,
  now: Date,
): Promise<boolean> {
  const changed = await tx.bonusEvent.updateMany({
    where: { shop, id, endsAt: { gt: now } },
    data: { ...data, collections: toJson(data.collections) },
  });
  return changed.count === 1;
}

/** Ends an event now (its last instant becomes `now`); false when it was already over. */
export async function endBonusEvent(tx: Tx, shop: string, id: string, now: Date): Promise<boolean> {
  const changed = await tx.bonusEvent.updateMany({
    where: { shop, id, endsAt: { gt: now } },
    data: { endsAt: now, endedEarlyAt: now },
  });
  return changed.count === 1;
}

/** Events not over at `now` (running or to come), first to start first, at most `limit`. */
export function notOverBonusEvents(tx: Tx, shop: string, now: Date, limit: number): Promise<BonusEvent[]> {
  return tx.bonusEvent.findMany({
    where: { shop, endsAt: { gt: now } },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: limit,
  });
}

/** Points bonus events added to orders awarded from `from` to `to` (net of what reversals took back). */
export async function bonusEventPoints(tx: Tx, shop: string, from: Date, to: Date): Promise<number> {
  const result = await tx.orderRecord.aggregate({
    where: { shop, bonusEventId: { not: null }, awardedAt: { gte: from, lt: to } },
    _sum: { eventPoints: true },
  });
  return result._sum.eventPoints ?? 0;
}
