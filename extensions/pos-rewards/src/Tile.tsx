/** @jsxImportSource preact */
/**
 * The smart grid tile (pos.home.tile.render,
 * https://shopify.dev/docs/api/pos-ui-extensions/latest/targets/home-screen/pos-home-tile-render):
 * the cart customer's balance; tapping it opens the modal (`shopify.action.presentModal()`).
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/pos.home.tile.render";
import { posClient } from "./staff-rewards";

export default async () => {
  render(<Tile api={shopify} />, document.body);
};

function Tile({ api }: { api: Pick<Api, "i18n" | "session" | "cart" | "action"> }) {
  const { i18n } = api;
  const [customerId, setCustomerId] = useState(api.cart.current.value.customer?.id ?? null);
  const [subheading, setSubheading] = useState<string>(i18n.translate("tile.no_customer"));
  useEffect(() => api.cart.current.subscribe((cart) => setCustomerId(cart.customer?.id ?? null)), [api]);
  useEffect(() => {
    if (customerId === null) {
      setSubheading(i18n.translate("tile.no_customer"));
      return;
    }
    void posClient(api, customerId)
      .status()
      .then((answer) =>
        setSubheading(
          answer.ok && answer.data.loggedIn
            ? i18n.translate("points", {
                count: answer.data.points,
                points: i18n.formatNumber(answer.data.points),
              })
            : answer.ok
              ? i18n.translate("not_a_member")
              : i18n.translate(`errors.${answer.error}`),
        ),
      );
  }, [api, customerId, i18n]);
  return (
    <s-tile
      heading={i18n.translate("tile.heading")}
      subheading={subheading}
      disabled={customerId === null}
      onClick={() => api.action.presentModal()}
    />
  );
}
