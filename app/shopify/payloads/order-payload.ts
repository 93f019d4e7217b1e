/**
 * Maps Shopify's webhook payloads (the REST resources) to the facts the
 * points engine works with. Only what Regulars needs is read; anything
 * malformed is rejected with a PayloadError before anything is written, and
 * each topic's body must be that topic's payload (parsePaidOrderPayload,
 * parseCancelledOrderPayload, parseRefundPayload, parseCustomerPayload).
 * Money is read from shop_money (points are earned in the shop's currency).
 *
 * Shopify's documentation relied on (the shapes also follow Shopify's REST
 * fixtures in Shopify/shopify-app-js, packages/apps/shopify-api/rest/admin/__tests__/2025-10/{order,refund}.test.ts):
 * - shipping lines: price before discounts, discount_allocations, tax_lines;
 *   prices include tax when the order's taxes_included is true
 *   (https://shopify.dev/docs/api/admin-graphql/2026-10/objects/ShippingLine);
 * - refunds: refund_line_items, refund_shipping_lines (subtotal and tax), and
 *   order_adjustments for the difference between the calculated and the
 *   actual refund (https://shopify.dev/docs/api/admin-rest/2025-01/resources/refund,
 *   https://shopify.dev/docs/api/admin-graphql/2026-10/objects/OrderAdjustment);
 *   since 2024-10 refunds/create carries no `kind` and refunded shipping is in
 *   refund_shipping_lines only; older bodies also list it as a
 *   `shipping_refund` adjustment, counted once here
 *   (https://shopify.dev/changelog/exposing-the-order-adjustments-connection-on-a-refund,
 *   https://shopify.dev/changelog/refunding-orders-with-multiple-shipping-lines-returns-accurate-data);
 * - a negative adjustment is in the customer's favour (Order.refundDiscrepancySet,
 *   https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order);
 * - refund transactions are in the buyer's currency, so amounts come from the
 *   adjustments' shop_money, never from transactions.
 */
import { z } from "zod";
import { addParts, NO_PARTS, taxOfPart, type EligibleParts } from "../../loyalty/eligible";
import type { LineAmount } from "../../loyalty/bonus-events";
import { parseMilli, type Milli } from "../../loyalty/money";
import { addressKey } from "../../loyalty/referrals";

export class PayloadError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(issues.length ? `${message}: ${issues.join("; ")}` : message);
    this.name = "PayloadError";
  }
}

/** Above any real order in any currency (10^12 units). */
const MAX_MILLI = 10n ** 15n;
/**
 * An amount in milli-units. Shopify's amounts are never negative, except an
 * order adjustment's (`signed`: negative in the customer's favour).
 */
const amount = (signed: boolean) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    let milli: bigint;
    try {
      milli = parseMilli(value);
    } catch {
      ctx.addIssue({ code: "custom", message: `not a money amount: ${String(value).slice(0, 40)}` });
      return z.NEVER;
    }
    if (milli >= MAX_MILLI || (signed ? milli <= -MAX_MILLI : milli < 0n)) {
      ctx.addIssue({ code: "custom", message: `amount out of range: ${String(value).slice(0, 40)}` });
      return z.NEVER;
    }
    return milli;
  });
const moneyString = amount(false);
const moneySet = z.object({ shop_money: z.object({ amount: moneyString, currency_code: z.string() }) });
const signedMoneySet = z.object({
  shop_money: z.object({ amount: amount(true), currency_code: z.string() }),
});
const sum = <T>(items: readonly T[], amount: (item: T) => bigint) =>
  items.reduce((total, item) => total + amount(item), 0n);
const id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
const gid = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `a ${type} GID`);
const timestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "a date-time")
  .transform((v) => new Date(v));

const lineItem = z.object({
  id,
  // The line's product; null for a custom line item or a product deleted since
  // (https://shopify.dev/docs/api/admin-rest/latest/resources/order#resource-object: line_items.product_id).
  product_id: z.union([id, z.null()]).optional(),
  gift_card: z.boolean().optional().default(false),
  // "The number of items that were purchased" (refunded or removed ones included: current_quantity
  // is "The line item's quantity, minus the removed quantity").
  quantity: z.number().int(),
  current_quantity: z.number().int().optional(),
  price_set: moneySet,
  discount_allocations: z
    .array(z.object({ amount_set: moneySet }))
    .optional()
    .default([]),
});

