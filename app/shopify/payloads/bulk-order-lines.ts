/**
 * The lines of a bulk query's JSONL result (BACKFILL_ORDERS_QUERY), read and
 * turned into the order snapshots the points engine takes. With grouped
 * output an order's line comes first and its line items follow, each naming
 * the order in `__parentId`. Money is shop money. The order's current amounts
 * are net of the line items and shipping its refunds took back, so its
 * refunds are recorded with no parts but one: the newest carries what they
 * refunded by amount (-refundDiscrepancySet), which the current amounts do
 * not show. A later webhook snapshot restates both, refund by refund.
 *
 * The lines are read by hand, for speed (a schema library costs about 13 µs a
 * line, most of a backfill's time in JavaScript). What the readers accept is
 * held to a zod schema of the Admin API's types by tests
 * (tests/support/bulk-line-schema.ts, tests/unit/bulk-order-lines.test.ts):
 * they accept exactly the lines it accepts and return the same values.
 */
import { NO_PARTS, taxOfPart, type EligibleParts } from "../../loyalty/eligible";
import { parseMilli, type Milli } from "../../loyalty/money";
import { addressKey } from "../../loyalty/referrals";
import { isPaidStatus, lineAmountOf, PayloadError, type OrderSnapshot } from "./order-payload";

/** An order's line, as read. */
export interface OrderLine {
  id: string;
  /** "#1001" (Order.name). */
  name?: string | null;
  /** Where it was placed: "web", "pos", ... (Order.sourceName). */
  sourceName?: string | null;
  createdAt: Date;
  processedAt?: Date | null;
  updatedAt: Date;
  test: boolean;
  cancelledAt?: Date | null;
  currencyCode: string;
  taxesIncluded: boolean;
  displayFinancialStatus?: string | null;
  discountCodes: string[];
  customer?: {
    id: string;
    firstName?: string | null;
    lastName?: string | null;
    defaultEmailAddress?: { emailAddress?: string | null } | null;
    /** Customer.tags; absent when the query did not ask. */
    tags?: string[];
  } | null;
  /** A company placed it (Order.purchasingEntity is a PurchasingCompany); absent: not asked. */
  b2b?: boolean;
  /** Order.shippingAddress's street, postcode and country (null: none); absent: not asked. */
  shippingAddress?: {
    address1: string | null;
    address2: string | null;
    zip: string | null;
    countryCodeV2: string | null;
  } | null;
  currentSubtotalPriceSet: Milli;
  currentTotalTaxSet: Milli;
  currentShippingPriceSet: Milli;
  shippingLine?: { discountedPriceSet: Milli; taxLines: { priceSet: Milli }[] } | null;
  refundDiscrepancySet: Milli;
  totalTipReceivedSet: Milli;
  refunds: { id: string; createdAt?: Date | null }[];
}

/** A line item's line, as read. */
export interface LineItemLine {
  id: string;
  __parentId: string;
  isGiftCard: boolean;
  currentQuantity: number;
  /** LineItem.quantity, ordered (refunded and removed units included); absent: not asked. */
  quantity?: number;
  /** LineItem.product (null: a custom line, or a product deleted since); absent: not asked. */
  product?: { id: string } | null;
  originalUnitPriceSet: Milli;
  discountAllocations: { allocatedAmountSet: Milli }[];
}

type Fields = Record<string, unknown>;

/** A value the line cannot hold. */
const BAD = Symbol("bad");
type Bad = typeof BAD;

/** What is wrong with a line: the field's path and what it should hold. */
class Refused {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {}
}

function refuse(path: string, expected: string): never {
  throw new Refused(path, expected);
}

const isFields = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const ORDER_GID = /^gid:\/\/shopify\/Order\/\d+$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/\d+$/;
const REFUND_GID = /^gid:\/\/shopify\/Refund\/\d+$/;
const LINE_ITEM_GID = /^gid:\/\/shopify\/LineItem\/\d+$/;
const PRODUCT_GID = /^gid:\/\/shopify\/Product\/\d+$/;
/** Amounts parseMilli reads the same way, computed without its BigInt steps. */
const PLAIN_AMOUNT = /^(\d{1,12})(?:\.(\d{1,3}))?$/;
const FRACTION_SCALE = [1000, 100, 10, 1];

