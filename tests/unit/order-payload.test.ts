import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eligibleAmount, NO_PARTS } from "~/loyalty/eligible";
import { parseLosslessJson } from "~/shopify/payloads/lossless-json";
import {
  parseCancelledOrderPayload,
  parseCustomerPayload,
  parseOrderPayload,
  parsePaidOrderPayload,
  parseRefundPayload,
  PayloadError,
} from "~/shopify/payloads/order-payload";

const fixture = (name: string) =>
  parseLosslessJson(readFileSync(path.resolve(__dirname, `../fixtures/shopify/${name}.json`), "utf8"));
const none = { includeShipping: false, includeTax: false, includeTips: false, includeGiftCards: false };

describe("Shopify payloads", () => {
  it("keeps ids beyond 2^53 exact", () => {
    const text =
      '{"id": 6817362940512877913, "n": 12, "s": "x 6817362940512877913", "f": 1.5e3, "neg": -9007199254740993}';
    expect(parseLosslessJson(text)).toEqual({
      id: "6817362940512877913",
      n: 12,
      s: "x 6817362940512877913",
      f: 1500,
      neg: "-9007199254740993",
    });
    const refund = parseRefundPayload(fixture("refunds-create"));
    expect(refund.orderGid).toBe("gid://shopify/Order/6817362940512877913");
  });

  it("reads where an order ships as a comparable key only: street, postcode, country, normalised", () => {
    const paid = parsePaidOrderPayload(fixture("orders-paid"));
    expect(paid.shippingAddressKey).toBe("US|19102|1417walnutstreetapt5b");
    const raw = fixture("orders-paid") as Record<string, unknown>;
    const moved = (address: unknown) => parsePaidOrderPayload({ ...raw, shipping_address: address });
    // Case, spaces and punctuation do not make another address; the name and phone are not read.
    expect(
      moved({ address1: "1417  WALNUT street.", address2: "apt 5-b", zip: "19102", country_code: "us" })
        .shippingAddressKey,
    ).toBe("US|19102|1417walnutstreetapt5b");
    expect(moved(null).shippingAddressKey).toBeNull();
    expect(
      moved({ address1: "1417 Walnut Street", zip: null, country_code: "US" }).shippingAddressKey,
    ).toBeNull();
    const { shipping_address: _s, ...without } = raw;
    expect("shippingAddressKey" in parsePaidOrderPayload(without)).toBe(false);
  });

  it("parses any JSON as JSON.parse does, with every integer beyond 2^53 as its digits", () => {
    // A JSON value whose integers may be big, written out as a document with them as bare literals.
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: "small" },
        fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }),
        // a double written as an integer literal beyond 2^53 is read as its digits too (the bigInt case)
        fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .filter((d) => Number.isSafeInteger(d) || !/^-?\d+$/.test(JSON.stringify(d))),
        fc.string({ unit: "binary" }),
        fc.constantFrom(true, false, null),
        fc.array(tie("any"), { maxLength: 5 }),
        fc.dictionary(fc.string({ unit: "binary" }), tie("any"), { maxKeys: 5 }),
      ),
    })).any;
    const write = (v: unknown, spaced: boolean): string => {
      const gap = spaced ? " \n\t " : "";
      if (typeof v === "bigint") return v.toString();
      if (Array.isArray(v)) return `[${gap}${v.map((x) => write(x, spaced)).join(`,${gap}`)}${gap}]`;
      if (v && typeof v === "object")
        return `{${Object.entries(v)
          .map(([k, x]) => `${gap}${JSON.stringify(k)}${gap}:${gap}${write(x, spaced)}`)
          .join(",")}}`;
      return JSON.stringify(v);
    };
    const expected = (v: unknown): unknown => {
      if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
      if (typeof v === "number") return JSON.parse(JSON.stringify(v)); // -0 is written 0
      if (Array.isArray(v)) return v.map(expected);
      if (v && typeof v === "object")
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expected(x)]));
      return v;
    };
    fc.assert(
      fc.property(value, fc.boolean(), (v, spaced) => {
        expect(parseLosslessJson(write(v, spaced))).toEqual(expected(v));
      }),
      { numRuns: 2000 },
    );
    // Strings that look like numbers, or hold escaped quotes and backslashes, are left alone.
    const tricky = String.raw`["\\", "9007199254740993", "a\\\"9007199254740993", 9007199254740993]`;
    expect(parseLosslessJson(tricky)).toEqual([
      "\\",
      "9007199254740993",
      'a\\"9007199254740993',
      "9007199254740993",
    ]);
    expect(parseLosslessJson('{"x": 1.5e+30, "y": -0.0000000000000000001, "z": 9007199254740993}')).toEqual({
      x: 1.5e30,
      y: -1e-19,
      z: "9007199254740993",
    });
    expect(() => parseLosslessJson('{"x": 12')).toThrow(SyntaxError);
    expect(() => parseLosslessJson('{"x": "unterminated')).toThrow(SyntaxError);
  });

  it("reads an order in shop money, without gift cards, shipping and tax", () => {
    const order = parseOrderPayload(fixture("orders-paid"));
    expect(order.orderGid).toBe("gid://shopify/Order/6817362940512877913");
    expect(order.currency).toBe("EUR");
    expect(order.customer?.customerGid).toBe("gid://shopify/Customer/7302485617390244561");
    // The order's name in the admin ("#1001"), kept to name it in the history; a body without
    // one still counts.
    expect(order.name).toBe("#1043");
    const { name: _name, ...nameless } = fixture("orders-paid") as Record<string, unknown>;
    expect(parseOrderPayload(nameless).name).toBe(null);
    // 176.00 subtotal after discounts, of which a 50.00 gift card
    expect(eligibleAmount(order.gross, none, order.taxesIncluded)).toBe(126_000n);
    expect(
      eligibleAmount(order.gross, { ...none, includeGiftCards: true, includeShipping: true }, false),
    ).toBe(
      184_000n, // 126.00 + 50.00 gift card + 8.00 shipping
    );
  });

  it("an updated order carries its refunds, and its gross amount is before them", () => {
    const paid = parseOrderPayload(fixture("orders-paid"));
    const updated = parseOrderPayload(fixture("orders-updated"));
    expect(updated.refunds.map((r) => r.refundGid)).toEqual(["gid://shopify/Refund/1289034756120398455"]);
    expect(updated.gross.merchandise).toBe(paid.gross.merchandise);
    const refund = parseRefundPayload(fixture("refunds-create"));
    expect(refund.parts).toEqual(updated.refunds[0]!.parts);
    expect(eligibleAmount(refund.parts, none, false)).toBe(54_000n);
  });

  it("a company on the order makes it B2B; the customer's tags come with the order", () => {
    const order = fixture("orders-paid") as Record<string, unknown>;
    const plain = parseOrderPayload(order);
    expect(plain.b2b).toBe(false);
    expect(plain.customer).toMatchObject({ tags: ["newsletter"], tagsPresent: true });
    // The REST order's company: { id, location_id } for a B2B order, null otherwise.
    const b2b = parseOrderPayload({ ...order, company: { id: 8012345, location_id: 9012345 } });
    expect(b2b.b2b).toBe(true);
    expect(parseOrderPayload({ ...order, company: null }).b2b).toBe(false);
    expect(() => parseOrderPayload({ ...order, company: "Acme" })).toThrow(PayloadError);
  });

  it("customers", () => {
    const created = parseCustomerPayload(fixture("customers-create"));
    expect(created).toMatchObject({
      state: "disabled",
      customerGid: "gid://shopify/Customer/7302485617390244561",
    });
    expect(parseCustomerPayload(fixture("customers-update")).state).toBe("enabled");
  });

  it("refuses malformed payloads with the fields named", () => {
    expect(() => parseOrderPayload({})).toThrow(PayloadError);
    expect(() =>
      parseOrderPayload({
        ...(fixture("orders-paid") as object),
        current_subtotal_price_set: { shop_money: { amount: "abc", currency_code: "EUR" } },
      }),
    ).toThrow(/current_subtotal_price_set.shop_money.amount not a money amount/);
    expect(() => parseRefundPayload({ id: 1 })).toThrow(/admin_graphql_api_id/);
  });
});

