/**
 * Webhook bodies: the REST Admin resources (API 2026-10), with the fields
 * and shapes of Shopify's own fixtures (tests/fixtures/shopify). Money is in
 * the shop currency for both shop_money and presentment_money (the simulated
 * buyers pay in the shop currency).
 */
import {
  currentTotals,
  lineNet,
  lineTax,
  money,
  originalTotals,
  refundMoney,
  shippingCharged,
  shippingTaxOn,
} from "./order-math";
import { contactOf } from "./protected-data";
import type { Customer, Order, Refund, ShopState } from "./state";

const moneySet = (cents: number, currency: string) => ({
  shop_money: { amount: money(cents), currency_code: currency },
  presentment_money: { amount: money(cents), currency_code: currency },
});

export function customerPayload(shop: ShopState, customer: Customer) {
  const orders = Object.values(shop.orders).filter((order) => order.customerId === customer.id);
  const spent = orders.reduce((sum, order) => sum + currentTotals(order).total, 0);
  const last = orders.sort((a, b) => a.processedAt.localeCompare(b.processedAt)).at(-1);
  // Null without protected customer data level 2 (protected-data.ts).
  const contact = contactOf(shop, customer);
  return {
    id: Number(customer.id),
    email: contact.email,
    created_at: customer.createdAt,
    updated_at: customer.updatedAt,
    first_name: contact.firstName,
    last_name: contact.lastName,
    orders_count: orders.length,
    state: customer.state,
    total_spent: money(spent),
    last_order_id: last ? Number(last.id) : null,
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    phone: contact.phone,
    tags: customer.tags.join(", "),
    currency: shop.currencyCode,
    // As in Shopify's REST Customer resource (tests/fixtures/shopify/customers-update.json).
    email_marketing_consent: contact.email
      ? {
          state: customer.emailMarketingConsent ?? "not_subscribed",
          opt_in_level: "single_opt_in",
          consent_updated_at:
            customer.emailMarketingConsentAt ??
            (customer.emailMarketingConsent === "subscribed" ? customer.createdAt : null),
        }
      : null,
    ...(customer.locale ? { locale: customer.locale } : {}),
    admin_graphql_api_id: `gid://shopify/Customer/${customer.id}`,
  };
}

/** The order's shipping line as Shopify shows it: price before discounts, its discount and tax lines. */
function shippingLinePayload(order: Order, c: string) {
  const discount = order.shippingDiscount ?? 0;
  const tax = shippingTaxOn(order, shippingCharged(order));
  return {
    id: Number(order.id) + 3,
    title: "Standard",
    code: "Standard",
    source: "shopify",
    price: money(order.shipping),
    price_set: moneySet(order.shipping, c),
    discounted_price: money(shippingCharged(order)),
    discounted_price_set: moneySet(shippingCharged(order), c),
    is_removed: false,
    discount_allocations: discount
      ? [{ amount: money(discount), amount_set: moneySet(discount, c), discount_application_index: 0 }]
      : [],
    tax_lines: tax
      ? [{ price: money(tax), price_set: moneySet(tax, c), rate: order.taxRate, title: "Tax" }]
      : [],
  };
}

/**
 * A refund as refunds/create sends it since 2024-10: line items, shipping in
 * refund_shipping_lines (with the shipping line, as in Shopify's REST
 * example), an amount beyond (or short of) them as an order adjustment with no
 * `kind` (negative in the customer's favour), and the refund's transaction
 * (https://shopify.dev/changelog/exposing-the-order-adjustments-connection-on-a-refund).
 */
