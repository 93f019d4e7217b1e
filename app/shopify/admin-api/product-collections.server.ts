/**
 * Which of an order's products are in a collection, for bonus events limited
 * to chosen collections (docs/decisions/0022-bonus-events.md): the order
 * webhook's lines carry `product_id` but no collections, so the products are
 * asked for, all in one call, with `nodes(ids:)` ("Returns the list of nodes
 * ... with the given IDs", https://shopify.dev/docs/api/admin-graphql/2026-10/queries/nodes)
 * and `Product.inCollection(id:)` ("Whether the product is in a specified
 * collection", https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Product#field-Product.fields.inCollection).
 * A product deleted since the order is a null node: not in the collection.
 * Throttling and network failures throw (runQuery's AdminThrottledError /
 * AdminTransientError), so the caller's delivery fails and is retried; the
 * answer is never guessed.
 */
import type {
  CollectionChoicesQuery,
  CollectionsByIdQuery,
  ProductsInCollectionQuery,
} from "../../types/admin.generated";
import { AdminApiError, type AdminGraphql, runQuery } from "./admin-client.server";

const PRODUCTS_IN_COLLECTION_QUERY = `#graphql
  query ProductsInCollection($ids: [ID!]!, $collection: ID!) {
    nodes(ids: $ids) {
      ... on Product {
        id
        inCollection(id: $collection)
      }
    }
  }
`;

/**
 * Ids a `nodes` call takes at most: "Input arguments that accept an array have a maximum size of
 * 250 for all APIs" (https://shopify.dev/docs/api/usage/limits#input-limits).
 */
const NODES_PER_CALL = 250;

/** Of `productGids`, those in the collection `collectionGid`. */
export async function productsInCollection(
  admin: AdminGraphql,
  productGids: readonly string[],
  collectionGid: string,
): Promise<Set<string>> {
  const ids = [...new Set(productGids)];
  const inside = new Set<string>();
  for (let start = 0; start < ids.length; start += NODES_PER_CALL) {
    const data = await runQuery<ProductsInCollectionQuery>(admin, PRODUCTS_IN_COLLECTION_QUERY, {
      ids: ids.slice(start, start + NODES_PER_CALL),
      collection: collectionGid,
    });
    if (!data.nodes) throw new AdminApiError("ProductsInCollection returned no nodes");
    for (const node of data.nodes) {
      if (node && "inCollection" in node && node.inCollection) inside.add(node.id);
    }
  }
  return inside;
}

/** A collection a bonus event can be limited to. */
export interface CollectionChoice {
  id: string;
  title: string;
}

/**
 * Collections offered on the Bonus events page: the first `limit` by title
 * (`collections(sortKey: TITLE)`, https://shopify.dev/docs/api/admin-graphql/2026-10/queries/collections).
 * Reading collections needs `read_products` (an optional scope, asked for on the page).
 */
const COLLECTION_CHOICES_QUERY = `#graphql
  query CollectionChoices($first: Int!) {
    collections(first: $first, sortKey: TITLE) {
      nodes {
        id
        title
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`;

/** Collections the page lists at most (one page of the connection; "first" takes at most 250). */
const COLLECTION_CHOICES_MAX = 250;

export async function collectionChoices(
  admin: AdminGraphql,
): Promise<{ collections: CollectionChoice[]; more: boolean }> {
  const data = await runQuery<CollectionChoicesQuery>(admin, COLLECTION_CHOICES_QUERY, {
    first: COLLECTION_CHOICES_MAX,
  });
  return {
    collections: data.collections.nodes.map(({ id, title }) => ({ id, title })),
    more: data.collections.pageInfo.hasNextPage,
  };
}

/** The chosen collections, by id: the merchant's choice is checked with Shopify (a collection deleted since is missing). */
const COLLECTIONS_BY_ID_QUERY = `#graphql
  query CollectionsById($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Collection {
        id
        title
      }
    }
  }
`;

/** Of `collectionGids` (at most 250), those the shop has, with their titles, in the order asked. */
export async function collectionsById(
  admin: AdminGraphql,
  collectionGids: readonly string[],
): Promise<CollectionChoice[]> {
  if (collectionGids.length === 0) return [];
  const data = await runQuery<CollectionsByIdQuery>(admin, COLLECTIONS_BY_ID_QUERY, {
    ids: collectionGids.slice(0, NODES_PER_CALL),
  });
  return data.nodes.flatMap((node) =>
    node && "title" in node && typeof node.title === "string" ? [{ id: node.id, title: node.title }] : [],
  );
}
