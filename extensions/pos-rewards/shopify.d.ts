// The `shopify` global each target's module sees, typed for its target: the declaration Shopify
// CLI writes for a TypeScript extension (https://shopify.dev/docs/api/pos-ui-extensions/latest).
import "@shopify/ui-extensions";
import type { Api as TileApi } from "@shopify/ui-extensions/pos.home.tile.render";
import type { Api as ModalApi } from "@shopify/ui-extensions/pos.home.modal.render";
import type { Api as CustomerBlockApi } from "@shopify/ui-extensions/pos.customer-details.block.render";

//@ts-expect-error: the module augments a TSX entry, which TypeScript resolves
declare module "./src/Tile.tsx" {
  const shopify: TileApi;
  const globalThis: { shopify: typeof shopify };
}

//@ts-expect-error: the module augments a TSX entry, which TypeScript resolves
declare module "./src/Modal.tsx" {
  const shopify: ModalApi;
  const globalThis: { shopify: typeof shopify };
}

//@ts-expect-error: the module augments a TSX entry, which TypeScript resolves
declare module "./src/CustomerBlock.tsx" {
  const shopify: CustomerBlockApi;
  const globalThis: { shopify: typeof shopify };
}
