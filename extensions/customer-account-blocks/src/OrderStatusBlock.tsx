/** @jsxImportSource preact */
/**
 * On an order's status page (customer-account.order-status.block.render,
 * https://shopify.dev/docs/api/customer-account-ui-extensions/latest/targets/order-status/customer-account-order-status-block-render):
 * the points this order earned or will earn (pending until the return window ends), and what a
 * refund took back. The order is `shopify.order` (its id and name,
 * https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/order-apis/order-api).
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/customer-account.order-status.block.render";
import {
  regularsClient,
  type Answer,
  type OrderPoints,
  type RegularsClient,
} from "../../shared/regulars-client";

export default async () => {
  render(
    <OrderStatusBlock api={shopify} client={regularsClient("customer-account", shopify.sessionToken)} />,
    document.body,
  );
};

function OrderStatusBlock({ api, client }: { api: Pick<Api, "i18n" | "order">; client: RegularsClient }) {
  const { i18n } = api;
  const orderId = api.order.value?.id ?? null;
  const [answer, setAnswer] = useState<Answer<{ order: OrderPoints }> | null>(null);
  useEffect(() => {
    if (orderId) void client.order(orderId).then(setAnswer);
  }, [client, orderId]);

  if (!orderId) return null;
  const heading = i18n.translate("order.heading");
  if (answer === null) {
    return (
      <s-section heading={heading}>
        <s-spinner accessibilityLabel={i18n.translate("loading")} />
      </s-section>
    );
  }
  if (!answer.ok) {
    return (
      <s-section heading={heading}>
        <s-text tone="critical">{i18n.translate(`errors.${answer.error}`)}</s-text>
      </s-section>
    );
  }
  const { order } = answer.data;
  const points = (key: string, value: number) =>
    i18n.translate(key, { count: value, points: i18n.formatNumber(value) });
  const lines: string[] = [];
  if (order.state === "not_yet_received") lines.push(i18n.translate("order.not_yet"));
  else if (order.state === "none" && order.reversedPoints === 0) lines.push(i18n.translate("order.none"));
  if (order.points > 0) lines.push(points("order.earned", order.points));
  if (order.pendingPoints > 0) {
    lines.push(
      order.pendingUntil
        ? i18n.translate("order.pending_until", {
            count: order.pendingPoints,
            points: i18n.formatNumber(order.pendingPoints),
            date: i18n.formatDate(new Date(order.pendingUntil), { dateStyle: "medium" }),
          })
        : points("order.pending", order.pendingPoints),
    );
  }
  if (order.reversedPoints > 0) lines.push(points("order.reversed", order.reversedPoints));
  return (
    <s-section heading={heading}>
      <s-stack gap="small-200">
        {lines.map((line) => (
          <s-text key={line}>{line}</s-text>
        ))}
      </s-stack>
    </s-section>
  );
}
