/**
 * The program's facts the storefront needs without a request (earn rate,
 * tiers, rewards) as an app-data metafield on the app installation: the theme
 * extension reads it as `app.metafields.loyalty.program.value`.
 */
import type { AppInstallationIdQuery, ProgramMetafieldSetMutation } from "../types/admin.generated";
import { AdminApiError, type AdminGraphql, runQuery } from "./admin-client.server";

export const PROGRAM_NAMESPACE = "loyalty";
export const PROGRAM_KEY = "program";

export const APP_INSTALLATION_ID = `#graphql
  query AppInstallationId {
    currentAppInstallation {
      id
    }
  }
`;

export const SET_PROGRAM_METAFIELD = `#graphql
  mutation ProgramMetafieldSet($metafields: [MetafieldsSetInput!]!) {
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

export async function writeProgramMetafield(admin: AdminGraphql, facts: unknown): Promise<void> {
  const { currentAppInstallation } = await runQuery<AppInstallationIdQuery>(admin, APP_INSTALLATION_ID);
  const result = await runQuery<ProgramMetafieldSetMutation>(admin, SET_PROGRAM_METAFIELD, {
    metafields: [
      {
        ownerId: currentAppInstallation.id,
        namespace: PROGRAM_NAMESPACE,
        key: PROGRAM_KEY,
        type: "json",
        value: JSON.stringify(facts),
      },
    ],
  });
  const errors = result.metafieldsSet?.userErrors ?? [];
  if (errors.length > 0) {
    throw new AdminApiError(`metafieldsSet program: ${errors.map((error) => error.message).join("; ")}`, errors);
  }
}
