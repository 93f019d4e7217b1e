/**
 * devshop is held to Shopify's contract: its Admin GraphQL rejects what the
 * official schema rejects and fails loudly on what it does not serve; it
 * throttles by cost; discount codes are honoured only as Shopify would; its
 * app proxy signatures and webhook HMACs pass Shopify's own library; its
 * order webhooks parse with the app's parser to the amounts Shopify shows.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { validate, parse } from "graphql";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { eligibleAmount, NO_PARTS } from "~/loyalty/eligible";
import { parseOrderPayload, parseRefundPayload } from "~/shopify/payloads/order-payload";
import { fetchThemeState } from "~/shopify/admin-api/theme-settings.server";
import { AdminApi } from "../../devshop/admin-api";
import { adminSchema } from "../../devshop/admin-schema";
import { readAppConfig } from "../../devshop/app-config";
import { Commerce, DevshopError } from "../../devshop/commerce";
import { orderPayload, refundPayload } from "../../devshop/payloads";
import { matches, parseSearch, exactField } from "../../devshop/search-query";
import { DevshopState, type Order, type Refund, type ShopState } from "../../devshop/state";
import { startDevshop } from "../../devshop/server";
import { proxiedUrl } from "../../devshop/storefront";
import { FlowWorkflows } from "../../devshop/flow";
import { setTheme } from "../../devshop/theme-settings";
import { WebhookDelivery } from "../../devshop/webhooks";
import { devshopJobsClient } from "../support/devshop-network";
import { accessTokenEndpoint, sessionToken } from "../../devshop/tokens";

const SECRET = "devshop-test-secret";
const now = new Date("2026-06-01T12:00:00Z");

function shopWith(state: DevshopState): ShopState {
  const shop = state.ensureShop("unit-shop.myshopify.com", "Unit Shop");
  shop.installation.installed = true;
  for (const [title, price, giftCard] of [
    ["Hoodie", 6000, false],
    ["Socks", 2000, false],
    ["Gift card", 5000, true],
  ] as const) {
    const id = state.id();
    shop.products[id] = { id, title, price, giftCard };
  }
  return shop;
}

function setUp() {
  let clock = now;
  const state = DevshopState.open(null);
  const shop = shopWith(state);
  const sent: { topic: string; payload: unknown }[] = [];
  const commerce = new Commerce(
    state,
    (_shop, topic, payload) => sent.push({ topic, payload }),
    () => clock,
  );
  const api = new AdminApi(
    state,
    () => clock,
    () => "http://127.0.0.1:1",
  );
  const products = Object.values(shop.products);
  return {
    state,
    shop,
    sent,
    commerce,
    api,
    products,
    advance: (ms: number) => (clock = new Date(clock.getTime() + ms)),
  };
}

describe("devshop Admin GraphQL", () => {
  it("rejects a document the official 2026-10 schema rejects, with Shopify's error shape", async () => {
    const { api, shop } = setUp();
    const query = "query Bad { shop { name nameThatDoesNotExist } }";
    expect(validate(adminSchema(), parse(query)).length).toBeGreaterThan(0);
    const answer = await api.run(shop, { query });
    const body = answer.body as {
      errors: { message: string; extensions: { code: string } }[];
      data?: unknown;
    };
    expect(answer.status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors[0]!.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(body.errors[0]!.message).toContain("nameThatDoesNotExist");
  });

  it("serves the fields Regulars uses and fails by name on one it does not serve", async () => {
    const { api, shop } = setUp();
    const served = await api.run(shop, {
      query: "query S { shop { name currencyCode plan { shopifyPlus } } }",
    });
    expect(served.body).toMatchObject({
      data: { shop: { name: "Unit Shop", currencyCode: "EUR", plan: { shopifyPlus: false } } },
      extensions: { cost: { throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } } },
    });
    const unserved = await api.run(shop, { query: "query U { shop { billingAddress { city } } }" });
    expect((unserved.body as { errors: { message: string }[] }).errors[0]!.message).toBe(
      "devshop does not serve Shop.billingAddress",
    );
  });

  it("throttles by cost: a bucket of 2,000 restored at 100 a second", async () => {
    const { api, shop, advance } = setUp();
    // 250 customers of 1 point each, plus the connection: about 252 points a query.
    const query = "query C { customers(first: 250) { edges { node { id } } } }";
    const outcomes: string[] = [];
    for (let i = 0; i < 9; i++) {
      const body = (await api.run(shop, { query })).body as { errors?: { extensions: { code: string } }[] };
      outcomes.push(body.errors?.[0]?.extensions.code ?? "ok");
    }
    expect(outcomes.slice(0, 7)).toEqual(Array(7).fill("ok"));
    expect(outcomes.at(-1)).toBe("THROTTLED");
    advance(5_000);
    const after = (await api.run(shop, { query })).body as { errors?: unknown };
    expect(after.errors).toBeUndefined();
  });

  it("plays queued faults: THROTTLED, then a 429 with Retry-After, then a 502, then a normal answer", async () => {
    const { api, shop } = setUp();
    api.queueFault(shop.domain, "throttled", "429", "5xx");
    const query = "query S { shop { name } }";
    expect(
      ((await api.run(shop, { query })).body as { errors: { extensions: { code: string } }[] }).errors[0]!
        .extensions.code,
    ).toBe("THROTTLED");
    const tooMany = await api.run(shop, { query });
    expect(tooMany).toMatchObject({ status: 429, headers: { "Retry-After": "2.0" } });
    expect((await api.run(shop, { query })).status).toBe(502);
    expect((await api.run(shop, { query })).body).toMatchObject({ data: { shop: { name: "Unit Shop" } } });
  });

  it("serves the main theme's files a page at a time, section groups included, and the app reads them all", async () => {
    const { api, shop } = setUp();
    const admin = devshopJobsClient(api, shop);
    const pages = () => api.log.filter((call) => call.operation === "MainThemeFiles").length;
    // GIVEN the embed on and the loyalty block in the header group only
    setTheme(shop, { embedActive: "true", blockIn: "sections/header-group.json" });
    expect(await fetchThemeState(admin)).toMatchObject({ embedActive: true, blockAdded: true });
    // AND a theme of 120 alternate product templates with the block in the search template, which
    // comes after them: 142 files, 50 a page
    setTheme(shop, { extraTemplates: "120", blockIn: "templates/search.json" });
    const before = pages();
    expect(await fetchThemeState(admin)).toMatchObject({ embedActive: true, blockAdded: true });
    expect(pages() - before).toBe(3);
    // AND with the block removed, every page is read and it is not there
    setTheme(shop, { blockIn: "none" });
    expect(await fetchThemeState(admin)).toMatchObject({ embedActive: true, blockAdded: false });
    // AND a block in a file the theme does not have is refused, changing nothing
    expect(() => setTheme(shop, { blockIn: "templates/nope.json" })).toThrow(DevshopError);
    expect(() => setTheme(shop, { extraTemplates: "-1" })).toThrow(DevshopError);
    expect(shop.theme).toMatchObject({ blockAdded: false, extraTemplates: 120 });
  });

  it("keeps codes unique per shop, case-insensitively, and refuses unknown customers", async () => {
    const { api, shop, commerce } = setUp();
    const customer = commerce.createCustomer(shop, { email: "a@example.com", firstName: "A", lastName: "B" });
    const create = (code: string, customerGid: string) =>
      api.run(shop, {
        query:
          "mutation M($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) { codeDiscountNode { id } userErrors { field code message } } }",
        variables: {
          input: {
            title: code,
            code,
            startsAt: now.toISOString(),
            endsAt: "2026-07-01T00:00:00Z",
            context: { customers: { add: [customerGid] } },
            customerGets: { value: { percentage: 0.1 }, items: { all: true } },
          },
        },
      });
    const first = (await create("RG-ABCD", `gid://shopify/Customer/${customer.id}`)).body as {
      data: { discountCodeBasicCreate: { userErrors: unknown[] } };
    };
    expect(first.data.discountCodeBasicCreate.userErrors).toEqual([]);
    const again = (await create("rg-abcd", `gid://shopify/Customer/${customer.id}`)).body as {
      data: { discountCodeBasicCreate: { userErrors: { code: string }[] } };
    };
    expect(again.data.discountCodeBasicCreate.userErrors[0]!.code).toBe("TAKEN");
    const stranger = (await create("RG-OTHER", "gid://shopify/Customer/999")).body as {
      data: { discountCodeBasicCreate: { userErrors: { message: string }[] } };
    };
    expect(stranger.data.discountCodeBasicCreate.userErrors[0]!.message).toBe("Customer does not exist");
    expect(Object.keys(shop.discounts)).toHaveLength(1);
  });
});

describe("devshop checkout honours a code only as Shopify would", () => {
  const code = (shop: ShopState, customerId: string, endsAt: string) => {
    shop.discounts["gid://shopify/DiscountCodeNode/1"] = {
      id: "gid://shopify/DiscountCodeNode/1",
      code: "RG-1234",
      kind: "basic",
      title: "5.00 off",
      startsAt: "2026-05-01T00:00:00Z",
      endsAt,
      customerIds: [customerId],
      usageLimit: 1,
      appliesOncePerCustomer: true,
      percentage: null,
      amount: 500,
      minimumSubtotal: null,
      usedBy: [],
      createdAt: "2026-05-01T00:00:00Z",
    };
  };

  it("refuses another customer, an expired code and a used one; applies it once to its customer", () => {
    const { shop, commerce, products } = setUp();
    const owner = commerce.createCustomer(shop, {
      email: "owner@example.com",
      firstName: "O",
      lastName: "W",
    });
    const other = commerce.createCustomer(shop, {
      email: "other@example.com",
      firstName: "X",
      lastName: "Y",
    });
    const lines = [{ productId: products[0]!.id, quantity: 1 }];
    code(shop, owner.id, "2026-05-15T00:00:00Z");
    expect(() => commerce.placeOrder(shop, { customerId: owner.id, lines, discountCode: "RG-1234" })).toThrow(
      /expired/,
    );
    code(shop, owner.id, "2026-07-01T00:00:00Z");
    expect(() => commerce.placeOrder(shop, { customerId: other.id, lines, discountCode: "RG-1234" })).toThrow(
      /not valid for this customer/,
    );
    const order = commerce.placeOrder(shop, { customerId: owner.id, lines, discountCode: "rg-1234" });
    expect(order.discountCodes).toEqual([{ code: "RG-1234", amount: 500, type: "fixed_amount" }]);
    expect(shop.discounts["gid://shopify/DiscountCodeNode/1"]!.usedBy).toEqual([
      { orderId: order.id, customerId: owner.id },
    ]);
    expect(() => commerce.placeOrder(shop, { customerId: owner.id, lines, discountCode: "RG-1234" })).toThrow(
      DevshopError,
    );
  });
});

describe("devshop's webhooks and payloads", () => {
  it("produces order and refund bodies the app parses to Shopify's amounts", () => {
    const { shop, commerce, products, sent } = setUp();
    const customer = commerce.createCustomer(shop, { email: "p@example.com", firstName: "P", lastName: "Q" });
    const [hoodie, socks, giftCard] = products;
    const order = commerce.placeOrder(shop, {
      customerId: customer.id,
      lines: [
        { productId: hoodie!.id, quantity: 2 },
        { productId: socks!.id, quantity: 1 },
        { productId: giftCard!.id, quantity: 1 },
      ],
      shipping: 800,
      taxRate: 0.06,
    });
    expect(sent.map((s) => s.topic)).toEqual(["customers/create", "orders/paid", "orders/updated"]);
    const paid = parseOrderPayload(JSON.parse(JSON.stringify(orderPayload(shop, order))));
    // 2 x 60.00 + 20.00 merchandise, 50.00 gift card, 8.00 shipping, 6% tax on 140.00.
    expect(paid.gross).toEqual({
      ...NO_PARTS,
      merchandise: 140_000n,
      giftCards: 50_000n,
      shipping: 8_000n,
      tax: 8_400n,
    });
    expect(paid.customer?.customerGid).toBe(`gid://shopify/Customer/${customer.id}`);

    const refund = commerce.refund(shop, order.id, {
      lines: [{ lineItemId: order.lines[0]!.id, quantity: 1 }],
    });
    const refunded = parseRefundPayload(JSON.parse(JSON.stringify(refundPayload(shop, order, refund))));
    expect(refunded.parts.merchandise).toBe(60_000n);
    expect(refunded.parts.tax).toBe(3_600n);
    const updated = parseOrderPayload(JSON.parse(JSON.stringify(orderPayload(shop, order))));
    // The order as edited before refunds is unchanged by the refund.
    expect(updated.gross.merchandise).toBe(140_000n);
    expect(updated.refunds).toHaveLength(1);
  });

  const parsedRefund = (shop: ShopState, order: Order, refund: Refund) =>
    parseRefundPayload(JSON.parse(JSON.stringify(refundPayload(shop, order, refund))));
  const parsedOrder = (shop: ShopState, order: Order) =>
    parseOrderPayload(JSON.parse(JSON.stringify(orderPayload(shop, order))));
  const none = { includeShipping: false, includeTax: false, includeTips: false, includeGiftCards: false };

  it("refunds an amount without line items as Shopify records it: an order adjustment and a transaction", () => {
    const { shop, commerce, products } = setUp();
    const customer = commerce.createCustomer(shop, { email: "a@example.com", firstName: "A", lastName: "B" });
    const order = commerce.placeOrder(shop, {
      customerId: customer.id,
      lines: [{ productId: products[0]!.id, quantity: 2 }],
      shipping: 800,
      taxRate: 0.06,
    });
    // 120.00 + 7.20 tax + 8.00 shipping = 135.20 paid
    const refund = commerce.refund(shop, order.id, { lines: [], amount: 2000 });
    const body = refundPayload(shop, order, refund);
    expect(body.refund_line_items).toEqual([]);
    expect(body.refund_shipping_lines).toEqual([]);
    expect(body.order_adjustments).toMatchObject([
      {
        amount: "-20.00",
        tax_amount: "0.00",
        amount_set: { shop_money: { amount: "-20.00", currency_code: "EUR" } },
      },
    ]);
    expect(body.order_adjustments[0]).not.toHaveProperty("kind"); // not sent since 2024-10
    expect(body.transactions).toMatchObject([{ kind: "refund", status: "success", amount: "20.00" }]);
    expect(parsedRefund(shop, order, refund).parts).toEqual({ ...NO_PARTS, byAmount: 20_000n });
    expect(order.financialStatus).toBe("partially_refunded");
    // the order's current amounts are those of its line items: an amount refund changes none
    expect(parsedOrder(shop, order).gross.merchandise).toBe(120_000n);
    // Shopify refuses to refund more than is left; a cancellation refunds only what is left
    expect(() => commerce.refund(shop, order.id, { lines: [], amount: 11_521 })).toThrow(DevshopError);
    expect(() => commerce.refund(shop, order.id, { lines: [], amount: 0 })).toThrow(DevshopError);
    commerce.cancel(shop, order.id);
    const last = order.refunds.at(-1)!;
    const lastBody = refundPayload(shop, order, last);
    expect(lastBody.transactions).toMatchObject([{ amount: "115.20" }]);
    // the lines (127.20) and shipping (8.00) refunded for 20.00 less: a discrepancy in the shop's favour
    expect(lastBody.order_adjustments).toMatchObject([{ amount: "20.00" }]);
    expect(order.financialStatus).toBe("refunded");
  });

  it("refunds shipping alone, in refund_shipping_lines only", () => {
    const { shop, commerce, products } = setUp();
    const order = commerce.placeOrder(shop, {
      customerId: null,
      lines: [{ productId: products[1]!.id, quantity: 1 }],
      shipping: 800,
      taxRate: 0.2,
      taxShipping: true,
    });
    const refund = commerce.refund(shop, order.id, { lines: [], shipping: true });
    const body = refundPayload(shop, order, refund);
    expect(body.order_adjustments).toEqual([]);
    expect(body.refund_shipping_lines).toMatchObject([
      { subtotal_amount_set: { shop_money: { amount: "8.00" } }, shipping_line: { price: "8.00" } },
    ]);
    // its tax (20% of 8.00) comes from the refunded shipping line's tax lines
    expect(parsedRefund(shop, order, refund).parts).toEqual({
      ...NO_PARTS,
      shipping: 8_000n,
      tax: 1_600n,
      shippingTax: 1_600n,
    });
    expect(() => commerce.refund(shop, order.id, { lines: [], shipping: true })).toThrow(/Nothing to refund/);
  });

  it("orders carry their shipping discounts and the tax on shipping; prices may include tax", () => {
    const { shop, commerce, products } = setUp();
    // prices include 19% VAT, shipping is taxed too, and 2.00 off shipping
    const order = commerce.placeOrder(shop, {
      customerId: null,
      lines: [{ productId: products[0]!.id, quantity: 1 }],
      shipping: 800,
      shippingDiscount: 200,
      taxRate: 0.19,
      taxesIncluded: true,
      taxShipping: true,
    });
    const body = orderPayload(shop, order);
    expect(body.taxes_included).toBe(true);
    expect(body.total_shipping_price_set.shop_money.amount).toBe("8.00");
    expect(body.shipping_lines).toMatchObject([
      {
        price: "8.00",
        discounted_price: "6.00",
        discount_allocations: [{ amount: "2.00" }],
        tax_lines: [{ price: "0.96", rate: 0.19 }],
      },
    ]);
    // 60.00 with 9.58 VAT; 6.00 shipping with 0.96: total 66.00, tax 10.54
    expect(body.total_price).toBe("66.00");
    expect(body.total_tax).toBe("10.54");
    const parsed = parsedOrder(shop, order);
    expect(eligibleAmount(parsed.gross, none, true)).toBe(50_420n);
    expect(eligibleAmount(parsed.gross, { ...none, includeShipping: true }, true)).toBe(55_460n);
    // a free-shipping code is a discount on the shipping line, not a shipping line of 0.00
    shop.discounts["gid://shopify/DiscountCodeNode/9"] = {
      id: "gid://shopify/DiscountCodeNode/9",
      code: "RG-SHIP",
      kind: "freeShipping",
      title: "Free shipping",
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: null,
      customerIds: [],
      usageLimit: null,
      appliesOncePerCustomer: false,
      percentage: null,
      amount: null,
      minimumSubtotal: null,
      usedBy: [],
      createdAt: "2026-01-01T00:00:00Z",
    };
    const free = commerce.placeOrder(shop, {
      customerId: null,
      lines: [{ productId: products[1]!.id, quantity: 1 }],
      shipping: 800,
      discountCode: "RG-SHIP",
    });
    expect(orderPayload(shop, free).shipping_lines).toMatchObject([
      { price: "8.00", discount_allocations: [{ amount: "8.00" }] },
    ]);
    expect(parsedOrder(shop, free).gross.shipping).toBe(0n);
  });

  const servers: { close(): void }[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));

  it("signs deliveries as Shopify does, retries a failure, and sends duplicates of one event", async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    let failFirst = true;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(failFirst ? 500 : 200).end();
        failFirst = false;
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { state, shop } = setUp();
    void state;
    const delivery = new WebhookDelivery({
      config: readAppConfig(),
      appUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiSecret: SECRET,
      clock: () => now,
      retryBaseMs: 10,
    });
    delivery.send(shop, "orders/paid", { id: 1 });
    await delivery.idle();
    expect(received).toHaveLength(2);
    const [first, retry] = received;
    expect(first!.headers["x-shopify-hmac-sha256"]).toBe(await getHmac(first!.body, SECRET));
    expect(first!.headers["x-shopify-topic"]).toBe("orders/paid");
    expect(first!.headers["x-shopify-shop-domain"]).toBe(shop.domain);
    expect(first!.headers["x-shopify-api-version"]).toBe(ADMIN_API_VERSION);
    expect(retry!.headers["x-shopify-webhook-id"]).toBe(first!.headers["x-shopify-webhook-id"]);

    delivery.switches.duplicates = 3;
    delivery.send(shop, "orders/paid", { id: 2 });
    await delivery.idle();
    const copies = received.slice(2);
    expect(copies).toHaveLength(3);
    expect(new Set(copies.map((c) => c.headers["x-shopify-event-id"])).size).toBe(1);
    expect(new Set(copies.map((c) => c.headers["x-shopify-webhook-id"])).size).toBe(3);
    expect(delivery.log.filter((d) => d.status === "delivered")).toHaveLength(4);
  });

  it("sends the compliance webhooks with Shopify's bodies, each topic its own keys", async () => {
    // The shapes Shopify's app template documents (https://github.com/Shopify/shopify-app-template-node/blob/main/web/privacy.js).
    const received: { topic: string; body: Record<string, unknown> }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({
          topic: String(req.headers["x-shopify-topic"]),
          body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
        });
        res.writeHead(200).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const devshop = await startDevshop({
      app: { apiKey: "key", apiSecret: SECRET },
      appUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });
    try {
      const shop = devshop.addShop("privacy-shop.myshopify.com", "Privacy Shop");
      shop.installation.installed = true;
      const customer = devshop.commerce.createCustomer(shop, {
        email: "ines@example.com",
        firstName: "Ines",
        lastName: "Carvalho",
      });
      const product = Object.values(shop.products)[0]!;
      const order = devshop.commerce.placeOrder(shop, {
        customerId: customer.id,
        lines: [{ productId: product.id, quantity: 1 }],
      });
      await devshop.webhooks.idle();
      received.length = 0;
      for (const topic of ["customers-data-request", "customers-redact", "shop-redact"]) {
        const res = await fetch(`${devshop.url}/devshop/api/shops/${shop.domain}/compliance/${topic}`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ customerId: customer.id }),
        });
        expect(res.status).toBe(200);
      }
      await devshop.webhooks.idle();
      const who = { id: Number(customer.id), email: "ines@example.com", phone: null };
      const byTopic = Object.fromEntries(received.map((r) => [r.topic, r.body]));
      expect(byTopic["customers/data_request"]).toEqual({
        shop_id: expect.any(Number),
        shop_domain: shop.domain,
        orders_requested: [Number(order.id)],
        customer: who,
        data_request: { id: expect.any(Number) },
      });
      expect(byTopic["customers/redact"]).toEqual({
        shop_id: expect.any(Number),
        shop_domain: shop.domain,
        customer: who,
        orders_to_redact: [Number(order.id)],
      });
      expect(byTopic["shop/redact"]).toEqual({ shop_id: expect.any(Number), shop_domain: shop.domain });
    } finally {
      await devshop.close();
    }
  });

  it("turns Flow workflows on and off with the lifecycle callback Shopify's library accepts; a refusal keeps it off", async () => {
    const api = shopifyApi({
      apiKey: "k",
      apiSecretKey: SECRET,
      apiVersion: ApiVersion.October26,
      hostName: "127.0.0.1",
      isEmbeddedApp: true,
      logger: { level: 0 },
    });
    const received: { path: string; body: string; valid: boolean }[] = [];
    let answer = 200;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString();
        void api.flow.validate({ rawBody: body, rawRequest: req, rawResponse: res }).then((result) => {
          received.push({ path: req.url ?? "", body, valid: result.valid });
          res.writeHead(answer).end();
        });
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { shop } = setUp();
    const flow = new FlowWorkflows({
      appUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiSecret: SECRET,
      clock: () => now,
    });
    // Turned on: Flow's callback, at the extension's url, signed as Shopify's library checks it.
    await flow.set(shop, "regulars-tier-changed", true);
    expect(flow.enabled(shop, "regulars-tier-changed")).toBe(true);
    expect(received).toEqual([{ path: "/flow/lifecycle", body: expect.any(String), valid: true }]);
    expect(JSON.parse(received[0]!.body)).toEqual({
      flow_trigger_definition_id: "regulars-tier-changed",
      has_enabled_flow: true,
      shop_id: 1,
      shopify_domain: shop.domain,
      timestamp: now.toISOString(),
    });
    // An app that does not answer 2xx keeps a workflow from being turned on.
    answer = 500;
    await expect(flow.set(shop, "regulars-points-earned", true)).rejects.toThrow(DevshopError);
    expect(flow.enabled(shop, "regulars-points-earned")).toBe(false);
    // Turning one off tells the app too, whatever it answers.
    await flow.set(shop, "regulars-tier-changed", false);
    expect(flow.enabled(shop, "regulars-tier-changed")).toBe(false);
    expect(JSON.parse(received.at(-1)!.body)).toMatchObject({ has_enabled_flow: false });
    // A trigger the app does not have is refused.
    await expect(flow.set(shop, "not-a-trigger", true)).rejects.toThrow(/no Flow trigger/);
    expect(flow.log.map((record) => [record.trigger, record.enabled, record.answer])).toEqual([
      ["regulars-tier-changed", true, 200],
      ["regulars-points-earned", true, 500],
      ["regulars-tier-changed", false, 500],
    ]);
  });

  it("runs the app's Flow actions as Flow does: signed as Shopify's library checks, held to the extension's fields", async () => {
    const api = shopifyApi({
      apiKey: "k",
      apiSecretKey: SECRET,
      apiVersion: ApiVersion.October26,
      hostName: "127.0.0.1",
      isEmbeddedApp: true,
      logger: { level: 0 },
    });
    const received: { path: string; body: string; valid: boolean }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString();
        void api.flow.validate({ rawBody: body, rawRequest: req, rawResponse: res }).then((result) => {
          received.push({ path: req.url ?? "", body, valid: result.valid });
          res.writeHead(200, { "Content-Type": "application/json" }).end('{"message":"ok"}');
        });
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { shop, commerce } = setUp();
    shop.installation.installed = true;
    const customer = commerce.createCustomer(shop, {
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "L",
    });
    const flow = new FlowWorkflows({
      appUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      apiSecret: SECRET,
      clock: () => now,
    });
    const run = await flow.runAction(shop, "regulars-award-points", {
      customerId: customer.id,
      values: { points: "50", reason: "Review" },
      actionRunId: "run-1",
    });
    // The runtime_url's path on the app, signed as Shopify's library checks it; the body as Flow writes it.
    expect(received).toEqual([{ path: "/flow/actions/award-points", body: expect.any(String), valid: true }]);
    expect(JSON.parse(received[0]!.body)).toEqual({
      shop_id: 1,
      shopify_domain: shop.domain,
      action_run_id: "run-1",
      handle: "regulars-award-points",
      properties: { customer_id: Number(customer.id), points: 50, reason: "Review" },
    });
    expect(run).toMatchObject({ status: 200, body: { message: "ok" }, actionRunId: "run-1" });
    // Sent again: the same run id. Without one: a new run each time.
    await flow.runAction(shop, "regulars-award-points", {
      customerId: customer.id,
      values: { points: 50, reason: "Review" },
      actionRunId: "run-1",
    });
    const fresh = await flow.runAction(shop, "regulars-award-points", {
      customerId: customer.id,
      values: { points: 5 },
    });
    expect(fresh.actionRunId).not.toBe("run-1");
    expect(flow.actionLog.map((r) => r.actionRunId).slice(0, 2)).toEqual(["run-1", "run-1"]);
    // Refused before anything is sent: a field the action lacks, a required one missing, a
    // number that is not whole, an unknown customer or action.
    const refused = [
      flow.runAction(shop, "regulars-award-points", {
        customerId: customer.id,
        values: { points: 5, bonus: 1 },
      }),
      flow.runAction(shop, "regulars-deduct-points", { customerId: customer.id, values: { points: 5 } }),
      flow.runAction(shop, "regulars-award-points", { customerId: customer.id, values: { points: "2.5" } }),
      flow.runAction(shop, "regulars-award-points", { customerId: "404", values: { points: 5 } }),
      flow.runAction(shop, "not-an-action", { customerId: customer.id, values: {} }),
    ];
    for (const attempt of refused) await expect(attempt).rejects.toThrow(DevshopError);
    expect(received).toHaveLength(3);
  });

  it("signs app proxy requests so Shopify's library accepts them, and a tampered one fails", async () => {
    const api = shopifyApi({
      apiKey: "k",
      apiSecretKey: SECRET,
      apiVersion: ApiVersion.October26,
      hostName: "127.0.0.1",
      isEmbeddedApp: true,
      logger: { level: 0 },
    });
    const url = new URL(
      proxiedUrl({
        config: readAppConfig(),
        appUrl: "http://127.0.0.1:1",
        apiSecret: SECRET,
        shop: "unit-shop.myshopify.com",
        customerId: "42",
        rest: "status",
        search: new URLSearchParams("format=html&tag=a&tag=b"),
        now: new Date(),
      }),
    );
    expect(url.pathname).toBe("/proxy/status");
    const query = Object.fromEntries(url.searchParams) as Record<string, string>;
    query.tag = url.searchParams.getAll("tag").join(",");
    await expect(api.utils.validateHmac(query as never, { signator: "appProxy" })).resolves.toBe(true);
    await expect(
      api.utils.validateHmac({ ...query, logged_in_customer_id: "43" } as never, { signator: "appProxy" }),
    ).resolves.toBe(false);

    // A storefront URL that names a parameter Shopify adds: forwarded with both values, as Shopify
    // forwards the URL's query and adds its own; the library accepts the signature of the pair.
    const twice = new URL(
      proxiedUrl({
        config: readAppConfig(),
        appUrl: "http://127.0.0.1:1",
        apiSecret: SECRET,
        shop: "unit-shop.myshopify.com",
        customerId: null,
        rest: "status",
        search: new URLSearchParams("logged_in_customer_id=42"),
        now: new Date(),
      }),
    );
    expect(twice.searchParams.getAll("logged_in_customer_id")).toEqual(["42", ""]);
    await expect(api.utils.validateHmac(twice.searchParams, { signator: "appProxy" })).resolves.toBe(true);
  });

  it("parses Shopify's search syntax and refuses fields it cannot filter on", () => {
    const search = parseSearch(
      "processed_at:>='2026-01-01' AND (financial_status:paid OR financial_status:refunded) -test:true",
    );
    const fields = (status: string, test: string) => ({
      processed_at: () => true,
      financial_status: exactField(() => status),
      test: exactField(() => test),
    });
    expect(matches(search, fields("paid", "false"))).toBe(true);
    expect(matches(search, fields("pending", "false"))).toBe(false);
    expect(matches(search, fields("refunded", "true"))).toBe(false);
    expect(() => matches(parseSearch("vendor:acme"), {})).toThrow(
      'devshop cannot filter on search field "vendor"',
    );
  });
});

describe("devshop's offline tokens", () => {
  const app = { apiKey: "devshop-key", apiSecret: SECRET };
  const exchange = (state: DevshopState, shop: ShopState, at: Date) =>
    accessTokenEndpoint({
      app,
      params: {
        client_id: app.apiKey,
        client_secret: app.apiSecret,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: sessionToken(app, shop.domain, at),
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        expiring: "1",
      },
      shopFor: () => shop,
      shops: [shop],
      config: { scopes: "read_orders", optionalScopes: [] },
      now: at,
    });
  const refresh = (shop: ShopState, token: string, at: Date) =>
    accessTokenEndpoint({
      app,
      params: {
        client_id: app.apiKey,
        client_secret: app.apiSecret,
        grant_type: "refresh_token",
        refresh_token: token,
      },
      shopFor: () => shop,
      shops: [shop],
      config: { scopes: "read_orders", optionalScopes: [] },
      now: at,
    });

  it("expire an hour after they are issued; a refresh token works once; none is granted once uninstalled", () => {
    const state = DevshopState.open(null);
    const shop = state.ensureShop("tokens.myshopify.com", "Tokens");
    const issued = exchange(state, shop, now);
    expect(issued.status).toBe(200);
    const {
      access_token: token,
      refresh_token: refreshToken,
      expires_in,
    } = issued.body as Record<string, string>;
    expect(expires_in).toBe(3600);
    // Live for an hour on devshop's clock, then refused.
    expect(state.shopForAccessToken(token!, new Date(now.getTime() + 3_599_000))).toBe(shop);
    expect(state.shopForAccessToken(token!, new Date(now.getTime() + 3_601_000))).toBeNull();
    // A refresh gives a new token; the same refresh token twice does not.
    const later = new Date(now.getTime() + 2 * 3_600_000);
    const renewed = refresh(shop, refreshToken!, later);
    expect(renewed.status).toBe(200);
    expect(state.shopForAccessToken(String(renewed.body.access_token), later)).toBe(shop);
    expect(refresh(shop, refreshToken!, later)).toEqual({ status: 400, body: { error: "invalid_grant" } });
    // Uninstalled: the refresh token it still holds is refused.
    shop.installation.installed = false;
    expect(refresh(shop, String(renewed.body.refresh_token), later)).toEqual({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });
});
