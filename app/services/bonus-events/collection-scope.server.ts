/**
 * Events limited to collections (docs/decisions/0022-bonus-events.md): before
 * an order is first credited, which of its products are in the collections of
 * the events covering its processed time. Asked of Shopify
 * (productsInCollection) outside the crediting transaction, which then
 * decides with the answer (app/loyalty/bonus-events.ts chooseEvent). A call
 * that fails throws: the delivery or the backfill step is retried and nothing
 * is credited meanwhile, so a bonus is never lost to a failed call and never
 * guessed.
 */
import { bonusEventsCovering } from "../../db/bonus-events.server";
import type { Tx } from "../../db/tx.server";
import {
  collectionsToLookUp,
  type BonusEventRule,
  type LineAmount,
  type OrderScope,
} from "../../loyalty/bonus-events";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { productsInCollection } from "../../shopify/admin-api/product-collections.server";

/** An event limited to collections covers an order and no Admin API client was given to look it up. */
class CollectionLookupUnavailable extends Error {
  constructor(shop: string) {
    super(
      `an order of ${shop} falls in a bonus event limited to collections, and no Admin API ` +
        "client was given to look up its products: try again",
    );
    this.name = "CollectionLookupUnavailable";
  }
}

/** An order about to be credited, as far as its collection lookup goes. */
export interface OrderToScope {
  orderGid: string;
  paidAt: Date;
  lines: readonly LineAmount[];
}

/**
 * The scope of each order that a collection event among `events` covers
 * (orders no such event covers need none): its lines, and its products looked
 * up in each collection of those events, one call per collection for up to
 * 250 products of all the orders together.
 */
export async function lookUpOrderScopes(
  admin: AdminGraphql | null,
  shop: string,
  events: readonly BonusEventRule[],
  orders: readonly OrderToScope[],
): Promise<Map<string, OrderScope>> {
  const scopes = new Map<string, OrderScope>();
  const productsByCollection = new Map<string, Set<string>>();
  const needing: { order: OrderToScope; collections: string[] }[] = [];
  for (const order of orders) {
    const collections = collectionsToLookUp(events, order.paidAt);
    if (collections.length === 0) continue;
    needing.push({ order, collections });
    for (const collection of collections) {
      const products = productsByCollection.get(collection) ?? new Set<string>();
      for (const line of order.lines) if (line.productGid) products.add(line.productGid);
      productsByCollection.set(collection, products);
    }
  }
  if (needing.length === 0) return scopes;
  if (!admin) throw new CollectionLookupUnavailable(shop);
  const inside = new Map<string, Set<string>>();
  for (const [collection, products] of productsByCollection) {
    inside.set(
      collection,
      products.size ? await productsInCollection(admin, [...products], collection) : new Set(),
    );
  }
  for (const { order, collections } of needing) {
    const asked = new Set(order.lines.flatMap((line) => (line.productGid ? [line.productGid] : [])));
    scopes.set(order.orderGid, {
      lines: order.lines,
      asked,
      inCollection: new Map(collections.map((collection) => [collection, inside.get(collection)!])),
    });
  }
  return scopes;
}

/**
 * The scope of one order an event is about to credit, or undefined when it
 * needs none: it is awarded already, not paid yet, or no collection event
 * covers its processed time. `snapshot` is what the event brings (its
 * processed time counts only for a paid or backfill event).
 */
export async function lookUpOrderScope(
  tx: Tx,
  admin: AdminGraphql | null,
  shop: string,
  record: { paidAt: Date | null; awardedAt: Date | null; lines: readonly LineAmount[] | null } | null,
  snapshot: { paidAt: Date | null; lines: readonly LineAmount[] | null; newer: boolean } | null,
  orderGid: string,
): Promise<OrderScope | undefined> {
  if (record?.awardedAt) return undefined;
  const paidAt = record?.paidAt ?? snapshot?.paidAt ?? null;
  if (!paidAt) return undefined;
  const events = await bonusEventsCovering(tx, shop, paidAt, paidAt);
  if (!events.some((event) => event.collectionGids.length > 0)) return undefined;
  const lines = (snapshot?.newer ? snapshot.lines : null) ?? record?.lines ?? snapshot?.lines ?? [];
  return (await lookUpOrderScopes(admin, shop, events, [{ orderGid, paidAt, lines }])).get(orderGid);
}
