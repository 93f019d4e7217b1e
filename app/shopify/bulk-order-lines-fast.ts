/**
 * The bulk result's two line shapes read by hand, for speed: the zod schemas
 * of bulk-order-lines.ts cost about 13 µs a line, most of a backfill's time in
 * JavaScript. These readers accept only what those schemas accept and return
 * the same values; anything else gives null, and the schemas then read the
 * line or name what is wrong with it. tests/unit/bulk-order-lines.test.ts
 * holds the two to the same answers.
 */
import { parseMilli, type Milli } from "../loyalty/money";
import type { LineItemLine, OrderLine } from "./bulk-order-lines";

type Fields = Record<string, unknown>;

/** A value the schemas would refuse. */
const BAD = Symbol("bad");
type Bad = typeof BAD;

export const isFields = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const ORDER_GID = /^gid:\/\/shopify\/Order\/\d+$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/\d+$/;
const REFUND_GID = /^gid:\/\/shopify\/Refund\/\d+$/;
const LINE_ITEM_GID = /^gid:\/\/shopify\/LineItem\/\d+$/;
/** Amounts parseMilli reads the same way, computed without its BigInt steps. */
const PLAIN_AMOUNT = /^(\d{1,12})(?:\.(\d{1,3}))?$/;
const FRACTION_SCALE = [1000, 100, 10, 1];

function timestamp(value: unknown): Date | Bad {
  if (typeof value !== "string") return BAD;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? BAD : date;
}

/** undefined (absent), null, or a timestamp. */
function optionalTimestamp(value: unknown): Date | null | undefined | Bad {
  return value === undefined || value === null ? value : timestamp(value);
}

function optionalText(value: unknown): string | null | undefined | Bad {
  return value === undefined || value === null || typeof value === "string" ? value : BAD;
}

function money(value: unknown): Milli | Bad {
  if (!isFields(value)) return BAD;
  const shopMoney = value.shopMoney;
  if (!isFields(shopMoney)) return BAD;
  const amount = shopMoney.amount;
  if (typeof amount === "string") {
    const plain = PLAIN_AMOUNT.exec(amount);
    if (plain) {
      const fraction = plain[2] ?? "";
      return BigInt(Number(plain[1]) * 1000 + (fraction ? Number(fraction) * FRACTION_SCALE[fraction.length]! : 0));
    }
  } else if (typeof amount !== "number") return BAD;
  try {
    return parseMilli(amount);
  } catch {
    return BAD;
  }
}

function customerOf(value: unknown): OrderLine["customer"] | Bad {
  if (value === undefined || value === null) return value;
  if (!isFields(value)) return BAD;
  const id = value.id;
  if (typeof id !== "string" || !CUSTOMER_GID.test(id)) return BAD;
  const firstName = optionalText(value.firstName);
  const lastName = optionalText(value.lastName);
  if (firstName === BAD || lastName === BAD) return BAD;
  const customer: NonNullable<OrderLine["customer"]> = { id };
  if (firstName !== undefined) customer.firstName = firstName;
  if (lastName !== undefined) customer.lastName = lastName;
  const address = value.defaultEmailAddress;
  if (address === null) customer.defaultEmailAddress = null;
  else if (address !== undefined) {
    if (!isFields(address)) return BAD;
    const emailAddress = optionalText(address.emailAddress);
    if (emailAddress === BAD) return BAD;
    customer.defaultEmailAddress = emailAddress === undefined ? {} : { emailAddress };
  }
  return customer;
}

function refundsOf(value: unknown): OrderLine["refunds"] | Bad {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return BAD;
  const refunds: OrderLine["refunds"] = [];
  for (const refund of value as unknown[]) {
    if (!isFields(refund)) return BAD;
    const id = refund.id;
    if (typeof id !== "string" || !REFUND_GID.test(id)) return BAD;
    const createdAt = optionalTimestamp(refund.createdAt);
    if (createdAt === BAD) return BAD;
    refunds.push(createdAt === undefined ? { id } : { id, createdAt });
  }
  return refunds;
}

function shippingLineOf(value: unknown): OrderLine["shippingLine"] | Bad {
  if (value === undefined || value === null) return value;
  if (!isFields(value)) return BAD;
  const discountedPriceSet = money(value.discountedPriceSet);
  if (discountedPriceSet === BAD) return BAD;
  const taxLines: { priceSet: Milli }[] = [];
  if (value.taxLines !== undefined) {
    if (!Array.isArray(value.taxLines)) return BAD;
    for (const line of value.taxLines as unknown[]) {
      if (!isFields(line)) return BAD;
      const priceSet = money(line.priceSet);
      if (priceSet === BAD) return BAD;
      taxLines.push({ priceSet });
    }
  }
  return { discountedPriceSet, taxLines };
}

