/**
 * The member's state as customer metafields in the app-owned namespace
 * `$app:loyalty`, readable in the theme extension's Liquid as
 * `customer.metafields["$app:loyalty"].points.value`. One metafieldsSet call
 * (atomic, at most 25 metafields) writes them all.
 */
import type { MemberMetafieldsSetMutation } from "../types/admin.generated";
import { AdminApiError, type AdminGraphql, runQuery } from "./admin-client.server";

export const NAMESPACE = "$app:loyalty";

export const SET_MEMBER_METAFIELDS = `#graphql
  mutation MemberMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        key
        namespace
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

export interface MemberState {
  points: number;
  pending: number;
  /** Shopify refuses blank text metafields: always a tier name. */
  tier: string;
  nextTier: { name: string; remaining: string } | null;
  codes: { code: string; title: string; endsAt: string }[];
}

export function memberMetafields(customerGid: string, state: MemberState) {
  const field = (key: string, type: string, value: string) => ({ ownerId: customerGid, namespace: NAMESPACE, key, type, value });
  return [
    field("points", "number_integer", String(state.points)),
    field("pending_points", "number_integer", String(state.pending)),
    field("tier", "single_line_text_field", state.tier),
    field("tier_progress", "json", JSON.stringify(state.nextTier)),
    field("codes", "json", JSON.stringify(state.codes)),
  ];
}

export async function writeMemberMetafields(admin: AdminGraphql, customerGid: string, state: MemberState): Promise<void> {
  const result = await runQuery<MemberMetafieldsSetMutation>(admin, SET_MEMBER_METAFIELDS, {
    metafields: memberMetafields(customerGid, state),
  });
  const errors = result.metafieldsSet?.userErrors ?? [];
  if (errors.length > 0) throw new AdminApiError(`metafieldsSet: ${errors.map((e) => e.message).join("; ")}`, errors);
}