function gid(value: unknown, pattern: RegExp, path: string, type: string): string {
  if (typeof value !== "string" || !pattern.test(value)) refuse(path, `a ${type} GID`);
  return value;
}

function timestamp(value: unknown): Date | Bad {
  if (typeof value !== "string") return BAD;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? BAD : date;
}

function requiredTimestamp(value: unknown, path: string): Date {
  const date = timestamp(value);
  return date === BAD ? refuse(path, "a date-time") : date;
}

/** undefined (absent), null, or a timestamp. */
function optionalTimestamp(value: unknown, path: string): Date | null | undefined {
  return value === undefined || value === null ? value : requiredTimestamp(value, path);
}

function optionalText(value: unknown, path: string): string | null | undefined {
  return value === undefined || value === null || typeof value === "string"
    ? value
    : refuse(path, "a string");
}

function boolean(value: unknown, path: string): boolean {
  return typeof value === "boolean" ? value : refuse(path, "a boolean");
}

/** `{ shopMoney: { amount } }`, the amount a string or a number that parseMilli reads. */
function amountOf(value: unknown): Milli | Bad {
  if (!isFields(value)) return BAD;
  const shopMoney = value.shopMoney;
  if (!isFields(shopMoney)) return BAD;
  const amount = shopMoney.amount;
  if (typeof amount === "string") {
    const plain = PLAIN_AMOUNT.exec(amount);
    if (plain) {
      const fraction = plain[2] ?? "";
      return BigInt(
        Number(plain[1]) * 1000 + (fraction ? Number(fraction) * FRACTION_SCALE[fraction.length]! : 0),
      );
    }
  } else if (typeof amount !== "number") return BAD;
  try {
    return parseMilli(amount);
  } catch {
    return BAD;
  }
}

const MONEY = "a money amount as { shopMoney: { amount } }";

function money(value: unknown, path: string): Milli {
  const amount = amountOf(value);
  return amount === BAD ? refuse(path, MONEY) : amount;
}

/**
 * An array (absent: empty) whose items `item` reads; an item names its place
 * (`path`.i) only when it refuses, so that reading builds no path strings.
 */
function arrayOf<T>(value: unknown, path: string, item: (value: unknown) => T | Bad, expected: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return refuse(path, "an array");
  const items: T[] = [];
  for (let i = 0; i < value.length; i++) {
    const read = item(value[i]);
    if (read === BAD) refuse(`${path}.${i}`, expected);
    items.push(read);
  }
  return items;
}

function fieldsOf(value: unknown, path: string): Fields {
  return isFields(value) ? value : refuse(path, "an object");
}

function customerOf(value: unknown): OrderLine["customer"] {
  if (value === undefined || value === null) return value;
  const fields = fieldsOf(value, "customer");
  const customer: NonNullable<OrderLine["customer"]> = {
    id: gid(fields.id, CUSTOMER_GID, "customer.id", "Customer"),
  };
  const firstName = optionalText(fields.firstName, "customer.firstName");
  const lastName = optionalText(fields.lastName, "customer.lastName");
  if (firstName !== undefined) customer.firstName = firstName;
  if (lastName !== undefined) customer.lastName = lastName;
  const address = fields.defaultEmailAddress;
  if (address === null) customer.defaultEmailAddress = null;
  else if (address !== undefined) {
    const emailAddress = optionalText(
      fieldsOf(address, "customer.defaultEmailAddress").emailAddress,
      "customer.defaultEmailAddress.emailAddress",
    );
    customer.defaultEmailAddress = emailAddress === undefined ? {} : { emailAddress };
  }
  if (fields.tags !== undefined) {
    const tags = fields.tags;
    if (!Array.isArray(tags)) refuse("customer.tags", "an array of strings");
    // By index: a hole in the array is no tag either.
    for (let i = 0; i < tags.length; i++)
      if (typeof tags[i] !== "string") refuse(`customer.tags.${i}`, "a string");
    customer.tags = tags as string[];
  }
  return customer;
}

/**
 * Order.purchasingEntity: a PurchasingCompany for a B2B order, the Customer otherwise, null for
 * neither (https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order#field-Order.fields.purchasingEntity,
 * the union PurchasingEntity = Customer | PurchasingCompany in the vendored 2026-10 schema).
 */
