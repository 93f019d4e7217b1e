/**
 * The app proxy's trusted parameters, through devshop's storefront and
 * `npm start`'s server on the build. Shopify forwards the storefront URL's
 * query and adds shop, logged_in_customer_id, path_prefix, timestamp and
 * signature; a repeated key is signed with its values joined by commas
 * (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies,
 * Shopify/shopify-app-js packages/apps/shopify-api/lib/utils/hmac-validator.ts).
 * So a guest who opens /apps/regulars/status?logged_in_customer_id=<member>
 * makes Shopify forward a correctly signed request naming the member first:
 * the app must refuse it (400), not show the member's balance. Any request
 * naming shop, logged_in_customer_id, path_prefix, timestamp or signature
 * twice is refused, on every proxy route, and changes nothing.
 * Needs `npm run build`; runs in the e2e project (E2E=1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_APP } from "../../devshop/launch";
import type { Customer } from "../../devshop/state";
import { signProxyQuery } from "../../devshop/storefront";
import { privateBuild, startRealApp, type RealApp } from "../support/real-app";

const SHOP = "proxy-parameters.myshopify.com";
let build: ReturnType<typeof privateBuild>;
let real: RealApp;
let member: Customer;
let other: Customer;

/** The storefront's /apps/regulars/<path>, as a guest or a logged-in customer (devshop forwards it as Shopify does). */
const storefront = (path: string, customer?: Customer) =>
  fetch(`${real.devshop.url}/apps/regulars/${path}`, {
    headers: { Cookie: `devshop_shop=${SHOP}${customer ? `; devshop_customer=${customer.id}` : ""}` },
  });

beforeAll(async () => {
  build = privateBuild();
  real = await startRealApp({ shop: SHOP, buildDir: build.dir });
  const shop = real.devshop.state.shop(SHOP);
  member = real.devshop.commerce.createCustomer(shop, {
    email: "member@example.com",
    firstName: "Rich",
    lastName: "Member",
  });
  other = real.devshop.commerce.createCustomer(shop, {
    email: "other@example.com",
    firstName: "Other",
    lastName: "Shopper",
  });
  const hoodie = Object.values(shop.products).find((product) => product.title.includes("Hoodie"))!;
  real.devshop.commerce.placeOrder(shop, {
    customerId: member.id,
    lines: [{ productId: hoodie.id, quantity: 2 }],
  });
  await real.devshop.webhooks.idle();
  // 120.00 at 5 points per 1.00: the member's balance, once the app applied the order.
  for (const deadline = Date.now() + 30_000; ;) {
    const status = await (await storefront("status", member)).json();
    if (status.points === 600) break;
    if (Date.now() > deadline)
      throw new Error(`the member's points never reached 600: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}, 180_000);
afterAll(async () => {
  await real?.stop();
  build?.remove();
});

describe("a storefront URL naming logged_in_customer_id", () => {
  it("is refused for a guest (400), who never sees the member's balance", async () => {
    const res = await storefront(`status?logged_in_customer_id=${member.id}`);
    const body = await res.text();
    expect(res.status).toBe(400);
    expect(body).not.toContain("600");
  });

  it("is refused for another logged-in customer too, on every proxy route", async () => {
    for (const path of ["status", "status?format=html"]) {
      const res = await storefront(
        `${path}${path.includes("?") ? "&" : "?"}logged_in_customer_id=${member.id}`,
        other,
      );
      expect(res.status, path).toBe(400);
    }
    for (const [path, body] of [
      ["redeem", '{"rewardKey":"5-off","idempotencyKey":"hijack-key-1"}'],
      ["birthday", '{"month":7,"day":14}'],
    ] as const) {
      const res = await fetch(
        `${real.devshop.url}/apps/regulars/${path}?logged_in_customer_id=${member.id}`,
        {
          method: "POST",
          headers: {
            Cookie: `devshop_shop=${SHOP}; devshop_customer=${other.id}`,
            "Content-Type": "application/json",
          },
          body,
        },
      );
      expect(res.status, path).toBe(400);
    }
    // Nothing was spent or set on the member's behalf.
    const status = await (await storefront("status", member)).json();
    expect(status.points).toBe(600);
    expect(status.codes ?? []).toEqual([]);
  });

  it("naming path_prefix is refused too: the shop's proxy path stays Shopify's", async () => {
    const res = await storefront("status?path_prefix=/community/elsewhere", member);
    expect(res.status).toBe(400);
  });

  it("is harmless without it: the member sees their own balance", async () => {
    const res = await storefront("status", member);
    expect(res.status).toBe(200);
    expect((await res.json()).points).toBe(600);
  });
});

describe("a signed request naming a trusted parameter twice", () => {
  const signedTwice = (path: string, name: string, value: string) => {
    const query = new URLSearchParams();
    query.append(name, value);
    query.append("shop", SHOP);
    query.append("logged_in_customer_id", member.id);
    query.append("path_prefix", "/apps/regulars");
    query.append("timestamp", String(Math.trunc(Date.now() / 1000)));
    query.append("signature", signProxyQuery(query, DEMO_APP.apiSecret));
    return `${real.appUrl}/proxy/${path}?${query}`;
  };

  it("is refused with 400 by every proxy route, for shop, logged_in_customer_id, path_prefix, timestamp and signature", async () => {
    const twice: [string, string][] = [
      ["shop", SHOP],
      ["logged_in_customer_id", other.id],
      ["path_prefix", "/community/elsewhere"],
      ["timestamp", String(Math.trunc(Date.now() / 1000))],
      ["signature", "0".repeat(64)],
    ];
    for (const [name, value] of twice) {
      expect((await fetch(signedTwice("status", name, value))).status, `status, ${name}`).toBe(400);
      for (const [path, body] of [
        ["redeem", '{"rewardKey":"5-off","idempotencyKey":"twice-key-1"}'],
        ["birthday", '{"month":7,"day":14}'],
      ] as const) {
        const res = await fetch(signedTwice(path, name, value), {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body,
        });
        expect(res.status, `${path}, ${name}`).toBe(400);
      }
    }
    const status = await (await storefront("status", member)).json();
    expect(status.points).toBe(600);
  });
});
