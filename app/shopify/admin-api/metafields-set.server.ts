/**
 * metafieldsSet: writes up to 25 metafields atomically (on customers, the app
 * installation, any owner). Used for the members' `$app:loyalty` fields and
 * the program's facts.
 */
import type { MetafieldsSetMutation } from "../../types/admin.generated";
import { type AdminGraphql, runQuery, throwOnUserErrors } from "./admin-client.server";

const SET_METAFIELDS = `#graphql
  mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
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

export interface MetafieldInput {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** Throws AdminApiError with Shopify's userErrors when it refuses. `what` names the write in the error. */
export async function setMetafields(
  admin: AdminGraphql,
  metafields: MetafieldInput[],
  what: string,
): Promise<void> {
  const result = await runQuery<MetafieldsSetMutation>(admin, SET_METAFIELDS, { metafields });
  throwOnUserErrors(`metafieldsSet ${what}`, result.metafieldsSet?.userErrors);
}
