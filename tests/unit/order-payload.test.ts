import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { eligibleAmount } from "~/loyalty/eligible";
import { parseLosslessJson } from "~/shopify/lossless-json";
import {
  parseCustomerPayload,
  parseOrderPayload,
  parseRefundPayload,
  PayloadError,
} from "~/shopify/order-payload";

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

  it("reads an order in shop money, without gift cards, shipping and tax", () => {
    const order = parseOrderPayload(fixture("orders-paid"));
    expect(order.orderGid).toBe("gid://shopify/Order/6817362940512877913");
    expect(order.currency).toBe("EUR");
    expect(order.customer?.customerGid).toBe("gid://shopify/Customer/7302485617390244561");
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
