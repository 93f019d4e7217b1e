/**
 * Installing Regulars: the embedded admin's first load exchanges its session
 * token for an offline token, and afterAuth records the shop and queues the
 * setup on Shopify (shop details, metafield definitions, program facts) as a
 * job. afterAuth runs on every token exchange, about hourly with expiring
 * offline tokens, during a page load: it calls no Admin API, and queues the
 * setup again only for a reinstall or a change of the granted scopes.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  API_KEY,
  API_SECRET_KEY,
  APP_URL,
  RequestType,
  TEST_SHOP,
  setUpValidRequest,
} from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { jobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobWorker } from "~/jobs/worker.server";
import { loader as appLoader } from "~/routes/app";
import { sessionStorage } from "~/shopify.server";
import { recordScopesUpdate } from "~/services/shops/shop-lifecycle.server";
import { offlineAdmin } from "~/shopify/admin-api/offline-admin.server";
import { offlineTokens } from "~/shopify/sessions/offline-tokens.server";
import type { ShopDetails } from "~/shopify/admin-api/shop-details.server";
import { adminStandIn } from "../support/admin-stand-in";
import { startShopifyEdge, type EdgeOptions, type ShopifyEdge } from "../support/shopify-edge";

const SCOPES = "read_customers,read_orders,read_themes,write_app_proxy,write_customers,write_discounts";
const DEFINITION_KEYS = [
  "points",
  "pending_points",
  "tier",
  "tier_progress",
  "codes",
  "history",
  "referral_link",
  "store_credit",
];
let edge: ShopifyEdge | undefined;
let edgeOptions: EdgeOptions;

/** Shopify answering token exchange, and the shop's Admin API (its details, metafield definitions). */
function shopifyServing(details: Partial<ShopDetails>) {
  const shopify = adminStandIn({ shop: TEST_SHOP, details });
  edgeOptions = {
    shop: TEST_SHOP,
    apiKey: API_KEY,
    apiSecretKey: API_SECRET_KEY,
    scopes: SCOPES,
    answer: shopify.answer,
  };
  edge = startShopifyEdge(edgeOptions);
  return shopify;
}

/** Shopify answering token exchange only: its Admin API serves nothing (every query fails). */
function shopifyServingNothing() {
  edgeOptions = { shop: TEST_SHOP, apiKey: API_KEY, apiSecretKey: API_SECRET_KEY, scopes: SCOPES, data: {} };
  edge = startShopifyEdge(edgeOptions);
  return edge;
}

async function openAppAsMerchant(): Promise<Response | unknown> {
  const request = await setUpValidRequest(
    { type: RequestType.Admin, store: "test-shop", apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}/app`),
  );
  try {
    return await appLoader({ request, params: {}, context: {} });
  } catch (thrown) {
    return thrown;
  }
}

/** About an hour later: the offline token is about to expire, so the next load exchanges again. */
const tokenExpires = () =>
  prisma.session.update({
    where: { id: `offline_${TEST_SHOP}` },
    data: { expires: new Date(Date.now() + 60_000) },
  });

/** The app's worker, calling Shopify with the shop's stored offline token, as in production. */
const worker = () =>
  new JobWorker(
    jobs,
    jobHandlers({
      db: prisma,
      queue: jobs,
      adminFor: (shop) => offlineAdmin({ shop, tokens: offlineTokens }),
      now: () => new Date(),
    }),
  );

const waitingSetups = async () => {
  const rows = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${jobs.schema}.job
      WHERE name = 'shop-setup' AND data->>'shop' = $1 AND state IN ('created', 'retry')`,
    TEST_SHOP,
  );
  return Number(rows[0]!.n);
};

const setupStates = async () => {
  const rows = await prisma.$queryRawUnsafe<{ state: string; n: number }[]>(
    `SELECT state::text, count(*)::int AS n FROM ${jobs.schema}.job
      WHERE name = 'shop-setup' AND data->>'shop' = $1 GROUP BY state`,
    TEST_SHOP,
  );
  return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
};

const adminCalls = () => edge!.calls.filter((call) => call.url !== "/admin/oauth/access_token");

beforeEach(async () => {
  await prisma.$executeRawUnsafe(`DELETE FROM ${jobs.schema}.job`);
  await prisma.session.deleteMany();
  await prisma.program.deleteMany();
  await prisma.shop.deleteMany();
});
afterEach(() => edge?.restore());

