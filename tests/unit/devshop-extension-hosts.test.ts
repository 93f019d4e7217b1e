/**
 * devshop's hosts for the UI extensions hold to what Shopify does:
 * - customer accounts need a signed-in customer; their session token is signed with the app's
 *   secret (Shopify's library accepts it), names the shop in `dest` and the customer in `sub`,
 *   and leaves `sub` out when the shop granted no protected customer data;
 * - the thank-you page's token names the order's buyer, and only the buyer (or a guest's order)
 *   shows the page;
 * - checkout takes a discount code from applyDiscountCodeChange only if paying with it would
 *   succeed, with Shopify's reason otherwise;
 * - a POS token names the staff member;
 * - a frame runs only a target some extension declares.
 */
import "@shopify/shopify-api/adapters/node";
import { shopifyApi } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { startDevshop, type Devshop } from "../../devshop/server";
import type { Customer, ShopState } from "../../devshop/state";

const SHOP = "hosts-unit.myshopify.com";
const APP = { apiKey: "hosts-unit-key", apiSecret: "hosts-unit-secret" };
const library = shopifyApi({
  apiKey: APP.apiKey,
  apiSecretKey: APP.apiSecret,
  hostName: "127.0.0.1",
  hostScheme: "http",
  apiVersion: ADMIN_API_VERSION,
  isEmbeddedApp: true,
  scopes: [],
  logger: { level: 0 },
});

let devshop: Devshop;
let shop: ShopState;
let buyer: Customer;
let other: Customer;

const as = (customer: Customer | null): RequestInit => ({
  headers: customer ? { Cookie: `devshop_customer=${customer.id}` } : ({} as Record<string, string>),
  redirect: "manual",
});
const claimsOf = async (path: string, customer: Customer | null) => {
  const answer = await fetch(`${devshop.url}${path}`, as(customer));
  expect(answer.status).toBe(200);
  const { token } = (await answer.json()) as { token: string };
  return library.session.decodeSessionToken(token);
};

beforeAll(async () => {
  devshop = await startDevshop({ app: APP, appUrl: "http://127.0.0.1:9" });
  shop = devshop.addShop(SHOP, "Hosts Unit");
  buyer = devshop.commerce.createCustomer(shop, { email: "b@example.com", firstName: "B", lastName: "Uyer" });
  other = devshop.commerce.createCustomer(shop, { email: "o@example.com", firstName: "O", lastName: "Ther" });
});

afterAll(async () => {
  await devshop?.close();
});

describe("customer accounts", () => {
  it("need a signed-in customer", async () => {
    expect((await fetch(`${devshop.url}/account`, as(null))).status).toBe(401);
    expect((await fetch(`${devshop.url}/account/session-token`, as(null))).status).toBe(401);
    const page = await fetch(`${devshop.url}/account`, as(buyer));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(
      'src="/account/extension?target=customer-account.profile.block.render"',
    );
  });

  it("sign the customer's session token as Shopify does, without `sub` when no protected data is granted", async () => {
    const claims = await claimsOf("/account/session-token", buyer);
    expect(claims).toMatchObject({ dest: SHOP, aud: APP.apiKey, sub: `gid://shopify/Customer/${buyer.id}` });
    expect(claims.exp - claims.iat).toBe(300);
    shop.customerDataLevel = 0;
    try {
      expect((await claimsOf("/account/session-token", buyer)).sub).toBeUndefined();
    } finally {
      delete shop.customerDataLevel;
    }
  });

  it("run only a target an extension declares, and an order only for its customer", async () => {
    const frame = await fetch(
      `${devshop.url}/account/extension?target=customer-account.page.render`,
      as(buyer),
    );
    expect(await frame.text()).toContain(
      '"script":"/extensions/customer-account-page/customer-account-page.js"',
    );
    expect((await fetch(`${devshop.url}/account/extension?target=nope.render`, as(buyer))).status).toBe(404);
    const hoodie = Object.values(shop.products)[0]!;
    const order = devshop.commerce.placeOrder(shop, {
      customerId: buyer.id,
      lines: [{ productId: hoodie.id, quantity: 1 }],
    });
    const target = "customer-account.order-status.block.render";
    const url = `${devshop.url}/account/extension?target=${target}&order=${order.id}`;
    expect((await fetch(url, as(buyer))).status).toBe(200);
    expect((await fetch(url, as(other))).status).toBe(404);
  });
});

describe("checkout and the thank-you page", () => {
  it("takes a code from applyDiscountCodeChange only if paying with it would succeed", async () => {
    const product = Object.values(shop.products).find((p) => !p.giftCard)!;
    const now = new Date().toISOString();
    shop.discounts["d1"] = {
      id: "d1",
      code: "BUYER-ONLY",
      kind: "basic",
      title: "5 off",
      startsAt: now,
      endsAt: null,
      customerIds: [buyer.id],
      usageLimit: 1,
      appliesOncePerCustomer: true,
      percentage: null,
      amount: 500,
      minimumSubtotal: null,
      usedBy: [],
      createdAt: now,
    };
    const check = async (code: string, customer: Customer) =>
      (await fetch(
        `${devshop.url}/checkout/discount?productId=${product.id}&quantity=1&code=${code}`,
        as(customer),
      ).then((r) => r.json())) as { type: string; message?: string };
    await expect(check("BUYER-ONLY", buyer)).resolves.toEqual({ type: "success" });
    await expect(check("BUYER-ONLY", other)).resolves.toEqual({
      type: "error",
      message: "Discount code BUYER-ONLY is not valid for this customer",
    });
    await expect(check("NO-SUCH-CODE", buyer)).resolves.toEqual({
      type: "error",
      message: "Discount code NO-SUCH-CODE is not valid",
    });
  });

  it("name the order's buyer in the thank-you page's token, and show the page to them only", async () => {
    const product = Object.values(shop.products)[0]!;
    const order = devshop.commerce.placeOrder(shop, {
      customerId: buyer.id,
      lines: [{ productId: product.id, quantity: 1 }],
    });
    expect((await claimsOf(`/checkout/session-token?order=${order.id}`, null)).sub).toBe(
      `gid://shopify/Customer/${buyer.id}`,
    );
    expect((await fetch(`${devshop.url}/thank-you/${order.id}`, as(buyer))).status).toBe(200);
    expect((await fetch(`${devshop.url}/thank-you/${order.id}`, as(other))).status).toBe(404);
    const guest = devshop.commerce.placeOrder(shop, {
      customerId: null,
      lines: [{ productId: product.id, quantity: 1 }],
    });
    expect((await claimsOf(`/checkout/session-token?order=${guest.id}`, null)).sub).toBeUndefined();
    expect((await fetch(`${devshop.url}/thank-you/${guest.id}`, as(null))).status).toBe(200);
  });
});

describe("POS", () => {
  it("signs the staff member's session token", async () => {
    const claims = await claimsOf("/pos/session-token", null);
    expect(claims).toMatchObject({ dest: SHOP, aud: APP.apiKey, sub: "1" });
    const home = await fetch(`${devshop.url}/pos?customer=${buyer.id}`);
    expect(await home.text()).toContain(`target=pos.home.tile.render&amp;cart=${buyer.id}`);
  });
});
