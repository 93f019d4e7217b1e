// The `shopify` global each target's module sees, typed for its target: the declaration Shopify
// CLI writes for a TypeScript extension (https://shopify.dev/docs/api/checkout-ui-extensions/latest#getting-started).
import "@shopify/ui-extensions";
import type { Api as ThankYouApi } from "@shopify/ui-extensions/purchase.thank-you.block.render";
import type { Api as ReductionsApi } from "@shopify/ui-extensions/purchase.checkout.reductions.render-after";

//@ts-expect-error: the module augments a TSX entry, which TypeScript resolves
declare module "./src/ThankYouBlock.tsx" {
  const shopify: ThankYouApi;
  const globalThis: { shopify: typeof shopify };
}

//@ts-expect-error: the module augments a TSX entry, which TypeScript resolves
declare module "./src/CheckoutRewards.tsx" {
  const shopify: ReductionsApi;
  const globalThis: { shopify: typeof shopify };
}
