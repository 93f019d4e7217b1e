/**
 * Maps Shopify's webhook payloads (the REST resources) to the facts the
 * points engine works with. Only what Regulars needs is read; anything
 * malformed is rejected with a PayloadError before anything is written.
 * Money is read from shop_money (points are earned in the shop's currency).
 */
import { z } from "zod";
import { addParts, NO_PARTS, type EligibleParts } from "../loyalty/eligible";
import { parseMilli } from "../loyalty/money";

export class PayloadError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(issues.length ? `${message}: ${issues.join("; ")}` : message);
    this.name = "PayloadError";
  }
}

/** Above any real order in any currency (10^12 units); Shopify's amounts are never negative. */
const MAX_MILLI = 10n ** 15n;
const moneyString = z.union([z.string(), z.number()]).transform((value, ctx) => {
  let milli: bigint;
  try {
    milli = parseMilli(value);
  } catch {
    ctx.addIssue({ code: "custom", message: `not a money amount: ${String(value).slice(0, 40)}` });
    return z.NEVER;
  }
  if (milli < 0n || milli >= MAX_MILLI) {
    ctx.addIssue({ code: "custom", message: `amount out of range: ${String(value).slice(0, 40)}` });
    return z.NEVER;
  }
  return milli;
});
const moneySet = z.object({ shop_money: z.object({ amount: moneyString, currency_code: z.string() }) });
const id = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String);
const gid = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `a ${type} GID`);
const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "a date-time").transform((v) => new Date(v));

const lineItem = z.object({
  id,
  gift_card: z.boolean().optional().default(false),
  quantity: z.number().int(),
  current_quantity: z.number().int().optional(),
  price_set: moneySet,
  discount_allocations: z.array(z.object({ amount_set: moneySet })).optional().default([]),
});

const refundLine = z.object({
  line_item_id: id,
  quantity: z.number().int(),
  subtotal_set: moneySet,
  total_tax_set: moneySet.optional(),
  line_item: z.object({ gift_card: z.boolean().optional().default(false) }).optional(),
});

const refund = z.object({
  id,
  admin_graphql_api_id: gid("Refund"),
  order_id: id,
  created_at: timestamp,
  refund_line_items: z.array(refundLine).optional().default([]),
  refund_shipping_lines: z
    .array(z.object({ subtotal_amount_set: moneySet.optional() }))
    .optional()
    .default([]),
});

const customer = z.object({
  admin_graphql_api_id: gid("Customer"),
  email: z.string().nullable().optional(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  state: z.string().optional(),
  tags: z.string().optional(),
});

const order = z.object({
  admin_graphql_api_id: gid("Order"),
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
  total_shipping_price_set: moneySet.optional(),
  total_tip_received: moneyString.optional(),
  line_items: z.array(lineItem),
  refunds: z.array(refund).optional().default([]),
  customer: customer.nullable().optional(),
  discount_codes: z.array(z.object({ code: z.string() })).optional().default([]),
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
}

export interface OrderSnapshot {
  orderGid: string;
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
}

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
  for (const shipping of raw.refund_shipping_lines) {
    parts = addParts(parts, { ...NO_PARTS, shipping: shipping.subtotal_amount_set?.shop_money.amount ?? 0n });
  }
  return {
    refundGid: raw.admin_graphql_api_id,
    orderGid: `gid://shopify/Order/${raw.order_id}`,
    createdAt: raw.created_at,
    parts,
  };
}

function customerFacts(raw: z.output<typeof customer>): CustomerFacts {
  return {
    customerGid: raw.admin_graphql_api_id,
    email: raw.email ?? null,
    firstName: raw.first_name ?? null,
    lastName: raw.last_name ?? null,
    state: raw.state ?? null,
    tagsPresent: raw.tags !== undefined,
    tags: (raw.tags ?? "")
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
  };
}

export function parseOrderPayload(payload: unknown): OrderSnapshot {
  const raw = parseWith(order, payload, "order");
  const refunds = raw.refunds.map(refundFacts);
  const refunded = refunds.reduce((sum, r) => addParts(sum, r.parts), NO_PARTS);
  // current_* reflect edits and refunds; adding this payload's refunds back
  // gives the order as edited, before refunds.
  const currentSubtotal = (raw.current_subtotal_price_set ?? raw.subtotal_price_set).shop_money.amount;
  const currentTax = (raw.current_total_tax_set ?? raw.total_tax_set)?.shop_money.amount ?? 0n;
  let giftCards = 0n;
  for (const line of raw.line_items) {
    if (!line.gift_card) continue;
    const quantity = line.current_quantity ?? line.quantity;
    const discounts = line.discount_allocations.reduce((sum, d) => sum + d.amount_set.shop_money.amount, 0n);
    giftCards += line.price_set.shop_money.amount * BigInt(quantity) - discounts;
  }
  const currentGross: EligibleParts = {
    merchandise: currentSubtotal - giftCards,
    giftCards,
    shipping: raw.total_shipping_price_set?.shop_money.amount ?? 0n,
    tax: currentTax,
    tips: raw.total_tip_received ?? 0n,
  };
  return {
    orderGid: raw.admin_graphql_api_id,
    updatedAt: raw.updated_at,
    paidAt: raw.processed_at ?? raw.created_at,
    test: raw.test,
    cancelled: Boolean(raw.cancelled_at),
    currency: raw.currency,
    taxesIncluded: raw.taxes_included,
    gross: addParts(currentGross, { ...refunded, shipping: 0n, tips: 0n }),
    refunds,
    customer: raw.customer ? customerFacts(raw.customer) : null,
    discountCodes: raw.discount_codes.map((d) => d.code),
  };
}

export function parseRefundPayload(payload: unknown): RefundFacts {
  return refundFacts(parseWith(refund, payload, "refund"));
}

export function parseCustomerPayload(payload: unknown): CustomerFacts {
  return customerFacts(parseWith(customer, payload, "customer"));
}
