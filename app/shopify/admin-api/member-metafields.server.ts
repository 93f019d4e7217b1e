/**
 * The member's state as customer metafields in the app-owned namespace
 * `$app:loyalty`, readable in the theme extension's Liquid as
 * `customer.metafields["$app:loyalty"].points.value`. One metafieldsSet call
 * (atomic, at most 25 metafields) writes them all.
 */
import type { CreateMemberMetafieldDefinitionMutation } from "../../types/admin.generated";
import { setMetafields } from "./metafields-set.server";
import { AdminApiError, type AdminGraphql, runQuery, throwOnUserErrors } from "./admin-client.server";

export const NAMESPACE = "$app:loyalty";

export interface MemberState {
  points: number;
  pending: number;
  /** Shopify refuses blank text metafields: always a tier name. */
  tier: string;
  /** remaining as text; amount the same in cents (money, for Liquid's money filter) or points. */
  nextTier: { name: string; remaining: string; amount: number; percent: number } | null;
  codes: { code: string; title: string; endsAt: string }[];
  /**
   * The last few balance changes, newest first (bounded: app/db/storefront-status.server.ts), with
   * the name of the order each came from ("#1001"; null when none, or not known yet). Entries
   * written before orderName was added have none: the theme reads both shapes.
   */
  history: { kind: string; points: number; at: string; orderName?: string | null }[];
  /** The member's referral link path (/apps/regulars/r/<code>) while referrals are on. */
  referralPath?: string | null;
  /** Their store credit in the shop's currency (cents, for Liquid's money filter); null: not shown. */
  storeCredit?: { cents: number; currencyCode: string } | null;
}

export function memberMetafields(customerGid: string, state: MemberState) {
  const field = (key: string, type: string, value: string) => ({
    ownerId: customerGid,
    namespace: NAMESPACE,
    key,
    type,
    value,
  });
  return [
    field("points", "number_integer", String(state.points)),
    field("pending_points", "number_integer", String(state.pending)),
    field("tier", "single_line_text_field", state.tier),
    field("tier_progress", "json", JSON.stringify(state.nextTier)),
    field("codes", "json", JSON.stringify(state.codes)),
    field("history", "json", JSON.stringify(state.history)),
    // For emails: "{{ shop.url }}{{ customer.metafields['$app:loyalty'].referral_link }}". Written only
    // while referrals are on (Shopify refuses a blank text metafield).
    ...(state.referralPath ? [field("referral_link", "single_line_text_field", state.referralPath)] : []),
    // { cents, currencyCode }, or both null while the shop does not let Regulars read store credit
    // (docs/decisions/0025): the theme shows the balance when cents is above zero.
    field("store_credit", "json", JSON.stringify(state.storeCredit ?? { cents: null, currencyCode: null })),
  ];
}

export async function writeMemberMetafields(
  admin: AdminGraphql,
  customerGid: string,
  state: MemberState,
): Promise<void> {
  await setMetafields(admin, memberMetafields(customerGid, state), "member");
}

const CREATE_MEMBER_METAFIELD_DEFINITION = `#graphql
  mutation CreateMemberMetafieldDefinition($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

/** The definitions of the member metafields: typed, and readable by the storefront (Liquid). */
const MEMBER_METAFIELD_DEFINITIONS = [
  { key: "points", name: "Loyalty points", type: "number_integer" },
  { key: "pending_points", name: "Pending loyalty points", type: "number_integer" },
  { key: "tier", name: "Loyalty tier", type: "single_line_text_field" },
  { key: "tier_progress", name: "Progress to the next loyalty tier", type: "json" },
  { key: "codes", name: "Active loyalty reward codes", type: "json" },
  { key: "history", name: "Recent loyalty points history", type: "json" },
  { key: "referral_link", name: "Loyalty referral link path", type: "single_line_text_field" },
  { key: "store_credit", name: "Store credit balance shown with loyalty", type: "json" },
].map((definition) => ({
  ...definition,
  namespace: NAMESPACE,
  ownerType: "CUSTOMER",
  access: { storefront: "PUBLIC_READ" },
}));

/** Creates the definitions; one that already exists (TAKEN, on a reinstall) is fine. */
export async function ensureMemberMetafieldDefinitions(admin: AdminGraphql): Promise<number> {
  let created = 0;
  for (const definition of MEMBER_METAFIELD_DEFINITIONS) {
    const result = await runQuery<CreateMemberMetafieldDefinitionMutation>(
      admin,
      CREATE_MEMBER_METAFIELD_DEFINITION,
      {
        definition,
      },
    );
    if (!result.metafieldDefinitionCreate)
      throw new AdminApiError("metafieldDefinitionCreate returned nothing");
    throwOnUserErrors(
      `metafieldDefinitionCreate ${definition.key}`,
      result.metafieldDefinitionCreate.userErrors.filter((e) => e.code !== "TAKEN"),
    );
    if (result.metafieldDefinitionCreate.createdDefinition) created++;
  }
  return created;
}