describe("shipping and tax as Shopify sends them", () => {
  const all = { includeShipping: true, includeTax: true, includeTips: true, includeGiftCards: true };

  it("shipping counts after its discounts (SHIP5 takes 5.00 off a 12.00 line)", () => {
    const order = parseOrderPayload(fixture("orders-paid-shipping-discount"));
    expect(eligibleAmount(order.gross, none, order.taxesIncluded)).toBe(60_000n);
    // total_shipping_price_set says 12.00: the shipping line's price before its discount
    expect(eligibleAmount(order.gross, { ...none, includeShipping: true }, order.taxesIncluded)).toBe(
      67_000n,
    );
    expect(eligibleAmount(order.gross, all, order.taxesIncluded)).toBe(70_600n); // what the customer paid
  });

  it("prices that include tax: only the merchandise's tax is taken out of merchandise", () => {
    // 119.00 with 19.00 VAT, shipping 5.95 with 0.95 VAT; total_tax 19.95 covers both
    const order = parseOrderPayload(fixture("orders-paid-taxes-included"));
    expect(order.taxesIncluded).toBe(true);
    expect(eligibleAmount(order.gross, none, true)).toBe(100_000n);
    expect(eligibleAmount(order.gross, { ...none, includeShipping: true }, true)).toBe(105_000n);
    expect(eligibleAmount(order.gross, { ...none, includeTax: true }, true)).toBe(119_950n);
    expect(eligibleAmount(order.gross, all, true)).toBe(124_950n); // total_price
  });

  it("a refund of an amount, without line items, is read from its order adjustment", () => {
    const refund = parseRefundPayload(fixture("refunds-create-amount"));
    expect(refund.refundGid).toBe("gid://shopify/Refund/1289034756120398461");
    // -20.00 EUR in shop money; the transaction (22.00) is in the buyer's currency
    expect(refund.parts).toEqual({ ...NO_PARTS, byAmount: 20_000n });
  });

  it("a refund of shipping only is shipping, counted once", () => {
    const shipping = parseRefundPayload(fixture("refunds-create-shipping"));
    expect(shipping.parts).toEqual({ ...NO_PARTS, shipping: 8_000n });
    // orders/cancelled lists it twice: refund_shipping_lines (+6.00) and a shipping_refund adjustment (-6.00)
    const cancelled = parseCancelledOrderPayload(fixture("orders-cancelled"));
    const refunded = cancelled.refunds.reduce((sum, r) => sum + r.parts.shipping, 0n);
    expect(refunded).toBe(6_000n);
    expect(cancelled.refunds.reduce((sum, r) => sum + r.parts.byAmount, 0n)).toBe(0n);
    // a payload from before refund_shipping_lines: the shipping_refund adjustment alone
    const legacy = fixture("orders-cancelled") as { refunds: Record<string, unknown>[] };
    for (const r of legacy.refunds) r.refund_shipping_lines = [];
    const fromAdjustment = parseCancelledOrderPayload(legacy);
    expect(fromAdjustment.refunds.reduce((sum, r) => sum + r.parts.shipping, 0n)).toBe(6_000n);
  });
});

