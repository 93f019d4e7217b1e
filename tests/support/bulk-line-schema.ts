/**
 * The bulk result's two line shapes (BACKFILL_ORDERS_QUERY) as a zod schema
 * of the Admin API's types: the check that app/shopify/payloads/bulk-order-lines.ts's
 * hand-written readers accept exactly these lines and read them to the same
 * values (tests/unit/bulk-order-lines.test.ts). Not used by the app.
 */
import { z } from "zod";
import { parseMilli } from "~/loyalty/money";
import type { LineItemLine, OrderLine } from "~/shopify/payloads/bulk-order-lines";

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

const orderLineSchema = z.object({
  id: gid("Order"),
  name: z.string().nullable().optional(),
  sourceName: z.string().nullable().optional(),
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
      tags: z.array(z.string()).optional(),
    })
    .nullable()
    .optional(),
  purchasingEntity: z.object({ company: z.unknown().optional() }).nullable().optional(),
  shippingAddress: z
    .object({
      address1: z.string().nullable().optional(),
      address2: z.string().nullable().optional(),
      zip: z.string().nullable().optional(),
      countryCodeV2: z.string().nullable().optional(),
    })
    .nullable()
    .transform((a) =>
      a
        ? {
            address1: a.address1 ?? null,
            address2: a.address2 ?? null,
            zip: a.zip ?? null,
            countryCodeV2: a.countryCodeV2 ?? null,
          }
        : a,
    )
    .optional(),
  currentSubtotalPriceSet: money,
  currentTotalTaxSet: money,
  currentShippingPriceSet: money,
  shippingLine: z
    .object({
      discountedPriceSet: money,
      taxLines: z
        .array(z.object({ priceSet: money }))
        .optional()
        .default([]),
    })
    .nullable()
    .optional(),
  refundDiscrepancySet: money,
  totalTipReceivedSet: money,
  refunds: z.array(z.object({ id: gid("Refund"), createdAt: timestamp.nullable().optional() })).default([]),
});

/** Order.purchasingEntity read as the hand reader does: B2B when it names a company. */
const orderLineRead = orderLineSchema.transform(({ purchasingEntity, ...line }) =>
  purchasingEntity === undefined
    ? line
    : { ...line, b2b: purchasingEntity !== null && purchasingEntity.company != null },
);

const lineItemLineSchema = z.object({
  id: gid("LineItem"),
  __parentId: gid("Order"),
  isGiftCard: z.boolean(),
  currentQuantity: z.number().int().nonnegative(),
  quantity: z.number().int().nonnegative().optional(),
  product: z
    .object({ id: gid("Product") })
    .nullable()
    .optional(),
  originalUnitPriceSet: money,
  discountAllocations: z
    .array(z.object({ allocatedAmountSet: money }))
    .optional()
    .default([]),
});

// The readers' types are the schema's: each assignable to the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _typesAgree: [
  Same<z.output<typeof orderLineRead>, OrderLine>,
  Same<z.output<typeof lineItemLineSchema>, LineItemLine>,
] = [true, true];

/** A line as the schema reads it (a line with `__parentId` is a line item), or null when it refuses it. */
export function readWithSchema(value: unknown): OrderLine | LineItemLine | null {
  const parentId = (value as { __parentId?: unknown } | null)?.__parentId;
  const result = (parentId === undefined ? orderLineRead : lineItemLineSchema).safeParse(value);
  return result.success ? result.data : null;
}
