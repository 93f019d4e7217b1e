/**
 * devshop holds the app to what Shopify grants: the toml's required scopes at
 * install and optional ones only once the merchant accepts a request (App
 * Bridge's scopes API), app/scopes_update on every change, the app proxy only
 * with write_app_proxy, orders older than 60 days only with read_all_orders,
 * and names, emails and phones only with protected customer data level 2.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseOrderPayload } from "~/shopify/payloads/order-payload";
import { AdminApi } from "../../devshop/admin-api";
import { readAppConfig } from "../../devshop/app-config";
import { Commerce } from "../../devshop/commerce";
import { scopeList } from "../../devshop/scopes";
import { startDevshop, type Devshop } from "../../devshop/server";
import { DevshopState, gid, type ShopState } from "../../devshop/state";
import { sessionToken } from "../../devshop/tokens";

const APP = { apiKey: "scopes-key", apiSecret: "scopes-secret" };
const SHOP = "scopes-shop.myshopify.com";
const DAY = 86_400_000;
const config = readAppConfig();
const REQUIRED = scopeList(config.scopes);

let devshop: Devshop | undefined;
let app: Server | undefined;
afterEach(async () => {
  await devshop?.close();
  await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
  devshop = app = undefined;
});

/** The app's side: records what Shopify sends it (webhooks, proxied storefront requests). */
async function appRecorder() {
  const received: { path: string; topic: string | null; body: string }[] = [];
  app = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({
        path: new URL(req.url ?? "/", "http://app").pathname,
        topic: (req.headers["x-shopify-topic"] as string | undefined) ?? null,
        body,
      });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => app!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(app.address() as AddressInfo).port}`, received };
}

async function started() {
  const recorder = await appRecorder();
  devshop = await startDevshop({ app: APP, appUrl: recorder.url });
  const shop = devshop.addShop(SHOP, "Scopes Shop");
  return { devshop, shop, received: recorder.received };
}

const tokenExchange = async (url: string) =>
  (await (
    await fetch(`${url}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        client_id: APP.apiKey,
        client_secret: APP.apiSecret,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: sessionToken(APP, SHOP, new Date()),
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        expiring: "1",
      }),
    })
  ).json()) as { scope: string };

/** What the admin frame sends for App Bridge's shopify.scopes.request/revoke. */
const scopesCall = (url: string, body: Record<string, unknown>) =>
  fetch(`${url}/admin/app-scopes`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ shop: SHOP, ...body }),
  });

