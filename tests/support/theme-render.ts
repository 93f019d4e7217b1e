/** The theme app extension rendered the way a storefront would: the simulator's renderer. */
import type { AppMetafields } from "../../devshop/theme-render";
import type { adminStandIn } from "./admin-stand-in";

export * from "../../devshop/theme-render";

/** The app-data metafields the app wrote to a shop's stand-in: what Liquid's `app.metafields` holds. */
export function appMetafieldsOf(shopify: ReturnType<typeof adminStandIn>): AppMetafields {
  const app: AppMetafields = {};
  for (const [id, field] of shopify.metafields) {
    const [owner, namespace, key] = id.split("|") as [string, string, string];
    if (owner !== shopify.installationId) continue;
    (app[namespace] ??= {})[key] = { type: field.type, value: field.value };
  }
  return app;
}
