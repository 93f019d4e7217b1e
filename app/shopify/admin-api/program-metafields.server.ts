/**
 * The program's facts the storefront needs without a request (earn rate,
 * tiers, rewards, where the app proxy is) as app-data metafields on the app
 * installation, which only this app can write and the theme extension reads
 * as `app.metafields.loyalty.*`: "use the currentAppInstallation query to
 * retrieve the ID ... use the metafieldsSet mutation and set the ownerId to
 * the app installation ID" (https://shopify.dev/docs/apps/custom-data/metafields/app-data,
 * https://shopify.dev/docs/apps/build/custom-data/ownership#app-data-metafields).
 *
 * - `loyalty.program` (json): the facts, read as `.value` in Liquid.
 * - `loyalty.active` (boolean): whether the program runs. Blocks that exist
 *   only while it runs name it in their schema's `available_if`, which takes a
 *   boolean app-owned metafield: the block is on the storefront only while it
 *   is true (https://shopify.dev/changelog/theme-app-extensions-now-support-conditional-app-blocks,
 *   https://shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration#conditional-app-blocks,
 *   https://github.com/Shopify/theme-extension-getting-started/pull/12).
 *   A boolean's value is "true" or "false"
 *   (https://shopify.dev/docs/apps/build/custom-data/metafields/list-of-data-types).
 *
 * Both are written in one metafieldsSet, so they never disagree.
 */
import type { AppInstallationIdQuery } from "../../types/admin.generated";
import { type AdminGraphql, runQuery } from "./admin-client.server";
import { type MetafieldInput, setMetafields } from "./metafields-set.server";

const PROGRAM_NAMESPACE = "loyalty";
const PROGRAM_KEY = "program";
const PROGRAM_ACTIVE_KEY = "active";

const APP_INSTALLATION_ID = `#graphql
  query AppInstallationId {
    currentAppInstallation {
      id
    }
  }
`;

/** The storefront's facts about the program (programExplainer's `explainer`). */
export type ProgramFacts = { active: boolean; [fact: string]: unknown };

/** What Shopify keeps of the program, on the app installation `ownerId`. */
export function programMetafields(ownerId: string, facts: ProgramFacts): MetafieldInput[] {
  return [
    { ownerId, namespace: PROGRAM_NAMESPACE, key: PROGRAM_KEY, type: "json", value: JSON.stringify(facts) },
    {
      ownerId,
      namespace: PROGRAM_NAMESPACE,
      key: PROGRAM_ACTIVE_KEY,
      type: "boolean",
      value: facts.active ? "true" : "false",
    },
  ];
}

export async function writeProgramMetafield(admin: AdminGraphql, facts: ProgramFacts): Promise<void> {
  const { currentAppInstallation } = await runQuery<AppInstallationIdQuery>(admin, APP_INSTALLATION_ID);
  await setMetafields(admin, programMetafields(currentAppInstallation.id, facts), "program");
}
