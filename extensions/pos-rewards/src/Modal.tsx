/** @jsxImportSource preact */
/**
 * The modal the tile opens (pos.home.modal.render,
 * https://shopify.dev/docs/api/pos-ui-extensions/latest/targets/home-screen/pos-home-modal-render):
 * the cart customer's rewards, redeemed for them and added to the cart.
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import type { Api } from "@shopify/ui-extensions/pos.home.modal.render";
import { StaffRewards } from "./staff-rewards";

export default async () => {
  render(<Modal api={shopify} />, document.body);
};

function Modal({ api }: { api: Pick<Api, "i18n" | "session" | "cart" | "toast"> }) {
  const customerId = api.cart.current.value.customer?.id;
  return (
    <s-page heading={api.i18n.translate("tile.heading")}>
      <s-scroll-box>
        {customerId ? (
          <StaffRewards api={api} customerId={customerId} />
        ) : (
          <s-text>{api.i18n.translate("tile.no_customer")}</s-text>
        )}
      </s-scroll-box>
    </s-page>
  );
}
