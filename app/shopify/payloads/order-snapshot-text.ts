/**
 * An order snapshot (order-payload.ts) as one line of text and back, for the
 * backfill's staged orders (BackfillOrder.snapshot): a JSON array in a fixed
 * field order, amounts as decimal strings (exact, unlike JSON numbers), times
 * as epoch milliseconds. Decoding checks the shape, so a row written by
 * another version fails loudly instead of crediting wrong amounts.
 */
import type { LineAmount } from "../../loyalty/bonus-events";
import type { EligibleParts } from "../../loyalty/eligible";
import type { CustomerFacts, OrderSnapshot, RefundFacts } from "./order-payload";

/**
 * Format version, first in every encoded snapshot. 2: parts gained the tax on
 * shipping and the amount refunded by amount; a row staged by version 1 is
 * refused (its run fails and is started again). 3: the order's name and
 * source_name at the end (null when the bulk line had none); a version 2 row
 * is still read, without them. 4: whether a company placed it (B2B) at the
 * end; a version 3 row is still read, without it (not known: not B2B). 5: the
 * lines as ordered (LineAmount, for bonus events limited to collections), null
 * when the bulk line had none, and the shipping address's comparable key (the
 * referral same-address check; false when the source did not say) at the end;
 * a version 4 row is still read, without them (not known).
 */
const VERSION = 5;
const WITHOUT_LINES = 4;
const WITHOUT_B2B = 3;
const WITHOUT_NAME_AND_SOURCE = 2;

type PartsText = [string, string, string, string, string, string, string];
type RefundText = [string, number, PartsText];
type CustomerText = [string, string | null, string | null, string | null, string | null, string[], boolean];
type LineText = [string | null, string];
type SnapshotText = [
  typeof VERSION | typeof WITHOUT_LINES | typeof WITHOUT_B2B | typeof WITHOUT_NAME_AND_SOURCE,
  string,
  number,
  number,
  boolean,
  boolean,
  string,
  boolean,
  PartsText,
  RefundText[],
  CustomerText | null,
  string[],
  (string | null)?,
  (string | null)?,
  boolean?,
  (LineText[] | null)?,
  (string | null | false)?,
];

const partsText = (p: EligibleParts): PartsText => [
  String(p.merchandise),
  String(p.giftCards),
  String(p.shipping),
  String(p.tax),
  String(p.shippingTax),
  String(p.tips),
  String(p.byAmount),
];

export function encodeSnapshot(s: OrderSnapshot): string {
  const text: SnapshotText = [
    VERSION,
    s.orderGid,
    s.updatedAt.getTime(),
    s.paidAt.getTime(),
    s.test,
    s.cancelled,
    s.currency,
    s.taxesIncluded,
    partsText(s.gross),
    s.refunds.map((r): RefundText => [r.refundGid, r.createdAt.getTime(), partsText(r.parts)]),
    s.customer
      ? [
          s.customer.customerGid,
          s.customer.email,
          s.customer.firstName,
          s.customer.lastName,
          s.customer.state,
          s.customer.tags,
          s.customer.tagsPresent,
        ]
      : null,
    s.discountCodes,
    s.name ?? null,
    s.sourceName ?? null,
    s.b2b ?? false,
    s.lineAmounts ? s.lineAmounts.map((line): LineText => [line.productGid, String(line.amountMilli)]) : null,
    s.shippingAddressKey === undefined ? false : s.shippingAddressKey,
  ];
  return JSON.stringify(text);
}

class SnapshotTextError extends Error {
  constructor(what: string) {
    super(`a staged order snapshot is not readable: ${what}`);
    this.name = "SnapshotTextError";
  }
}