function b2bOf(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === null) return false;
  const fields = fieldsOf(value, "purchasingEntity");
  return fields.company !== undefined && fields.company !== null;
}

function shippingAddressOf(value: unknown): OrderLine["shippingAddress"] {
  if (value === undefined || value === null) return value;
  const fields = fieldsOf(value, "shippingAddress");
  return {
    address1: optionalText(fields.address1, "shippingAddress.address1") ?? null,
    address2: optionalText(fields.address2, "shippingAddress.address2") ?? null,
    zip: optionalText(fields.zip, "shippingAddress.zip") ?? null,
    countryCodeV2: optionalText(fields.countryCodeV2, "shippingAddress.countryCodeV2") ?? null,
  };
}

function refundOf(value: unknown): OrderLine["refunds"][number] | Bad {
  if (!isFields(value)) return BAD;
  const id = value.id;
  if (typeof id !== "string" || !REFUND_GID.test(id)) return BAD;
  const createdAt = value.createdAt;
  if (createdAt === undefined) return { id };
  if (createdAt === null) return { id, createdAt };
  const date = timestamp(createdAt);
  return date === BAD ? BAD : { id, createdAt: date };
}

function taxLineOf(value: unknown): { priceSet: Milli } | Bad {
  if (!isFields(value)) return BAD;
  const priceSet = amountOf(value.priceSet);
  return priceSet === BAD ? BAD : { priceSet };
}

function shippingLineOf(value: unknown): OrderLine["shippingLine"] {
  if (value === undefined || value === null) return value;
  const fields = fieldsOf(value, "shippingLine");
  return {
    discountedPriceSet: money(fields.discountedPriceSet, "shippingLine.discountedPriceSet"),
    taxLines: arrayOf(fields.taxLines, "shippingLine.taxLines", taxLineOf, `{ priceSet: ${MONEY} }`),
  };
}

function allocationOf(value: unknown): { allocatedAmountSet: Milli } | Bad {
  if (!isFields(value)) return BAD;
  const allocatedAmountSet = amountOf(value.allocatedAmountSet);
  return allocatedAmountSet === BAD ? BAD : { allocatedAmountSet };
}

function codesOf(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return refuse("discountCodes", "an array");
  for (let i = 0; i < value.length; i++)
    if (typeof value[i] !== "string") refuse(`discountCodes.${i}`, "a string");
  return value as string[];
}

function readOrderLine(value: Fields): OrderLine {
  const id = gid(value.id, ORDER_GID, "id", "Order");
  const createdAt = requiredTimestamp(value.createdAt, "createdAt");
  const processedAt = optionalTimestamp(value.processedAt, "processedAt");
  const updatedAt = requiredTimestamp(value.updatedAt, "updatedAt");
  const cancelledAt = optionalTimestamp(value.cancelledAt, "cancelledAt");
  const test = boolean(value.test, "test");
  const taxesIncluded = boolean(value.taxesIncluded, "taxesIncluded");
  const currencyCode = value.currencyCode;
  if (typeof currencyCode !== "string" || currencyCode.length !== 3)
    refuse("currencyCode", "a 3-letter currency code");
  const displayFinancialStatus = optionalText(value.displayFinancialStatus, "displayFinancialStatus");
  const name = optionalText(value.name, "name");
  const sourceName = optionalText(value.sourceName, "sourceName");
  const customer = customerOf(value.customer);
  const b2b = b2bOf(value.purchasingEntity);
  const shippingAddress = shippingAddressOf(value.shippingAddress);
  const shippingLine = shippingLineOf(value.shippingLine);
  const order: OrderLine = {
    id,
    createdAt,
    updatedAt,
    test,
    currencyCode,
    taxesIncluded,
    discountCodes: codesOf(value.discountCodes),
    currentSubtotalPriceSet: money(value.currentSubtotalPriceSet, "currentSubtotalPriceSet"),
    currentTotalTaxSet: money(value.currentTotalTaxSet, "currentTotalTaxSet"),
    currentShippingPriceSet: money(value.currentShippingPriceSet, "currentShippingPriceSet"),
    refundDiscrepancySet: money(value.refundDiscrepancySet, "refundDiscrepancySet"),
    totalTipReceivedSet: money(value.totalTipReceivedSet, "totalTipReceivedSet"),
    refunds: arrayOf(value.refunds, "refunds", refundOf, "{ id: a Refund GID, createdAt?: a date-time }"),
  };
  if (shippingLine !== undefined) order.shippingLine = shippingLine;
  if (processedAt !== undefined) order.processedAt = processedAt;
  if (cancelledAt !== undefined) order.cancelledAt = cancelledAt;
  if (displayFinancialStatus !== undefined) order.displayFinancialStatus = displayFinancialStatus;
  if (name !== undefined) order.name = name;
  if (sourceName !== undefined) order.sourceName = sourceName;
  if (customer !== undefined) order.customer = customer;
  if (b2b !== undefined) order.b2b = b2b;
  if (shippingAddress !== undefined) order.shippingAddress = shippingAddress;
  return order;
}

