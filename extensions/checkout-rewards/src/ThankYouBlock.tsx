/** @jsxImportSource preact */
/**
 * On the thank-you page (purchase.thank-you.block.render, every plan:
 * https://shopify.dev/docs/api/checkout-ui-extensions/latest/targets/block/purchase-thank-you-block-render):
 * "you'll earn N points for this order" from the checkout's subtotal
 * (`shopify.cost.subtotalAmount`: https://shopify.dev/docs/api/checkout-ui-extensions/latest/apis/cost),
 * the balance they bring a member, and for a guest an invitation to create an account to keep them.
 * An estimate until the order's webhook arrives (the app's /surfaces/checkout/estimate). The
 * request names the order (`shopify.orderConfirmation`'s order.id, the order's GID:
 * https://shopify.dev/docs/api/checkout-ui-extensions/latest/apis/order-confirmation; typed by
 * @shopify/ui-extensions' OrderConfirmationApi), so that if its webhook came first the app
 * answers what it credited instead of adding the points to the balance again.
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/purchase.thank-you.block.render";
import {
  regularsClient,
  type Answer,
  type Estimate,
  type RegularsClient,
} from "../../shared/regulars-client";

export default async () => {
  render(
    <ThankYouBlock api={shopify} client={regularsClient("checkout", shopify.sessionToken)} />,
    document.body,
  );
};

function ThankYouBlock({
  api,
  client,
}: {
  api: Pick<Api, "i18n" | "cost" | "buyerIdentity" | "shop" | "orderConfirmation">;
  client: RegularsClient;
}) {
  const { i18n } = api;
  const subtotal = api.cost.subtotalAmount.value;
  const orderId = api.orderConfirmation.value.order.id;
  const [answer, setAnswer] = useState<Answer<Estimate> | null>(null);
  useEffect(() => {
    // The backend takes a decimal string; three places keep every currency's minor units.
    void client
      .estimate({ amount: subtotal.amount.toFixed(3), currencyCode: subtotal.currencyCode }, orderId)
      .then(setAnswer);
  }, [client, subtotal.amount, subtotal.currencyCode, orderId]);

  if (answer === null) return <s-spinner accessibilityLabel={i18n.translate("loading")} />;
  if (!answer.ok) return <s-text tone="critical">{i18n.translate(`errors.${answer.error}`)}</s-text>;
  const estimate = answer.data;
  // Paused, another currency than the shop's, or nothing to earn: nothing to say.
  if (!estimate.active || estimate.points === null || estimate.points === 0) return null;
  const points = (key: string, value: number) =>
    i18n.translate(key, { count: value, points: i18n.formatNumber(value) });
  const signedIn = Boolean(api.buyerIdentity?.customer.value);
  return (
    <s-banner
      tone="success"
      heading={points(
        // Already credited (its webhook came first): earned, not "you'll earn".
        estimate.order?.state === "earned" ? "thank_you.earned" : "thank_you.earn",
        estimate.points,
      )}
    >
      {estimate.balanceAfter !== null ? (
        <s-paragraph>{points("thank_you.balance", estimate.balanceAfter)}</s-paragraph>
      ) : signedIn ? null : (
        <s-stack gap="small-200">
          <s-paragraph>{i18n.translate("thank_you.guest")}</s-paragraph>
          {api.shop.storefrontUrl ? (
            <s-link href={`${api.shop.storefrontUrl.replace(/\/$/, "")}/account`}>
              {i18n.translate("thank_you.create_account")}
            </s-link>
          ) : null}
        </s-stack>
      )}
    </s-banner>
  );
}