describe("devshop's access scopes, as Shopify-managed installation grants them", () => {
  it("installs with the required scopes only; an accepted request adds read_all_orders, tells the app, and lasts", async () => {
    const { devshop, received } = await started();
    // WHEN the app is installed (token exchange) THEN its token carries the required scopes only
    expect(scopeList((await tokenExchange(devshop.url)).scope).sort()).toEqual([...REQUIRED].sort());
    expect(await (await fetch(`${devshop.url}/admin/app-scopes?shop=${SHOP}`)).json()).toEqual({
      granted: REQUIRED,
      required: REQUIRED,
      optional: [
        "read_all_orders",
        "read_products",
        "read_store_credit_accounts",
        "write_store_credit_account_transactions",
      ],
    });

    // WHEN the merchant declines the request THEN nothing changes and the app hears nothing
    const declined = await scopesCall(devshop.url, {
      action: "request",
      scopes: ["read_all_orders"],
      accepted: false,
    });
    expect(await declined.json()).toMatchObject({ result: "declined-all", detail: { granted: REQUIRED } });
    await devshop.webhooks.idle();
    expect(received.filter((r) => r.topic === "app/scopes_update")).toEqual([]);

    // WHEN the merchant accepts it THEN the scope is granted and app/scopes_update says so
    const granted = await scopesCall(devshop.url, {
      action: "request",
      scopes: ["read_all_orders"],
      accepted: true,
    });
    expect(await granted.json()).toMatchObject({
      result: "granted-all",
      detail: { granted: [...REQUIRED, "read_all_orders"] },
    });
    await devshop.webhooks.idle();
    const updates = received.filter((r) => r.topic === "app/scopes_update");
    expect(updates).toHaveLength(1);
    expect(updates[0]!.path).toBe("/webhooks/app/scopes_update");
    expect(JSON.parse(updates[0]!.body)).toMatchObject({
      previous: REQUIRED,
      current: [...REQUIRED, "read_all_orders"],
      updated_at: expect.any(String),
    });
    // AND the next token exchange (about hourly) keeps it
    expect(scopeList((await tokenExchange(devshop.url)).scope)).toContain("read_all_orders");

    // A scope the app does not declare optional cannot be requested; a required one cannot be revoked.
    expect(
      (await scopesCall(devshop.url, { action: "request", scopes: ["write_orders"], accepted: true })).status,
    ).toBe(422);
    expect((await scopesCall(devshop.url, { action: "revoke", scopes: ["read_orders"] })).status).toBe(422);
    // Revoking the optional one is told to the app too.
    const revoked = await scopesCall(devshop.url, { action: "revoke", scopes: ["read_all_orders"] });
    expect(await revoked.json()).toMatchObject({ detail: { granted: REQUIRED } });
    await devshop.webhooks.idle();
    expect(received.filter((r) => r.topic === "app/scopes_update")).toHaveLength(2);

    // A reinstall starts again from the required scopes.
    devshop.grantScopes(SHOP, ["read_all_orders"]);
    await fetch(`${devshop.url}/devshop/api/shops/${SHOP}/uninstall`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(scopeList((await tokenExchange(devshop.url)).scope).sort()).toEqual([...REQUIRED].sort());
  });

  it("forwards the app proxy only while write_app_proxy is granted", async () => {
    const { devshop, shop, received } = await started();
    await tokenExchange(devshop.url);
    // WHEN a shopper's browser asks the store for the app proxy's path, with the toml's scopes granted
    const status = await fetch(`${devshop.url}/apps/regulars/status`);
    // THEN it reaches the app's /proxy routes
    expect(status.status).toBe(200);
    expect(received.map((r) => r.path)).toContain("/proxy/status");
    // WHEN the app was installed without write_app_proxy THEN Shopify has no proxy there: the store's 404
    shop.installation.scopes = REQUIRED.filter((scope) => scope !== "write_app_proxy").join(",");
    received.length = 0;
    expect((await fetch(`${devshop.url}/apps/regulars/status`)).status).toBe(404);
    expect(received).toEqual([]);
  });
});

function adminOn(now: Date) {
  const state = DevshopState.open(null);
  const shop = state.ensureShop(SHOP, "Scopes Shop");
  shop.installation.installed = true;
  shop.installation.scopes = config.scopes;
  const id = state.id();
  shop.products[id] = { id, title: "Hoodie", price: 6000, giftCard: false };
  const sent: { topic: string; payload: unknown }[] = [];
  const commerce = new Commerce(
    state,
    (_shop, topic, payload) => sent.push({ topic, payload }),
    () => now,
  );
  const api = new AdminApi(
    state,
    () => now,
    () => "http://127.0.0.1:1",
  );
  const run = async (shop: ShopState, query: string, variables: Record<string, unknown> = {}) =>
    (await api.run(shop, { query, variables })).body as { data: Record<string, unknown>; errors?: unknown[] };
  return { state, shop, commerce, run, sent, productId: id };
}

describe("orders older than 60 days, as Shopify shows them without read_all_orders", () => {
  it("orders, order and a bulk query see the last 60 days only, until read_all_orders is granted", async () => {
    const now = new Date("2026-06-01T12:00:00Z");
    const { shop, commerce, run, productId } = adminOn(now);
    const customer = commerce.createCustomer(shop, {
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "L",
    });
    const recent = commerce.placeOrder(shop, {
      customerId: customer.id,
      lines: [{ productId, quantity: 1 }],
      at: new Date(now.getTime() - 59 * DAY),
    });
    const old = commerce.placeOrder(shop, {
      customerId: customer.id,
      lines: [{ productId, quantity: 1 }],
      at: new Date(now.getTime() - 61 * DAY),
    });
    const ids = async () =>
      (
        (await run(shop, "query O { orders(first: 50) { nodes { id } } }")).data.orders as {
          nodes: { id: string }[];
        }
      ).nodes.map((n) => n.id);
    const single = async (id: string) =>
      (await run(shop, "query One($id: ID!) { order(id: $id) { id } }", { id: gid("Order", id) })).data.order;
    const bulk = async () => {
      const started = await run(
        shop,
        `mutation B($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id } userErrors { message } } }`,
        { query: "{ orders { edges { node { id } } } }" },
      );
      const id = (started.data.bulkOperationRunQuery as { bulkOperation: { id: string } }).bulkOperation.id;
      await new Promise((resolve) => setTimeout(resolve, 80));
      return shop.bulkOperations[id]!.lines.map((line) => (JSON.parse(line) as { id: string }).id);
    };

    // WITHOUT read_all_orders: only the order created within 60 days
    expect(await ids()).toEqual([gid("Order", recent.id)]);
    expect(await single(old.id)).toBeNull();
    expect(await single(recent.id)).toEqual({ id: gid("Order", recent.id) });
    expect(await bulk()).toEqual([gid("Order", recent.id)]);

    // WITH it: every order
    shop.installation.scopes = `${config.scopes},read_all_orders`;
    expect(await ids()).toEqual([gid("Order", recent.id), gid("Order", old.id)]);
    expect(await single(old.id)).toEqual({ id: gid("Order", old.id) });
    expect(await bulk()).toEqual([gid("Order", recent.id), gid("Order", old.id)]);
  });

  it("tells the app its granted scopes (currentAppInstallation.accessScopes)", async () => {
    const { shop, run } = adminOn(new Date("2026-06-01T12:00:00Z"));
    const answer = await run(shop, "query S { currentAppInstallation { accessScopes { handle } } }");
    expect(answer.data.currentAppInstallation).toEqual({
      accessScopes: REQUIRED.map((handle) => ({ handle })),
    });
  });
});

describe("protected customer data", () => {
  it("without level 2, names, emails and phones arrive null in webhooks and in Admin GraphQL", async () => {
    const now = new Date("2026-06-01T12:00:00Z");
    const { shop, commerce, run, sent, productId } = adminOn(now);
    shop.customerDataLevel = 1;
    const customer = commerce.createCustomer(shop, {
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      phone: "+15550100",
    });
    commerce.placeOrder(shop, { customerId: customer.id, lines: [{ productId, quantity: 1 }] });

    const created = sent.find((s) => s.topic === "customers/create")!.payload as Record<string, unknown>;
    expect(created).toMatchObject({
      id: Number(customer.id),
      email: null,
      first_name: null,
      last_name: null,
      phone: null,
    });
    const paid = sent.find((s) => s.topic === "orders/paid")!.payload as Record<string, unknown>;
    expect(paid).toMatchObject({
      email: null,
      contact_email: null,
      customer: { email: null, first_name: null },
    });
    // The app still reads the order: its customer is known by id.
    const parsed = parseOrderPayload(paid);
    expect(parsed.customer).toMatchObject({
      customerGid: gid("Customer", customer.id),
      email: null,
      firstName: null,
      lastName: null,
    });

    const answer = await run(
      shop,
      "query C($id: ID!) { customer(id: $id) { id email firstName lastName phone defaultEmailAddress { emailAddress } } }",
      { id: gid("Customer", customer.id) },
    );
    expect(answer.data.customer).toEqual({
      id: gid("Customer", customer.id),
      email: null,
      firstName: null,
      lastName: null,
      phone: null,
      defaultEmailAddress: null,
    });

    // WITH level 2 the same customer is named
    shop.customerDataLevel = 2;
    const named = await run(shop, "query C($id: ID!) { customer(id: $id) { firstName email } }", {
      id: gid("Customer", customer.id),
    });
    expect(named.data.customer).toEqual({ firstName: "Ada", email: "ada@example.com" });
  });
});
