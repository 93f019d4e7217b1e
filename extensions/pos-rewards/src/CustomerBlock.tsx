/** @jsxImportSource preact */
/**
 * On the customer details screen (pos.customer-details.block.render,
 * https://shopify.dev/docs/api/pos-ui-extensions/latest/targets/customer-details/pos-customer-details-block-render):
 * that customer's balance, tier and rewards (`shopify.customer.id`).
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import type { Api } from "@shopify/ui-extensions/pos.customer-details.block.render";
import { StaffRewards } from "./staff-rewards";

export default async () => {
  render(
    <s-pos-block heading={shopify.i18n.translate("tile.heading")}>
      <StaffRewards
        api={shopify as Pick<Api, "i18n" | "session" | "cart" | "toast">}
        customerId={shopify.customer.id}
      />
    </s-pos-block>,
    document.body,
  );
};