const refundLine = z.object({
  line_item_id: id,
  quantity: z.number().int(),
  subtotal_set: moneySet,
  total_tax_set: moneySet.optional(),
  line_item: z.object({ gift_card: z.boolean().optional().default(false) }).optional(),
});

const shippingLine = z.object({
  /** Before discounts; with tax when the order's prices include it. */
  price_set: moneySet,
  discount_allocations: z
    .array(z.object({ amount_set: moneySet }))
    .optional()
    .default([]),
  tax_lines: z
    .array(z.object({ price_set: moneySet }))
    .optional()
    .default([]),
  /** Removed by an order edit: no longer charged. */
  is_removed: z.boolean().optional().default(false),
});

/** Shipping as charged: the line's price less its discounts. */
const shippingCharged = (line: z.output<typeof shippingLine>) =>
  line.price_set.shop_money.amount - sum(line.discount_allocations, (d) => d.amount_set.shop_money.amount);
const shippingLineTax = (line: z.output<typeof shippingLine>) =>
  sum(line.tax_lines, (t) => t.price_set.shop_money.amount);

const refundShippingLine = z.object({
  subtotal_amount_set: moneySet,
  tax_amount_set: moneySet.optional(),
  /** The refunded shipping line (Shopify's REST example gives it, and no tax_amount_set). */
  shipping_line: shippingLine.optional(),
});

/** The tax on shipping refunded: as given, else the refunded share of the shipping line's tax. */
function refundedShippingTax(line: z.output<typeof refundShippingLine>): bigint {
  if (line.tax_amount_set) return line.tax_amount_set.shop_money.amount;
  if (!line.shipping_line) return 0n;
  return taxOfPart(
    shippingLineTax(line.shipping_line),
    line.subtotal_amount_set.shop_money.amount,
    shippingCharged(line.shipping_line),
  );
}

const orderAdjustment = z.object({
  amount_set: signedMoneySet,
  /** Absent since 2024-10; "shipping_refund" or "refund_discrepancy" before. */
  kind: z.string().optional(),
});

const refund = z.object({
  id,
  admin_graphql_api_id: gid("Refund"),
  order_id: id,
  created_at: timestamp,
  refund_line_items: z.array(refundLine),
  refund_shipping_lines: z.array(refundShippingLine).optional().default([]),
  order_adjustments: z.array(orderAdjustment).optional().default([]),
});

