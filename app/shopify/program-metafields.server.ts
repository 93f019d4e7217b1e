/**
 * The program's facts the storefront needs without a request (earn rate,
 * tiers, rewards) as an app-data metafield on the app installation: the theme
 * extension reads it as `app.metafields.loyalty.program.value`.
 */
import type { AppInstallationIdQuery } from "../types/admin.generated";
import { type AdminGraphql, runQuery } from "./admin-client.server";
import { setMetafields } from "./metafields-set.server";

export const PROGRAM_NAMESPACE = "loyalty";
export const PROGRAM_KEY = "program";

export const APP_INSTALLATION_ID = `#graphql
  query AppInstallationId {
    currentAppInstallation {
      id
    }
  }
`;

export async function writeProgramMetafield(admin: AdminGraphql, facts: unknown): Promise<void> {
  const { currentAppInstallation } = await runQuery<AppInstallationIdQuery>(admin, APP_INSTALLATION_ID);
  await setMetafields(
    admin,
    [
      {
        ownerId: currentAppInstallation.id,
        namespace: PROGRAM_NAMESPACE,
        key: PROGRAM_KEY,
        type: "json",
        value: JSON.stringify(facts),
      },
    ],
    "program",
  );
}
