/**
 * The member's tier as a customer tag (prefix + tier name, e.g. "Regulars
 * Gold"), for segments, Flow and email tools. tagsAdd and tagsRemove are
 * idempotent in Shopify: adding a tag the customer has, or removing one they
 * lack, changes nothing.
 */
import type { CustomerTagsAddMutation, CustomerTagsRemoveMutation } from "../../types/admin.generated";
import { type AdminGraphql, runQuery, throwOnUserErrors } from "./admin-client.server";

const ADD_CUSTOMER_TAGS = `#graphql
  mutation CustomerTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

const REMOVE_CUSTOMER_TAGS = `#graphql
  mutation CustomerTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** The tag for a tier, or null when the member has no tier. */
export function tierTag(prefix: string, tierName: string | null): string | null {
  return tierName ? `${prefix}${tierName}`.trim().slice(0, 255) : null;
}

/** Adds tags to a customer (a win-back campaign's tag); adding a tag they have changes nothing. */
export async function addCustomerTags(
  admin: AdminGraphql,
  customerGid: string,
  tags: string[],
): Promise<void> {
  const added = await runQuery<CustomerTagsAddMutation>(admin, ADD_CUSTOMER_TAGS, { id: customerGid, tags });
  throwOnUserErrors("tagsAdd", added.tagsAdd?.userErrors);
}

/** Moves the customer from the `previous` tier tag to `next` (either may be null). */
export async function replaceTierTag(
  admin: AdminGraphql,
  customerGid: string,
  previous: string | null,
  next: string | null,
): Promise<void> {
  if (next) await addCustomerTags(admin, customerGid, [next]);
  if (previous && previous !== next) {
    const removed = await runQuery<CustomerTagsRemoveMutation>(admin, REMOVE_CUSTOMER_TAGS, {
      id: customerGid,
      tags: [previous],
    });
    throwOnUserErrors("tagsRemove", removed.tagsRemove?.userErrors);
  }
}