const customer = z.object({
  admin_graphql_api_id: gid("Customer"),
  email: z.string().nullable().optional(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  state: z.string().optional(),
  tags: z.string().optional(),
  // The customer's email marketing consent and language, as the REST Customer resource has them
  // (https://shopify.dev/docs/api/admin-rest/latest/resources/customer#resource-object:
  // email_marketing_consent.state is "subscribed", "not_subscribed", "pending", "unsubscribed", ...).
  // consent_updated_at: when the consent was given or withdrawn; "If no date is provided, then the
  // date and time at which the consent information was sent is used"
  // (https://shopify.dev/docs/api/admin-graphql/2024-10/objects/customeremailmarketingconsentstate),
  // so the payload's updated_at stands for it then.
  email_marketing_consent: z
    .object({ state: z.string(), consent_updated_at: timestamp.nullable().optional() })
    .nullable()
    .optional(),
  // Before API 2022-04 (and in bodies of that shape) the consent was a boolean for every channel,
  // accepts_marketing with accepts_marketing_updated_at, deprecated for email_marketing_consent
  // (https://shopify.dev/changelog/new-email-marketing-consent-for-customers-and-deprecated-fields).
  accepts_marketing: z.boolean().nullable().optional(),
  accepts_marketing_updated_at: timestamp.nullable().optional(),
  updated_at: timestamp.nullable().optional(),
  locale: z.string().nullable().optional(),
});

const order = z.object({
  admin_graphql_api_id: gid("Order"),
  // "#1001": the name the shopper sees (https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order#field-Order.fields.name).
  name: z.string().max(200).nullable().optional(),
  // Where it was placed: "web", "mobile_app", "pos", ... (https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order#field-Order.fields.sourceName).
  source_name: z.string().max(200).nullable().optional(),
  // The buyer's email, also on a guest checkout's order (null when none was given:
  // https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order#field-Order.fields.email).
  email: z.string().max(320).nullable().optional(),
  financial_status: z.string().nullable().optional(),
  updated_at: timestamp,
  processed_at: timestamp.nullable().optional(),
  created_at: timestamp,
  test: z.boolean().optional().default(false),
  cancelled_at: timestamp.nullable().optional(),
  currency: z.string().length(3),
  taxes_included: z.boolean().optional().default(false),
  current_subtotal_price_set: moneySet.optional(),
  subtotal_price_set: moneySet,
  current_total_tax_set: moneySet.optional(),
  total_tax_set: moneySet.optional(),
  total_tip_received: moneyString.optional(),
  line_items: z.array(lineItem),
  shipping_lines: z.array(shippingLine),
  refunds: z.array(refund).optional().default([]),
  customer: customer.nullable().optional(),
  // The purchasing company of a B2B order, null otherwise (the REST Order resource's `company`,
  // { id, location_id }: https://shopify.dev/docs/api/admin-rest/2025-10/resources/order, typed in
  // @shopify/shopify-api's rest/admin/2025-10/order.d.ts as `company: {...} | null`). Any company: B2B.
  company: z.object({}).passthrough().nullable().optional(),
  discount_codes: z
    .array(z.object({ code: z.string() }))
    .optional()
    .default([]),
  // Where it ships (the REST Order's shipping_address, null without shipping:
  // https://shopify.dev/docs/api/admin-rest/latest/resources/order#resource-object). Only the
  // street, postcode and country are read, and only to compare (app/loyalty/referrals.ts addressKey).
  shipping_address: z
    .object({
      address1: z.string().max(1000).nullable().optional(),
      address2: z.string().max(1000).nullable().optional(),
      zip: z.string().max(100).nullable().optional(),
      country_code: z.string().max(10).nullable().optional(),
    })
    .nullable()
    .optional(),
});

function parseWith<T extends z.ZodType>(schema: T, payload: unknown, what: string): z.output<T> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    throw new PayloadError(
      `malformed ${what} payload`,
      result.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`),
    );
  }
  return result.data;
}

export interface RefundFacts {
  refundGid: string;
  orderGid: string;
  createdAt: Date;
  parts: EligibleParts;
}

export interface CustomerFacts {
  customerGid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  state: string | null;
  tags: string[];
  /** Whether the payload carried tags at all (2025-01+ customer webhooks omit them). */
  tagsPresent: boolean;
  /** email_marketing_consent.state; null: the payload says none; absent: the payload does not say. */
  emailConsent?: string | null;
  /** When that consent was given or withdrawn (consent_updated_at, else the customer's updated_at). */
  consentAt?: Date | null;
  /** The customer's language ("fr", "fr-CA"); absent: the payload does not say. */
  locale?: string | null;
}

export interface OrderSnapshot {
  orderGid: string;
  /** "#1001"; null or absent when the payload has none (a backfill's bulk line has none). */
  name?: string | null;
  /** Shopify's source_name ("web", "pos", ...); null or absent when the payload has none. */
  sourceName?: string | null;
  /** The order's email, lower-cased; null or absent when none. */
  email?: string | null;
  updatedAt: Date;
  paidAt: Date;
  test: boolean;
  cancelled: boolean;
  currency: string;
  /** Prices include tax (then merchandise amounts include it too). */
  taxesIncluded: boolean;
  /** Eligible parts as the order stands in this payload, before its refunds. */
  gross: EligibleParts;
  refunds: RefundFacts[];
  customer: CustomerFacts | null;
  discountCodes: string[];
  /** A company placed it (a B2B order); absent when the source does not say. */
  b2b?: boolean;
  /**
   * Where it ships, as a comparable key (addressKey: street, postcode, country, normalised); null
   * when it ships nowhere comparable; absent when the source does not say. Kept only hashed.
   */
  shippingAddressKey?: string | null;
  /**
   * Its lines other than gift cards as ordered (app/loyalty/bonus-events.ts LineAmount), for
   * events limited to collections; absent when the source does not say.
   */
  lineAmounts?: LineAmount[];
}

/**
 * A line's amount as ordered: the quantity ordered times the unit price, less the discounts
 * allocated to the line (all of them, refunded and removed units included). The same from an
 * order webhook and from a bulk read, and never changed by refunds, so every path reads the
 * same share of an order in a collection.
 */
export function lineAmountOf(
  productGid: string | null,
  unitPrice: Milli,
  quantity: number,
  discounts: Milli,
): LineAmount {
  return { productGid, amountMilli: unitPrice * BigInt(Math.max(0, quantity)) - discounts };
}

const SHIPPING_REFUND = "shipping_refund";

function refundFacts(raw: z.output<typeof refund>): RefundFacts {
  let parts = NO_PARTS;
  for (const line of raw.refund_line_items) {
    const net = line.subtotal_set.shop_money.amount;
    const tax = line.total_tax_set?.shop_money.amount ?? 0n;
    parts = addParts(parts, {
      ...NO_PARTS,
      merchandise: line.line_item?.gift_card ? 0n : net,
      giftCards: line.line_item?.gift_card ? net : 0n,
      tax,
    });
  }
  // Refunded shipping: refund_shipping_lines; a body without them (before
  // they were added) has it only as shipping_refund adjustments (negative).
  const shippingAdjustments = raw.order_adjustments.filter((a) => a.kind === SHIPPING_REFUND);
  const shipping =
    raw.refund_shipping_lines.length > 0
      ? sum(raw.refund_shipping_lines, (line) => line.subtotal_amount_set.shop_money.amount)
      : -sum(shippingAdjustments, (a) => a.amount_set.shop_money.amount);
  const shippingTax = sum(raw.refund_shipping_lines, refundedShippingTax);
  // Every other adjustment is a discrepancy between the calculated and the actual refund.
  const discrepancy = sum(
    raw.order_adjustments.filter((a) => a.kind !== SHIPPING_REFUND),
    (a) => a.amount_set.shop_money.amount,
  );
  parts = addParts(parts, { ...NO_PARTS, shipping, shippingTax, tax: shippingTax, byAmount: -discrepancy });
  return {
    refundGid: raw.admin_graphql_api_id,
    orderGid: `gid://shopify/Order/${raw.order_id}`,
    createdAt: raw.created_at,
    parts,
  };
}

