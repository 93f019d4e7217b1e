/**
 * The lines of a bulk query's JSONL result (BACKFILL_ORDERS_QUERY), turned
 * into the order snapshots the points engine takes. With grouped output an
 * order's line comes first and its line items follow, each naming the order
 * in `__parentId`. Money is shop money. The order's current amounts are net of
 * the line items and shipping its refunds took back, so its refunds are
 * recorded with no parts but one: the newest carries what they refunded by
 * amount (-refundDiscrepancySet), which the current amounts do not show. A
 * later webhook snapshot restates both, refund by refund.
 */
import { z } from "zod";
import { NO_PARTS, taxOfPart, type EligibleParts } from "../loyalty/eligible";
import { parseMilli } from "../loyalty/money";
import { isFields, readLineItemLine, readOrderLine } from "./bulk-order-lines-fast";
import { isPaidStatus, PayloadError, type OrderSnapshot } from "./order-payload";

const money = z
  .object({ shopMoney: z.object({ amount: z.union([z.string(), z.number()]) }) })
  .transform((value, ctx) => {
    try {
      return parseMilli(value.shopMoney.amount);
    } catch {
      ctx.addIssue({ code: "custom", message: `not a money amount: ${String(value.shopMoney.amount)}` });
      return z.NEVER;
    }
  });
const timestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "a date-time")
  .transform((value) => new Date(value));
const gid = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `a ${type} GID`);

const orderLine = z.object({
  id: gid("Order"),
  createdAt: timestamp,
  processedAt: timestamp.nullable().optional(),
  updatedAt: timestamp,
  test: z.boolean(),
  cancelledAt: timestamp.nullable().optional(),
  currencyCode: z.string().length(3),
  taxesIncluded: z.boolean(),
  displayFinancialStatus: z.string().nullable().optional(),
  discountCodes: z.array(z.string()).optional().default([]),
  customer: z
    .object({
      id: gid("Customer"),
      firstName: z.string().nullable().optional(),
      lastName: z.string().nullable().optional(),
      defaultEmailAddress: z.object({ emailAddress: z.string().nullable().optional() }).nullable().optional(),
    })
    .nullable()
    .optional(),
  currentSubtotalPriceSet: money,
  currentTotalTaxSet: money,
  currentShippingPriceSet: money,
  shippingLine: z
    .object({
      discountedPriceSet: money,
      taxLines: z.array(z.object({ priceSet: money })).optional().default([]),
    })
    .nullable()
    .optional(),
  refundDiscrepancySet: money,
  totalTipReceivedSet: money,
  refunds: z.array(z.object({ id: gid("Refund"), createdAt: timestamp.nullable().optional() })).default([]),
});

const lineItemLine = z.object({
  id: gid("LineItem"),
  __parentId: gid("Order"),
  isGiftCard: z.boolean(),
  currentQuantity: z.number().int().nonnegative(),
  originalUnitPriceSet: money,
  discountAllocations: z.array(z.object({ allocatedAmountSet: money })).optional().default([]),
});

export type OrderLine = z.output<typeof orderLine>;
export type LineItemLine = z.output<typeof lineItemLine>;

/** A line of the file, classified; throws PayloadError naming what is wrong. */
export function parseBulkLine(
  value: unknown,
): { kind: "order"; order: OrderLine } | { kind: "lineItem"; item: LineItemLine } {
  if (isFields(value)) {
    // The common case, read by hand (same answers, a tenth of the time).
    if (value.__parentId === undefined) {
      const order = readOrderLine(value);
      if (order) return { kind: "order", order };
    } else {
      const item = readLineItemLine(value);
      if (item) return { kind: "lineItem", item };
    }
  }
  return parseBulkLineWithSchemas(value);
}

/** parseBulkLine by the zod schemas alone: what the hand-written readers must agree with. */
export function parseBulkLineWithSchemas(
  value: unknown,
): { kind: "order"; order: OrderLine } | { kind: "lineItem"; item: LineItemLine } {
  const parentId = (value as { __parentId?: unknown } | null)?.__parentId;
  const schema = parentId === undefined ? orderLine : lineItemLine;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new PayloadError(
      parentId === undefined ? "malformed order line" : "malformed line item line",
      result.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(root)"} ${issue.message}`),
    );
  }
  return parentId === undefined
    ? { kind: "order", order: result.data as OrderLine }
    : { kind: "lineItem", item: result.data as LineItemLine };
}

export function wasPaid(order: OrderLine): boolean {
  return isPaidStatus(order.displayFinancialStatus);
}

/**
 * The tax on the shipping still charged: the shipping summary's tax lines
 * are before refunds, so a shipping refund takes its share of them (rounded
 * down; all of it for a refund of the whole shipping, as devshop makes).
 */
function currentShippingTax(order: OrderLine): bigint {
  const line = order.shippingLine;
  if (!line) return 0n;
  const tax = line.taxLines.reduce((sum, t) => sum + t.priceSet, 0n);
  return taxOfPart(tax, order.currentShippingPriceSet, line.discountedPriceSet);
}

/** The snapshot of an order and its line items, as the engine's orders/paid would see it. */
export function bulkOrderSnapshot(order: OrderLine, items: readonly LineItemLine[]): OrderSnapshot {
  // Gift cards as the webhook mapper counts them: price x current quantity, less discounts.
  let giftCards = 0n;
  for (const item of items) {
    if (!item.isGiftCard) continue;
    const discounts = item.discountAllocations.reduce((sum, d) => sum + d.allocatedAmountSet, 0n);
    giftCards += item.originalUnitPriceSet * BigInt(item.currentQuantity) - discounts;
  }
  const gross: EligibleParts = {
    ...NO_PARTS,
    merchandise: order.currentSubtotalPriceSet - giftCards,
    giftCards,
    shipping: order.currentShippingPriceSet,
    tax: order.currentTotalTaxSet,
    shippingTax: currentShippingTax(order),
    tips: order.totalTipReceivedSet,
  };
  const newest = order.refunds.length - 1;
  const customer = order.customer;
  return {
    orderGid: order.id,
    updatedAt: order.updatedAt,
    paidAt: order.processedAt ?? order.createdAt,
    test: order.test,
    cancelled: Boolean(order.cancelledAt),
    currency: order.currencyCode,
    taxesIncluded: order.taxesIncluded,
    gross,
    refunds: order.refunds.map((refund, i) => ({
      refundGid: refund.id,
      orderGid: order.id,
      createdAt: refund.createdAt ?? order.updatedAt,
      parts: i === newest ? { ...NO_PARTS, byAmount: -order.refundDiscrepancySet } : NO_PARTS,
    })),
    customer: customer
      ? {
          customerGid: customer.id,
          email: customer.defaultEmailAddress?.emailAddress ?? null,
          firstName: customer.firstName ?? null,
          lastName: customer.lastName ?? null,
          state: null,
          tags: [],
          tagsPresent: false,
        }
      : null,
    discountCodes: order.discountCodes,
  };
}