describe("installing Regulars (token exchange + afterAuth)", () => {
  it("stores an expiring offline session, records the shop and queues its setup: the page load calls no Admin API", async () => {
    // GIVEN Shopify answers token exchange
    shopifyServing({ name: "Test Shop", currencyCode: "EUR", ianaTimezone: "Europe/Paris" });

    // WHEN the merchant opens the embedded app for the first time
    const result = await openAppAsMerchant();

    // THEN the loader succeeds with the app's key (English: the request names no locale; the time
    // zone comes with the setup's shop details)
    expect(result).toEqual({
      apiKey: API_KEY,
      appBridgeUrl: null,
      locale: { language: "en", tag: "en" },
      timeZone: null,
    });
    // AND an offline, expiring token was stored, encrypted: the row holds neither token
    const session = (await sessionStorage.loadSession(`offline_${TEST_SHOP}`))!;
    expect(session.accessToken).toBe(edge!.accessTokens[0]);
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.expires).not.toBeUndefined();
    const row = await prisma.session.findUniqueOrThrow({ where: { id: `offline_${TEST_SHOP}` } });
    expect(row.accessToken).not.toContain(session.accessToken!);
    expect(row.refreshToken).not.toContain(session.refreshToken!);
    // AND the shop was recorded as installed, with its granted scopes
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop).toMatchObject({ scopes: SCOPES, uninstalledAt: null, setupAt: null });
    expect(shop.installedAt).not.toBeNull();
    // AND the page load made one call to Shopify, the token exchange; the setup waits in its job
    expect(edge!.calls.map((call) => call.operationName ?? call.url)).toEqual(["/admin/oauth/access_token"]);
    expect(await waitingSetups()).toBe(1);
  });

  it("the setup job reads the shop's details, defines the metafields and sends the program's facts, once", async () => {
    const shopify = shopifyServing({
      name: "Test Shop",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Paris",
      shopifyPlus: false,
    });
    await openAppAsMerchant();

    // WHEN the worker runs what the install queued
    const report = await worker().drain();

    // THEN the shop has what Shopify said about it, and its setup is recorded for its scopes
    expect(report.failed).toBe(0);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop).toMatchObject({
      name: "Test Shop",
      currencyCode: "EUR",
      ianaTimezone: "Europe/Paris",
      shopifyPlus: false,
      setupScopes: SCOPES,
      setupError: null,
    });
    expect(shop.setupAt).not.toBeNull();
    expect(adminCalls().map((call) => call.operationName)).toEqual([
      "ShopDetails",
      ...Array(5).fill("CreateMemberMetafieldDefinition"),
      // the program-sync that follows: the program's facts on the app installation
      ...shopify.calls.slice(6).map((call) => call.operation),
    ]);
    expect(shopify.calls.slice(6).length).toBeGreaterThan(0);
    // AND the $app:loyalty customer metafields are defined, readable by the storefront
    const definitions = shopify.metafieldDefinitions;
    expect(definitions.map((d) => d.key)).toEqual(DEFINITION_KEYS);
    // (toMatchObject: graphql-js adds the schema's input defaults, as Shopify's server would)
    expect(definitions[0]).toMatchObject({
      key: "points",
      name: "Loyalty points",
      type: "number_integer",
      namespace: "$app:loyalty",
      ownerType: "CUSTOMER",
      access: { storefront: "PUBLIC_READ" },
    });
  });

  it("a second token exchange (the token expiring an hour later) calls no Admin API and queues nothing", async () => {
    shopifyServing({ name: "Test Shop" });
    await openAppAsMerchant();
    await worker().drain();
    const callsBefore = edge!.calls.length;

    // WHEN the token is about to expire and the merchant opens the app again
    await tokenExpires();
    await openAppAsMerchant();

    // THEN a new token was exchanged (afterAuth ran) ...
    const since = edge!.calls.slice(callsBefore);
    expect(since.map((call) => call.url)).toEqual(["/admin/oauth/access_token"]);
    expect(edge!.accessTokens).toHaveLength(2);
    // ... and nothing else: no setup queued, no job to run, no Admin API call
    expect(await waitingSetups()).toBe(0);
    expect((await worker().drain()).completed).toBe(0);
    expect(edge!.calls.slice(callsBefore).filter((call) => call.url !== "/admin/oauth/access_token")).toEqual(
      [],
    );
  });

  it("a change of the granted scopes runs the setup again, from the token exchange or from app/scopes_update", async () => {
    shopifyServing({ name: "Test Shop" });
    await openAppAsMerchant();
    await worker().drain();

    // WHEN the merchant granted read_all_orders and the next token exchange carries it
    edgeOptions.scopes = `${SCOPES},read_all_orders`;
    await tokenExpires();
    const before = adminCalls().length;
    await openAppAsMerchant();
    // THEN the page load still calls no Admin API, and the setup is queued and runs again
    expect(adminCalls().length).toBe(before);
    expect(await waitingSetups()).toBe(1);
    expect((await worker().drain()).failed).toBe(0);
    expect(adminCalls().slice(before)[0]!.operationName).toBe("ShopDetails");
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).setupScopes).toBe(
      `${SCOPES},read_all_orders`,
    );

    // WHEN app/scopes_update says it was revoked (no page load at all)
    await recordScopesUpdate(prisma, { shop: TEST_SHOP, scopes: SCOPES.split(",") });
    const afterRevoke = adminCalls().length;
    // THEN the reconcile job (every minute) finds the setup due and it runs again
    await jobs.send("reconcile", {});
    expect((await worker().drain()).failed).toBe(0);
    expect(adminCalls()[afterRevoke]!.operationName).toBe("ShopDetails");
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop.setupScopes).toBe(SCOPES);
    // AND once done, the reconcile job finds nothing more to set up
    const settled = adminCalls().length;
    await jobs.send("reconcile", {});
    await worker().drain();
    expect(adminCalls().length).toBe(settled);
  });

  it("still records the install when Shopify's Admin API fails; the setup job fails, says why, and is retried", async () => {
    // GIVEN an Admin API that serves no shop (the query resolves to an error)
    shopifyServingNothing();
    await openAppAsMerchant();
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop.installedAt).not.toBeNull();

    // (The new program's sync fails too, for the same reason.)
    expect((await worker().drain()).failed).toBeGreaterThan(0);
    const after = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(after).toMatchObject({ currencyCode: null, setupAt: null, setupScopes: null });
    expect(after.setupError).toMatch(/Admin API error: .*QueryRoot.shop/);
    // pg-boss keeps it for a retry with backoff
    expect(await setupStates()).toEqual({ retry: 1 });
    // AND the next token exchange, its setup still due, queues it again
    await tokenExpires();
    await openAppAsMerchant();
    expect(await setupStates()).toEqual({ retry: 1, created: 1 });
  });

  it("reinstalling clears the uninstall mark and sets the shop up again, with the same scopes", async () => {
    await prisma.shop.create({
      data: {
        domain: TEST_SHOP,
        scopes: SCOPES,
        installedAt: new Date("2025-01-01"),
        uninstalledAt: new Date("2025-06-01"),
        setupScopes: SCOPES,
        setupAt: new Date("2025-01-01"),
      },
    });
    const shopify = shopifyServing({
      name: "Back",
      currencyCode: "USD",
      ianaTimezone: "UTC",
      shopifyPlus: true,
    });
    // The definitions exist from the first install: Shopify answers TAKEN, which is fine.
    const definitions = shopify.metafieldDefinitions;
    for (const key of DEFINITION_KEYS) {
      definitions.push({ key, namespace: "$app:loyalty", ownerType: "CUSTOMER", type: "number_integer" });
    }
    await openAppAsMerchant();
    expect(await waitingSetups()).toBe(1);
    expect((await worker().drain()).failed).toBe(0);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect(shop.uninstalledAt).toBeNull();
    expect(shop.installedAt!.getTime()).toBeGreaterThan(new Date("2025-06-01").getTime());
    expect(shop.shopifyPlus).toBe(true);
    expect(shop.setupAt!.getTime()).toBeGreaterThan(new Date("2025-06-01").getTime());
    expect(definitions).toHaveLength(DEFINITION_KEYS.length);
    expect(shopify.calls.filter((c) => c.operation === "CreateMemberMetafieldDefinition")).toHaveLength(
      DEFINITION_KEYS.length,
    );
  });

  it("a forged session token gets no session and no shop", async () => {
    shopifyServingNothing();
    const request = await setUpValidRequest(
      { type: RequestType.Admin, store: "test-shop", apiKey: API_KEY, apiSecretKey: "forged-secret" },
      new Request(`${APP_URL}/app`),
    );
    const result = await appLoader({ request, params: {}, context: {} }).catch((thrown: unknown) => thrown);
    expect(result).toBeInstanceOf(Response);
    expect([401, 302]).toContain((result as Response).status);
    expect(await prisma.session.count()).toBe(0);
    expect(await prisma.shop.count()).toBe(0);
    expect(edge!.calls).toEqual([]);
  });
});