export function refundPayload(shop: ShopState, order: Order, refund: Refund) {
  const c = shop.currencyCode;
  const adjustment = refund.amount ?? 0;
  return {
    id: Number(refund.id),
    order_id: Number(order.id),
    created_at: refund.createdAt,
    processed_at: refund.createdAt,
    note: null,
    restock: true,
    admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
    refund_line_items: refund.lines.map((line) => {
      const item = order.lines.find((l) => l.id === line.lineItemId)!;
      return {
        id: Number(line.lineItemId) + 1,
        line_item_id: Number(line.lineItemId),
        quantity: line.quantity,
        restock_type: "return",
        subtotal: line.subtotal / 100,
        total_tax: line.tax / 100,
        subtotal_set: moneySet(line.subtotal, c),
        total_tax_set: moneySet(line.tax, c),
        line_item: {
          id: Number(item.id),
          gift_card: item.giftCard,
          title: item.title,
          quantity: item.quantity,
        },
      };
    }),
    refund_shipping_lines: refund.shipping
      ? [
          {
            id: Number(refund.id) + 2,
            shipping_line_id: Number(order.id) + 3,
            subtotal_amount_set: moneySet(refund.shipping, c),
            shipping_line: shippingLinePayload(order, c),
          },
        ]
      : [],
    order_adjustments: adjustment
      ? [
          {
            id: Number(refund.id) + 4,
            order_id: Number(order.id),
            refund_id: Number(refund.id),
            amount: money(-adjustment),
            tax_amount: "0.00",
            reason: "Refund discrepancy",
            amount_set: moneySet(-adjustment, c),
            tax_amount_set: moneySet(0, c),
          },
        ]
      : [],
    transactions: [
      {
        id: Number(refund.id) + 5,
        order_id: Number(order.id),
        kind: "refund",
        gateway: "bogus",
        status: "success",
        created_at: refund.createdAt,
        processed_at: refund.createdAt,
        amount: money(refundMoney(order, refund)),
        currency: c,
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${Number(refund.id) + 5}`,
      },
    ],
  };
}

export function orderPayload(shop: ShopState, order: Order) {
  const c = shop.currencyCode;
  const original = originalTotals(order);
  const current = currentTotals(order);
  const customer = order.customerId ? shop.customers[order.customerId] : undefined;
  const email = customer ? contactOf(shop, customer).email : null;
  return {
    id: Number(order.id),
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    name: `#${order.number}`,
    // devshop's orders are all placed online (Order.sourceName: "web", "pos", ...).
    source_name: "web",
    number: order.number - 1000,
    order_number: order.number,
    email,
    contact_email: email,
    created_at: order.createdAt,
    processed_at: order.processedAt,
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt,
    cancel_reason: order.cancelledAt ? "customer" : null,
    financial_status: order.financialStatus,
    fulfillment_status: null,
    test: order.test,
    currency: c,
    presentment_currency: c,
    taxes_included: order.taxesIncluded ?? false,
    total_line_items_price: money(original.lineItems),
    total_line_items_price_set: moneySet(original.lineItems, c),
    total_discounts: money(original.discounts),
    total_discounts_set: moneySet(original.discounts, c),
    subtotal_price: money(original.subtotal),
    subtotal_price_set: moneySet(original.subtotal, c),
    total_tax: money(original.tax),
    total_tax_set: moneySet(original.tax, c),
    total_price: money(original.total),
    total_price_set: moneySet(original.total, c),
    current_subtotal_price: money(current.subtotal),
    current_subtotal_price_set: moneySet(current.subtotal, c),
    current_total_discounts: money(current.discounts),
    current_total_discounts_set: moneySet(current.discounts, c),
    current_total_tax: money(current.tax),
    current_total_tax_set: moneySet(current.tax, c),
    current_total_price: money(current.total),
    current_total_price_set: moneySet(current.total, c),
    total_shipping_price_set: moneySet(order.shipping, c),
    total_tip_received: "0.00",
    // Store credit is a payment gateway of its own on the order; the amounts paid through each
    // gateway are in the order's transactions, not in this payload.
    payment_gateway_names: [
      ...(order.storeCreditPaid ? ["shopify_store_credit"] : []),
      ...((order.storeCreditPaid ?? 0) < original.total ? ["bogus"] : []),
    ],
    discount_codes: order.discountCodes.map((d) => ({ code: d.code, amount: money(d.amount), type: d.type })),
    line_items: order.lines.map((line) => ({
      id: Number(line.id),
      admin_graphql_api_id: `gid://shopify/LineItem/${line.id}`,
      product_id: Number(line.productId),
      title: line.title,
      name: line.title,
      quantity: line.quantity,
      current_quantity: line.currentQuantity,
      gift_card: line.giftCard,
      taxable: !line.giftCard,
      price: money(line.price),
      price_set: moneySet(line.price, c),
      total_discount: money(line.discount),
      total_discount_set: moneySet(line.discount, c),
      discount_allocations: line.discount
        ? [
            {
              amount: money(line.discount),
              amount_set: moneySet(line.discount, c),
              discount_application_index: 0,
            },
          ]
        : [],
      tax_lines: line.giftCard
        ? []
        : [
            {
              price: money(lineTax(order, line, line.quantity)),
              price_set: moneySet(lineTax(order, line, line.quantity), c),
              rate: order.taxRate,
              title: "Tax",
            },
          ],
    })),
    shipping_lines: order.shipping ? [shippingLinePayload(order, c)] : [],
    refunds: order.refunds.map((refund) => refundPayload(shop, order, refund)),
    customer: customer ? customerPayload(shop, customer) : null,
    // The REST order's company: { id, location_id } for a B2B order, null otherwise
    // (https://shopify.dev/docs/api/admin-rest/2025-10/resources/order).
    company: order.company
      ? { id: Number(order.company.id), location_id: Number(order.company.locationId) }
      : null,
  };
}

/** A refund line's amounts for `quantity` units of a line. */
export function refundLineAmounts(order: Order, lineId: string, quantity: number) {
  const line = order.lines.find((l) => l.id === lineId);
  if (!line) throw new Error(`order ${order.id} has no line ${lineId}`);
  return { subtotal: lineNet(line, quantity), tax: lineTax(order, line, quantity) };
}

/**
 * A compliance webhook's body, each topic with its own keys, in the shapes Shopify's app
 * template documents (https://github.com/Shopify/shopify-app-template-node/blob/main/web/privacy.js):
 * customers/data_request names the customer, their orders (orders_requested) and the request's
 * id; customers/redact the customer and orders_to_redact; shop/redact only the shop.
 */
export function compliancePayload(
  shop: ShopState,
  topic: string,
  customer: Customer | null,
  requestId: number,
): Record<string, unknown> {
  const base = { shop_id: shopIdOf(shop), shop_domain: shop.domain };
  if (topic === "shop/redact" || !customer) return base;
  const who = { id: Number(customer.id), email: customer.email, phone: customer.phone };
  const orders = Object.values(shop.orders)
    .filter((order) => order.customerId === customer.id)
    .map((order) => Number(order.id));
  if (topic === "customers/data_request") {
    return { ...base, orders_requested: orders, customer: who, data_request: { id: requestId } };
  }
  return { ...base, customer: who, orders_to_redact: orders };
}

/** A stable number for the shop (Shopify's shop_id), from its domain. */
function shopIdOf(shop: ShopState): number {
  let hash = 0;
  for (const char of shop.domain) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return hash;
}
