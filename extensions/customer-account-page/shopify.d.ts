// The `shopify` global each target's module sees, typed for its target: the declaration Shopify
// CLI writes for a TypeScript extension (https://shopify.dev/docs/api/customer-account-ui-extensions/latest#getting-started).
import "@shopify/ui-extensions";
import type { Api as PageApi } from "@shopify/ui-extensions/customer-account.page.render";

//@ts-expect-error: the module augments a TSX entry, which TypeScript resolves
declare module "./src/RewardsPage.tsx" {
  const shopify: PageApi;
  const globalThis: { shopify: typeof shopify };
}
