import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NO_PARTS } from "~/loyalty/eligible";
import type { OrderSnapshot } from "~/shopify/payloads/order-payload";
import { decodeSnapshot, encodeSnapshot } from "~/shopify/payloads/order-snapshot-text";

const milli = fc.bigInt({ min: 0n, max: 10n ** 15n - 1n });
const partsArb = fc.record({
  merchandise: milli,
  giftCards: milli,
  shipping: milli,
  tax: milli,
  shippingTax: milli,
  tips: milli,
  byAmount: fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }),
});
const instant = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms));
const text = fc.string({ maxLength: 30 });

const snapshotArb: fc.Arbitrary<OrderSnapshot> = fc
  .record({
    id: fc.bigInt({ min: 1n, max: 2n ** 63n }),
    updatedAt: instant,
    paidAt: instant,
    test: fc.boolean(),
    cancelled: fc.boolean(),
    currency: fc.constantFrom("EUR", "USD", "JPY"),
    taxesIncluded: fc.boolean(),
    gross: partsArb,
    refunds: fc.array(fc.record({ id: fc.nat(), createdAt: instant, parts: partsArb }), { maxLength: 3 }),
    customer: fc.option(
      fc.record({
        customerGid: fc.nat().map((n) => `gid://shopify/Customer/${n}`),
        email: fc.option(fc.emailAddress()),
        firstName: fc.option(text),
        lastName: fc.option(text),
        state: fc.option(fc.constantFrom("ENABLED", "DISABLED")),
        tags: fc.array(text, { maxLength: 3 }),
        tagsPresent: fc.boolean(),
      }),
    ),
    discountCodes: fc.array(text, { maxLength: 3 }),
    name: fc.option(text),
    sourceName: fc.option(fc.constantFrom("web", "pos", "shopify_draft_order")),
    b2b: fc.boolean(),
    lineAmounts: fc.option(
      fc.array(
        fc.record({
          productGid: fc.option(fc.nat().map((n) => `gid://shopify/Product/${n}`)),
          amountMilli: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        }),
        { maxLength: 4 },
      ),
    ),
    // The shipping address's comparable key: absent (the source did not say), none, or one.
    shippingAddressKey: fc.oneof(fc.constant(undefined), fc.constant(null), text),
  })
  .map(({ id, refunds, lineAmounts, shippingAddressKey, ...rest }) => {
    const orderGid = `gid://shopify/Order/${id}`;
    return {
      ...rest,
      ...(lineAmounts ? { lineAmounts } : {}),
      ...(shippingAddressKey !== undefined ? { shippingAddressKey } : {}),
      orderGid,
      refunds: refunds.map((r) => ({
        refundGid: `gid://shopify/Refund/${r.id}`,
        orderGid,
        createdAt: r.createdAt,
        parts: r.parts,
      })),
    };
  });

describe("staged order snapshots", () => {
  it("read back exactly as written: amounts beyond a double, dates, names with tabs and quotes", () => {
    fc.assert(
      fc.property(snapshotArb, (snapshot) => {
        expect(decodeSnapshot(encodeSnapshot(snapshot))).toEqual(snapshot);
      }),
      { numRuns: 500 },
    );
  });

  it("refuse a row of another shape instead of reading wrong amounts", () => {
    const good = JSON.parse(
      encodeSnapshot({
        orderGid: "gid://shopify/Order/1",
        updatedAt: new Date(0),
        paidAt: new Date(0),
        test: false,
        cancelled: false,
        currency: "EUR",
        taxesIncluded: false,
        gross: { ...NO_PARTS, merchandise: 1000n },
        refunds: [],
        customer: null,
        discountCodes: [],
      }),
    ) as unknown[];
    expect(() => decodeSnapshot(JSON.stringify([1, ...good.slice(1)]))).toThrow(/not a version 5 snapshot/);
    // A row staged by version 2 (no name, no source) still reads, without them.
    const v2 = decodeSnapshot(JSON.stringify([2, ...good.slice(1, 12)]));
    expect(v2).not.toHaveProperty("sourceName");
    expect(v2.gross.merchandise).toBe(1000n);
    expect(() => decodeSnapshot(JSON.stringify([2, ...good.slice(1)]))).toThrow(/not a version 5 snapshot/);
    // A row staged by version 3 (no B2B flag) still reads, with its name, without the flag.
    const v3 = decodeSnapshot(JSON.stringify([3, ...good.slice(1, 14)]));
    expect(v3).not.toHaveProperty("b2b");
    expect(v3).toHaveProperty("sourceName");
    expect(decodeSnapshot(JSON.stringify(good)).b2b).toBe(false);
    // A row staged by version 4 (no lines) still reads, with its flag, without lines (not known).
    const v4 = decodeSnapshot(JSON.stringify([4, ...good.slice(1, 15)]));
    expect(v4).not.toHaveProperty("shippingAddressKey");
    expect(v4).toHaveProperty("b2b", false);
    expect(v4).not.toHaveProperty("lineAmounts");
    const withLines = [...good];
    withLines[15] = [
      ["gid://shopify/Product/1", "108000"],
      [null, "-5"],
    ];
    expect(decodeSnapshot(JSON.stringify(withLines)).lineAmounts).toEqual([
      { productGid: "gid://shopify/Product/1", amountMilli: 108_000n },
      { productGid: null, amountMilli: -5n },
    ]);
    withLines[15] = [["gid://shopify/Product/1", "1.5"]];
    expect(() => decodeSnapshot(JSON.stringify(withLines))).toThrow(/line/);
    const b2b = [...good];
    b2b[14] = true;
    expect(decodeSnapshot(JSON.stringify(b2b)).b2b).toBe(true);
    const fiveParts = [...good];
    fiveParts[8] = ["1000", "0", "0", "0", "0"];
    expect(() => decodeSnapshot(JSON.stringify(fiveParts))).toThrow(/parts/);
    const floatAmount = [...good];
    floatAmount[8] = ["10.5", "0", "0", "0", "0", "0", "0"];
    expect(() => decodeSnapshot(JSON.stringify(floatAmount))).toThrow(/amount 10.5/);
    const numberAmount = [...good];
    numberAmount[8] = [1000, 0, 0, 0, 0, 0, 0];
    expect(() => decodeSnapshot(JSON.stringify(numberAmount))).toThrow(/amount 1000/);
    expect(() => decodeSnapshot(JSON.stringify(good.slice(0, 11)))).toThrow(/not readable/);
  });
});