const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

function productOf(value: unknown): LineItemLine["product"] {
  if (value === undefined || value === null) return value;
  return { id: gid(fieldsOf(value, "product").id, PRODUCT_GID, "product.id", "Product") };
}

function readLineItemLine(value: Fields): LineItemLine {
  const { currentQuantity, quantity } = value;
  if (!isCount(currentQuantity)) refuse("currentQuantity", "a whole number, 0 or more");
  if (quantity !== undefined && !isCount(quantity)) refuse("quantity", "a whole number, 0 or more");
  const product = productOf(value.product);
  return {
    ...(quantity !== undefined ? { quantity } : {}),
    ...(product !== undefined ? { product } : {}),
    id: gid(value.id, LINE_ITEM_GID, "id", "LineItem"),
    __parentId: gid(value.__parentId, ORDER_GID, "__parentId", "Order"),
    isGiftCard: boolean(value.isGiftCard, "isGiftCard"),
    currentQuantity,
    originalUnitPriceSet: money(value.originalUnitPriceSet, "originalUnitPriceSet"),
    discountAllocations: arrayOf(
      value.discountAllocations,
      "discountAllocations",
      allocationOf,
      `{ allocatedAmountSet: ${MONEY} }`,
    ),
  };
}

export type BulkLine = { kind: "order"; order: OrderLine } | { kind: "lineItem"; item: LineItemLine };

/**
 * A line of the file, read and classified (a line with `__parentId` is a line
 * item); throws PayloadError naming what is wrong.
 */
export function parseBulkLine(value: unknown): BulkLine {
  const lineItem = isFields(value) && value.__parentId !== undefined;
  try {
    if (!isFields(value)) refuse("(root)", "an object");
    return lineItem
      ? { kind: "lineItem", item: readLineItemLine(value) }
      : { kind: "order", order: readOrderLine(value) };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    throw new PayloadError(lineItem ? "malformed line item line" : "malformed order line", [
      `${error.path} must be ${error.expected}`,
    ]);
  }
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
  // The lines as ordered, when the query asked for their quantity and product (it does).
  const products = items.filter((item) => !item.isGiftCard);
  const lineAmounts = products.every((item) => item.quantity !== undefined && item.product !== undefined)
    ? products.map((item) =>
        lineAmountOf(
          item.product?.id ?? null,
          item.originalUnitPriceSet,
          item.quantity!,
          item.discountAllocations.reduce((sum, d) => sum + d.allocatedAmountSet, 0n),
        ),
      )
    : undefined;
  return {
    orderGid: order.id,
    ...(order.name !== undefined ? { name: order.name } : {}),
    ...(order.sourceName !== undefined ? { sourceName: order.sourceName } : {}),
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
          tags: customer.tags ?? [],
          tagsPresent: customer.tags !== undefined,
        }
      : null,
    discountCodes: order.discountCodes,
    ...(lineAmounts ? { lineAmounts } : {}),
    ...(order.b2b !== undefined ? { b2b: order.b2b } : {}),
    ...(order.shippingAddress !== undefined
      ? {
          shippingAddressKey: addressKey(
            order.shippingAddress && {
              ...order.shippingAddress,
              countryCode: order.shippingAddress.countryCodeV2,
            },
          ),
        }
      : {}),
  };
}