const INTEGER = /^-?\d+$/;
function amount(value: unknown): bigint {
  if (typeof value !== "string" || !INTEGER.test(value))
    throw new SnapshotTextError(`amount ${String(value)}`);
  return BigInt(value);
}
function parts(value: unknown): EligibleParts {
  if (!Array.isArray(value) || value.length !== 7) throw new SnapshotTextError("parts");
  const [merchandise, giftCards, shipping, tax, shippingTax, tips, byAmount] = value.map(amount) as bigint[];
  return {
    merchandise: merchandise!,
    giftCards: giftCards!,
    shipping: shipping!,
    tax: tax!,
    shippingTax: shippingTax!,
    tips: tips!,
    byAmount: byAmount!,
  };
}
function time(value: unknown): Date {
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new SnapshotTextError(`time ${String(value)}`);
  return new Date(value);
}
function text(value: unknown): string {
  if (typeof value !== "string") throw new SnapshotTextError("text");
  return value;
}
const textOrNull = (value: unknown): string | null => (value === null ? null : text(value));
function bool(value: unknown): boolean {
  if (typeof value !== "boolean") throw new SnapshotTextError("flag");
  return value;
}
function texts(value: unknown): string[] {
  if (!Array.isArray(value)) throw new SnapshotTextError("list");
  return value.map(text);
}

function lineAmounts(value: unknown): LineAmount[] {
  if (!Array.isArray(value)) throw new SnapshotTextError("lines");
  return value.map((line: unknown): LineAmount => {
    if (!Array.isArray(line) || line.length !== 2 || typeof line[1] !== "string" || !/^-?\d+$/.test(line[1]))
      throw new SnapshotTextError("line");
    return { productGid: textOrNull(line[0]), amountMilli: BigInt(line[1]) };
  });
}

export function decodeSnapshot(encoded: string): OrderSnapshot {
  const value: unknown = JSON.parse(encoded);
  const current = Array.isArray(value) && value.length === 17 && value[0] === VERSION;
  const withB2b = current || (Array.isArray(value) && value.length === 15 && value[0] === WITHOUT_LINES);
  const named = withB2b || (Array.isArray(value) && value.length === 14 && value[0] === WITHOUT_B2B);
  const before = Array.isArray(value) && value.length === 12 && value[0] === WITHOUT_NAME_AND_SOURCE;
  if (!Array.isArray(value) || !(named || before)) {
    throw new SnapshotTextError(`not a version ${VERSION} snapshot`);
  }
  const orderGid = text(value[1]);
  const refunds = value[9];
  if (!Array.isArray(refunds)) throw new SnapshotTextError("refunds");
  const customer = value[10] as unknown;
  let customerFacts: CustomerFacts | null = null;
  if (customer !== null) {
    if (!Array.isArray(customer) || customer.length !== 7) throw new SnapshotTextError("customer");
    customerFacts = {
      customerGid: text(customer[0]),
      email: textOrNull(customer[1]),
      firstName: textOrNull(customer[2]),
      lastName: textOrNull(customer[3]),
      state: textOrNull(customer[4]),
      tags: texts(customer[5]),
      tagsPresent: bool(customer[6]),
    };
  }
  return {
    orderGid,
    updatedAt: time(value[2]),
    paidAt: time(value[3]),
    test: bool(value[4]),
    cancelled: bool(value[5]),
    currency: text(value[6]),
    taxesIncluded: bool(value[7]),
    gross: parts(value[8]),
    refunds: refunds.map((r: unknown): RefundFacts => {
      if (!Array.isArray(r) || r.length !== 3) throw new SnapshotTextError("refund");
      return { refundGid: text(r[0]), orderGid, createdAt: time(r[1]), parts: parts(r[2]) };
    }),
    customer: customerFacts,
    discountCodes: texts(value[11]),
    ...(named ? { name: textOrNull(value[12]), sourceName: textOrNull(value[13]) } : {}),
    ...(withB2b ? { b2b: bool(value[14]) } : {}),
    ...(current && value[15] !== null ? { lineAmounts: lineAmounts(value[15]) } : {}),
    ...(current && value[16] !== false ? { shippingAddressKey: textOrNull(value[16]) } : {}),
  };
}