function codesOf(value: unknown): string[] | Bad {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return BAD;
  for (const code of value as unknown[]) if (typeof code !== "string") return BAD;
  return value as string[];
}

/** An order line, as the order schema reads it; null if the schema must look. */
export function readOrderLine(value: Fields): OrderLine | null {
  const id = value.id;
  if (typeof id !== "string" || !ORDER_GID.test(id)) return null;
  const createdAt = timestamp(value.createdAt);
  const processedAt = optionalTimestamp(value.processedAt);
  const updatedAt = timestamp(value.updatedAt);
  const cancelledAt = optionalTimestamp(value.cancelledAt);
  if (createdAt === BAD || processedAt === BAD || updatedAt === BAD || cancelledAt === BAD) return null;
  const { test, taxesIncluded, currencyCode } = value;
  if (typeof test !== "boolean" || typeof taxesIncluded !== "boolean") return null;
  if (typeof currencyCode !== "string" || currencyCode.length !== 3) return null;
  const displayFinancialStatus = optionalText(value.displayFinancialStatus);
  const discountCodes = codesOf(value.discountCodes);
  const customer = customerOf(value.customer);
  const refunds = refundsOf(value.refunds);
  if (displayFinancialStatus === BAD || discountCodes === BAD || customer === BAD || refunds === BAD) return null;
  const currentSubtotalPriceSet = money(value.currentSubtotalPriceSet);
  const currentTotalTaxSet = money(value.currentTotalTaxSet);
  const currentShippingPriceSet = money(value.currentShippingPriceSet);
  const refundDiscrepancySet = money(value.refundDiscrepancySet);
  const totalTipReceivedSet = money(value.totalTipReceivedSet);
  const shippingLine = shippingLineOf(value.shippingLine);
  if (
    currentSubtotalPriceSet === BAD ||
    currentTotalTaxSet === BAD ||
    currentShippingPriceSet === BAD ||
    refundDiscrepancySet === BAD ||
    totalTipReceivedSet === BAD ||
    shippingLine === BAD
  ) {
    return null;
  }
  const order: OrderLine = {
    id,
    createdAt,
    updatedAt,
    test,
    currencyCode,
    taxesIncluded,
    discountCodes,
    currentSubtotalPriceSet,
    currentTotalTaxSet,
    currentShippingPriceSet,
    refundDiscrepancySet,
    totalTipReceivedSet,
    refunds,
  };
  if (shippingLine !== undefined) order.shippingLine = shippingLine;
  if (processedAt !== undefined) order.processedAt = processedAt;
  if (cancelledAt !== undefined) order.cancelledAt = cancelledAt;
  if (displayFinancialStatus !== undefined) order.displayFinancialStatus = displayFinancialStatus;
  if (customer !== undefined) order.customer = customer;
  return order;
}

/** A line item line, as the line item schema reads it; null if the schema must look. */
export function readLineItemLine(value: Fields): LineItemLine | null {
  const { id, __parentId, isGiftCard, currentQuantity } = value;
  if (typeof id !== "string" || !LINE_ITEM_GID.test(id)) return null;
  if (typeof __parentId !== "string" || !ORDER_GID.test(__parentId)) return null;
  if (typeof isGiftCard !== "boolean") return null;
  if (typeof currentQuantity !== "number" || !Number.isSafeInteger(currentQuantity) || currentQuantity < 0) {
    return null;
  }
  const originalUnitPriceSet = money(value.originalUnitPriceSet);
  if (originalUnitPriceSet === BAD) return null;
  const discountAllocations: LineItemLine["discountAllocations"] = [];
  const allocations = value.discountAllocations;
  if (allocations !== undefined) {
    if (!Array.isArray(allocations)) return null;
    for (const allocation of allocations as unknown[]) {
      if (!isFields(allocation)) return null;
      const allocatedAmountSet = money(allocation.allocatedAmountSet);
      if (allocatedAmountSet === BAD) return null;
      discountAllocations.push({ allocatedAmountSet });
    }
  }
  return { id, __parentId, isGiftCard, currentQuantity, originalUnitPriceSet, discountAllocations };
}