describe("each topic's parser requires what that topic's payload always has", () => {
  it("orders/cancelled: a cancelled_at", () => {
    expect(() => parseCancelledOrderPayload(fixture("orders-paid"))).toThrow(/cancelled_at/);
    expect(parseCancelledOrderPayload(fixture("orders-cancelled")).cancelled).toBe(true);
  });

  it("orders/paid: a financial status of a paid order", () => {
    expect(() =>
      parsePaidOrderPayload({ ...(fixture("orders-paid") as object), financial_status: "pending" }),
    ).toThrow(/financial_status/);
    expect(() =>
      parsePaidOrderPayload({ ...(fixture("orders-paid") as object), financial_status: undefined }),
    ).toThrow(/financial_status/);
    expect(parsePaidOrderPayload(fixture("orders-paid")).orderGid).toBe(
      "gid://shopify/Order/6817362940512877913",
    );
    // paid, then refunded before the delivery was read: still a paid order
    expect(parsePaidOrderPayload(fixture("orders-updated")).refunds).toHaveLength(1);
  });

  it("refunds/create: a refund; customers/*: a customer", () => {
    expect(() => parseRefundPayload(fixture("orders-paid"))).toThrow(PayloadError);
    expect(() => parseRefundPayload(fixture("customers-create"))).toThrow(PayloadError);
    const noLines = { ...(fixture("refunds-create") as object), refund_line_items: undefined };
    expect(() => parseRefundPayload(noLines)).toThrow(/refund_line_items/);
    expect(() => parseCustomerPayload(fixture("orders-paid"))).toThrow(PayloadError);
    expect(() => parseCustomerPayload(fixture("refunds-create"))).toThrow(PayloadError);
  });
});