/** The email marketing consent a customer body carries, in either shape; {} when it says none. */
function consentOf(raw: z.output<typeof customer>): Pick<CustomerFacts, "emailConsent" | "consentAt"> {
  const updatedAt = raw.updated_at ?? null;
  if (raw.email_marketing_consent !== undefined) {
    const consent = raw.email_marketing_consent;
    return {
      emailConsent: consent?.state ?? null,
      consentAt: consent ? (consent.consent_updated_at ?? updatedAt) : null,
    };
  }
  if (raw.accepts_marketing !== undefined && raw.accepts_marketing !== null) {
    return {
      emailConsent: raw.accepts_marketing ? "subscribed" : "not_subscribed",
      consentAt: raw.accepts_marketing_updated_at ?? updatedAt,
    };
  }
  return {};
}

function customerFacts(raw: z.output<typeof customer>): CustomerFacts {
  return {
    customerGid: raw.admin_graphql_api_id,
    email: raw.email ?? null,
    firstName: raw.first_name ?? null,
    lastName: raw.last_name ?? null,
    state: raw.state ?? null,
    tagsPresent: raw.tags !== undefined,
    ...consentOf(raw),
    ...(raw.locale !== undefined ? { locale: raw.locale } : {}),
    tags: (raw.tags ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
  };
}

function orderSnapshot(raw: z.output<typeof order>): OrderSnapshot {
  const refunds = raw.refunds.map(refundFacts);
  const refunded = refunds.reduce((total, r) => addParts(total, r.parts), NO_PARTS);
  // current_* reflect edits and line items refunded; adding this payload's
  // refunds back gives the order as edited, before refunds. An amount refunded
  // without line items changes none of them.
  const currentSubtotal = (raw.current_subtotal_price_set ?? raw.subtotal_price_set).shop_money.amount;
  const currentTax = (raw.current_total_tax_set ?? raw.total_tax_set)?.shop_money.amount ?? 0n;
  let giftCards = 0n;
  for (const line of raw.line_items) {
    if (!line.gift_card) continue;
    const quantity = line.current_quantity ?? line.quantity;
    const discounts = sum(line.discount_allocations, (d) => d.amount_set.shop_money.amount);
    giftCards += line.price_set.shop_money.amount * BigInt(quantity) - discounts;
  }
  // Shipping as charged: each line's price less its discounts (total_shipping_price_set
  // is before discounts), with its own tax lines; before refunds, like the lines.
  const charged = raw.shipping_lines.filter((line) => !line.is_removed);
  const shipping = sum(charged, shippingCharged);
  const shippingTax = sum(charged, shippingLineTax);
  const gross: EligibleParts = {
    ...NO_PARTS,
    merchandise: currentSubtotal - giftCards + refunded.merchandise,
    giftCards: giftCards + refunded.giftCards,
    shipping,
    // The order's tax covers shipping's; refunds took theirs off the current figure.
    tax: currentTax + refunded.tax,
    shippingTax,
    tips: raw.total_tip_received ?? 0n,
  };
  return {
    orderGid: raw.admin_graphql_api_id,
    name: raw.name ?? null,
    sourceName: raw.source_name ?? null,
    email: raw.email ? raw.email.trim().toLowerCase() : null,
    updatedAt: raw.updated_at,
    paidAt: raw.processed_at ?? raw.created_at,
    test: raw.test,
    cancelled: Boolean(raw.cancelled_at),
    currency: raw.currency,
    taxesIncluded: raw.taxes_included,
    gross,
    refunds,
    customer: raw.customer ? customerFacts(raw.customer) : null,
    discountCodes: raw.discount_codes.map((d) => d.code),
    b2b: Boolean(raw.company),
    lineAmounts: raw.line_items
      .filter((line) => !line.gift_card)
      .map((line) =>
        lineAmountOf(
          line.product_id === undefined || line.product_id === null
            ? null
            : `gid://shopify/Product/${line.product_id}`,
          line.price_set.shop_money.amount,
          line.quantity,
          sum(line.discount_allocations, (d) => d.amount_set.shop_money.amount),
        ),
      ),
    ...(raw.shipping_address !== undefined
      ? {
          shippingAddressKey: addressKey(
            raw.shipping_address && {
              address1: raw.shipping_address.address1 ?? null,
              address2: raw.shipping_address.address2 ?? null,
              zip: raw.shipping_address.zip ?? null,
              countryCode: raw.shipping_address.country_code ?? null,
            },
          ),
        }
      : {}),
  };
}

/** An order body of any order topic (orders/updated): the order as it stands. */
export function parseOrderPayload(payload: unknown): OrderSnapshot {
  return orderSnapshot(parseWith(order, payload, "order"));
}

/**
 * Financial statuses of an order that was paid, then perhaps refunded
 * (REST `financial_status`, GraphQL OrderDisplayFinancialStatus:
 * https://shopify.dev/docs/api/admin-graphql/2026-10/enums/OrderDisplayFinancialStatus).
 * The backfill's search and the orders/paid parser both hold to it.
 */
const PAID_FINANCIAL_STATUSES = ["paid", "partially_refunded", "refunded"] as const;

export function isPaidStatus(status: string | null | undefined): boolean {
  return (PAID_FINANCIAL_STATUSES as readonly string[]).includes((status ?? "").toLowerCase());
}

/**
 * orders/paid ("occurs whenever an order is paid", WebhookSubscriptionTopic
 * ORDERS_PAID in the 2026-10 schema): the order's financial status is one of
 * a paid order (a copy read after a refund says refunded).
 */
export function parsePaidOrderPayload(payload: unknown): OrderSnapshot {
  const raw = parseWith(order, payload, "orders/paid");
  if (!isPaidStatus(raw.financial_status)) {
    throw new PayloadError("malformed orders/paid payload", [
      `financial_status ${JSON.stringify(raw.financial_status ?? null)} is not that of a paid order`,
    ]);
  }
  return orderSnapshot(raw);
}

/** orders/cancelled: a cancelled order has its cancelled_at (null until cancelled). */
export function parseCancelledOrderPayload(payload: unknown): OrderSnapshot {
  const raw = parseWith(order, payload, "orders/cancelled");
  if (!raw.cancelled_at) {
    throw new PayloadError("malformed orders/cancelled payload", [
      "cancelled_at is null: the order is not cancelled",
    ]);
  }
  return orderSnapshot(raw);
}

export function parseRefundPayload(payload: unknown): RefundFacts {
  return refundFacts(parseWith(refund, payload, "refund"));
}

export function parseCustomerPayload(payload: unknown): CustomerFacts {
  return customerFacts(parseWith(customer, payload, "customer"));
}
