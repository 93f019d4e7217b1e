// The `shopify` global each target's module sees, typed for its target: the declaration Shopify
// CLI writes for a TypeScript extension (https://shopify.dev/docs/api/customer-account-ui-extensions/latest#getting-started).
import "@shopify/ui-extensions";
import type { Api as ProfileApi } from "@shopify/ui-extensions/customer-account.profile.block.render";
import type { Api as OrderStatusApi } from "@shopify/ui-extensions/customer-account.order-status.block.render";

//@ts-expect-error: the module augments a TSX entry, which TypeScript resolves
declare module "./src/ProfileBlock.tsx" {
  const shopify: ProfileApi;
  const globalThis: { shopify: typeof shopify };
}

//@ts-expect-error: the module augments a TSX entry, which TypeScript resolves
declare module "./src/OrderStatusBlock.tsx" {
  const shopify: OrderStatusApi;
  const globalThis: { shopify: typeof shopify };
}
