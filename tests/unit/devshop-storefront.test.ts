/**
 * devshop's online store is as strict as Shopify's:
 * - the app proxy answers only where it is on the shop (the merchant can move
 *   it to another prefix and sub path), and sends that path_prefix;
 * - pages under a locale prefix (/fr/...) are rendered in that language with
 *   `routes` under the prefix, app proxy requests included;
 * - a block with `available_if` is rendered only while its app metafield is a
 *   boolean set to true;
 * - a page loads the extension's assets only where one of its blocks renders.
 * The app behind the proxy is a stub that records what reaches it.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { programMetafields } from "~/shopify/admin-api/program-metafields.server";
import { startDevshop, type Devshop } from "../../devshop/server";
import type { ShopState } from "../../devshop/state";

const SHOP = "storefront-unit.myshopify.com";
const APP = { apiKey: "storefront-unit-key", apiSecret: "storefront-unit-secret" };

let app: Server;
let devshop: Devshop;
let shop: ShopState;
/** What reached the app: path and query of each proxied request. */
const reached: URL[] = [];
/** What the app stub answers next: JSON by default. */
let answer: { type: string; body: string } = { type: "application/json", body: '{"ok":true}' };

beforeAll(async () => {
  app = createServer((req, res) => {
    reached.push(new URL(req.url ?? "/", "http://app.local"));
    res.writeHead(200, { "Content-Type": answer.type }).end(answer.body);
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  devshop = await startDevshop({
    app: APP,
    appUrl: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
  });
  shop = devshop.addShop(SHOP, "Storefront Unit");
  shop.theme = { embedActive: true, blockAdded: true };
  // Installed with the toml's scopes: Shopify has an app proxy only for an app granted write_app_proxy.
  shop.installation.installed = true;
  shop.installation.scopes = devshop.config.scopes;
});

afterAll(async () => {
  await devshop?.close();
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

beforeEach(() => {
  reached.length = 0;
  answer = { type: "application/json", body: '{"ok":true}' };
  delete shop.appProxy;
  for (const key of Object.keys(shop.metafields)) delete shop.metafields[key];
});

const get = (path: string) => fetch(`${devshop.url}${path}`);
const moveProxy = (body: Record<string, string>) =>
  fetch(`${devshop.url}/devshop/api/shops/${SHOP}/app-proxy`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

/** The program's app metafields as the app writes them. */
function programWritten(facts: Record<string, unknown> & { active: boolean }) {
  for (const field of programMetafields(shop.installation.id, facts)) {
    shop.metafields[`${field.ownerId}|${field.namespace}|${field.key}`] = {
      ...field,
      updatedAt: new Date().toISOString(),
    };
  }
}
const FACTS = { active: true, earnRate: "5", earnRateE4: 50000, tiers: [], rewards: [] };

describe("devshop's app proxy", () => {
  it("forwards the configured path with its path_prefix until the merchant moves it; then only the new one", async () => {
    expect((await get("/apps/regulars/status?format=html")).status).toBe(200);
    expect(reached.map((url) => url.pathname)).toEqual(["/proxy/status"]);
    expect(reached[0]!.searchParams.get("path_prefix")).toBe("/apps/regulars");
    expect(reached[0]!.searchParams.get("shop")).toBe(SHOP);
    expect(reached[0]!.searchParams.get("format")).toBe("html");

    expect((await moveProxy({ prefix: "community", subpath: "loyalty" })).status).toBe(200);
    reached.length = 0;
    expect((await get("/apps/regulars/status")).status).toBe(404);
    expect(reached).toEqual([]);
    expect((await get("/community/loyalty/status")).status).toBe(200);
    expect((await get("/fr/community/loyalty/redeem")).status).toBe(200);
    expect(reached.map((url) => [url.pathname, url.searchParams.get("path_prefix")])).toEqual([
      ["/proxy/status", "/community/loyalty"],
      ["/proxy/redeem", "/community/loyalty"],
    ]);
  });

  it("refuses a prefix Shopify does not offer and a sub path Shopify does not take", async () => {
    for (const bad of [
      { prefix: "shop", subpath: "loyalty" },
      { prefix: "apps", subpath: "admin" },
      { prefix: "apps", subpath: "x".repeat(31) },
      { prefix: "apps", subpath: "a/b" },
      { prefix: "apps", subpath: "" },
    ]) {
      expect((await moveProxy(bad)).status, JSON.stringify(bad)).toBe(422);
    }
    expect(shop.appProxy).toBeUndefined();
    expect((await moveProxy({ prefix: "a", subpath: "my_rewards-2" })).status).toBe(200);
    expect(shop.appProxy).toEqual({ prefix: "a", subpath: "my_rewards-2" });
  });

  it("renders a Liquid answer with the storefront's routes, under the locale's prefix", async () => {
    answer = {
      type: "application/liquid",
      body: '<a href="{{ routes.account_login_url }}">in</a> <a href="{{ routes.root_url }}">home</a>',
    };
    const french = await (await get("/fr/apps/regulars/status?format=html")).text();
    expect(french).toContain('<html lang="fr"');
    expect(french).toContain('<a href="/fr/account/login">in</a> <a href="/fr">home</a>');
    const english = await (await get("/apps/regulars/status?format=html")).text();
    expect(english).toContain('<a href="/account/login">in</a> <a href="/">home</a>');
    // Liquid's money filter takes cents and writes the shop's currency.
    answer = { type: "application/liquid", body: "<p>{{ 25000 | money }}</p>" };
    const money = await (await get("/apps/regulars/status?format=html")).text();
    expect(money).toContain("<p>€250.00</p>");
  });
});

describe("devshop's storefront pages", () => {
  it("a page under a locale prefix is in that language, with its links and the proxy under the prefix", async () => {
    programWritten(FACTS);
    const french = await (await get("/fr/")).text();
    expect(french).toContain('<html lang="fr"');
    expect(french).toContain("Se connecter");
    expect(french).toContain('href="/fr/account/login"');
    expect(french).toContain('data-proxy="/fr/apps/regulars"');
    expect(await (await get("/fr")).text()).toContain('<html lang="fr"');
    const english = await (await get("/")).text();
    expect(english).toContain("Sign in");
    expect(english).toContain('data-proxy="/apps/regulars"');
    // Not a language the store serves: not a locale prefix.
    expect((await get("/xx/")).status).toBe(404);
  });

  it("renders the Earn points block only while its available_if metafield is a boolean set to true", async () => {
    const earn = (html: string) => html.match(/class="[^"]*\bregulars-earn\b/g)?.length ?? 0;
    const products = Object.values(shop.products).filter((product) => !product.giftCard).length;
    programWritten(FACTS);
    expect(earn(await (await get("/")).text())).toBe(products);
    programWritten({ ...FACTS, active: false });
    expect(earn(await (await get("/")).text())).toBe(0);
    // Only the JSON facts, active inside them: not what available_if reads.
    delete shop.metafields[`${shop.installation.id}|loyalty|active`];
    shop.metafields[`${shop.installation.id}|loyalty|program`]!.value = JSON.stringify(FACTS);
    expect(earn(await (await get("/")).text())).toBe(0);
  });

  it("loads Regulars' script and stylesheet only on a page where one of its blocks renders", async () => {
    const assets = (html: string) => ({
      script: html.includes('src="/assets/regulars.js"'),
      stylesheet: html.includes('href="/assets/regulars.css"'),
    });
    programWritten(FACTS);
    expect(assets(await (await get("/")).text())).toEqual({ script: true, stylesheet: true });
    // No app embed, no block on the home page, no Earn points block on products: nothing of Regulars.
    shop.theme = { embedActive: false, blockAdded: false, productBlockAdded: false };
    try {
      expect(assets(await (await get("/")).text())).toEqual({ script: false, stylesheet: false });
      // The Earn points block alone brings them.
      shop.theme = { embedActive: false, blockAdded: false };
      expect(assets(await (await get("/")).text())).toEqual({ script: true, stylesheet: true });
    } finally {
      shop.theme = { embedActive: true, blockAdded: true };
    }
  });
});
