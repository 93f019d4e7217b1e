/**
 * The Past orders page: start a backfill (validated dates, one at a time,
 * queued as a job), see progress, cancel; another shop can neither see nor
 * drive it. Orders older than 60 days need read_all_orders, an optional
 * scope: Shopify is asked whether it is granted before such a backfill starts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, API_SECRET_KEY, APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { jobs } from "~/jobs.server";
import { action, loader } from "~/routes/app.backfill";
import { strings } from "~/admin/strings";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { adminStandIn, allOrdersScopes, requiredScopes } from "../support/admin-stand-in";
import { storeOfflineSession } from "../support/sessions";
import { startShopifyEdge, type ShopifyEdge } from "../support/shopify-edge";

const OTHER = "other-backfill.myshopify.com";
const DAY = 86_400_000;
/** A day as the page sends it, `n` days before today (UTC). */
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
/** The scopes Shopify says it granted on TEST_SHOP (the test changes them). */
let granted: string[];
let edge: ShopifyEdge;

const post = async (fields: Record<string, string>, shop = TEST_SHOP) =>
  run(
    action,
    await adminFetch(
      "/app/backfill",
      {
        method: "POST",
        body: new URLSearchParams(fields).toString(),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      },
      shop,
    ),
  );

const queued = async (shop: string) => {
  const rows = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${jobs.schema}.job WHERE name = 'backfill' AND data->>'shop' = $1`,
    shop,
  );
  return Number(rows[0]!.n);
};

beforeEach(async () => {
  await prisma.backfillRun.deleteMany();
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_backfill", scope: "read_orders" });
  await storeOfflineSession(prisma, OTHER, { accessToken: "shpat_other", scope: "read_orders" });
  // TEST_SHOP's Shopify: the merchant granted access to all orders (a test takes it back).
  granted = allOrdersScopes();
  const shopify = adminStandIn({ shop: TEST_SHOP, accessToken: "shpat_backfill", grantedScopes: granted });
  edge = startShopifyEdge({
    shop: TEST_SHOP,
    apiKey: API_KEY,
    apiSecretKey: API_SECRET_KEY,
    scopes: granted.join(","),
    answer: shopify.answer,
    accessTokens: ["shpat_backfill"],
  });
});
afterEach(() => edge.restore());

describe("Past orders page", () => {
  it("needs a session token", async () => {
    expect((await run(loader, new Request(`${APP_URL}/app/backfill`))).status).not.toBe(200);
    const res = await run(action, new Request(`${APP_URL}/app/backfill`, { method: "POST" }));
    expect(res.status).not.toBe(200);
    expect(await prisma.backfillRun.count()).toBe(0);
  });

  it("starts a backfill for the chosen days (end day included) and queues its job; a second is refused", async () => {
    const res = await post({ intent: "start", from: "2025-01-01", to: "2025-12-31" });
    expect(res.status).toBe(200);
    const started = await prisma.backfillRun.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(started).toMatchObject({
      status: "PENDING",
      fromDate: new Date("2025-01-01T00:00:00Z"),
      toDate: new Date("2026-01-01T00:00:00Z"),
    });
    expect(await queued(TEST_SHOP)).toBeGreaterThan(0);
    // WHEN a second backfill is asked for while it runs THEN 409 and nothing new
    const again = await post({ intent: "start", from: "2024-01-01", to: "2024-12-31" });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe(strings.backfill.alreadyRunning);
    expect(await prisma.backfillRun.count({ where: { shop: TEST_SHOP } })).toBe(1);
    // AND the page shows it with its progress
    const page = await (await run(loader, await adminDocument("/app/backfill"))).json();
    expect(page.runs).toEqual([
      expect.objectContaining({
        id: started.id,
        from: "2025-01-01",
        to: "2025-12-31",
        active: true,
        ordersDone: 0,
      }),
    ]);
  });

  it("bad dates get field errors and write nothing", async () => {
    const jobsBefore = await queued(TEST_SHOP);
    const reversed = await post({ intent: "start", from: "2025-06-01", to: "2025-01-01" });
    expect(reversed.status).toBe(422);
    expect((await reversed.json()).fieldErrors).toEqual({ from: { code: "beforeEnd" } });
    const garbage = await post({ intent: "start", from: "yesterday", to: "2025-01-01" });
    expect(garbage.status).toBe(422);
    expect((await garbage.json()).fieldErrors).toEqual({ from: { code: "required" } });
    expect(await prisma.backfillRun.count()).toBe(0);
    expect(await queued(TEST_SHOP)).toBe(jobsBefore);
  });

  it("another shop cannot see or cancel the backfill (404); its owner can cancel it", async () => {
    await post({ intent: "start", from: "2025-01-01", to: "2025-12-31" });
    const mine = await prisma.backfillRun.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    // THEN the other shop's page lists nothing and its cancel is 404, changing nothing
    const theirs = await (await run(loader, await adminDocument("/app/backfill", OTHER))).json();
    expect(theirs.runs).toEqual([]);
    const res = await post({ intent: "cancel", runId: mine.id }, OTHER);
    expect(res.status).toBe(404);
    expect(await prisma.backfillRun.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      status: "PENDING",
      activeSlot: "active",
      cancelRequestedAt: null,
    });
    // AND the other shop may run its own backfill meanwhile (of recent orders: Shopify is not asked)
    expect((await post({ intent: "start", from: daysAgo(30), to: daysAgo(1) }, OTHER)).status).toBe(200);
    // AND the owner cancels: before Shopify is asked it stops at once
    const cancelled = await post({ intent: "cancel", runId: mine.id });
    expect(cancelled.status).toBe(200);
    expect(await prisma.backfillRun.findUniqueOrThrow({ where: { id: mine.id } })).toMatchObject({
      status: "CANCELLED",
      activeSlot: null,
    });
    expect((await post({ intent: "cancel", runId: mine.id })).status).toBe(409);
  });

  it("a backfill of the last 60 days starts without asking Shopify anything", async () => {
    granted.splice(0, granted.length, ...requiredScopes());
    // The page's earliest day without access to all orders: today and the 59 days before it.
    const page = await (await run(loader, await adminDocument("/app/backfill"))).json();
    expect(page).toMatchObject({ recentFrom: daysAgo(59), allOrders: false });
    const res = await post({ intent: "start", from: page.recentFrom, to: daysAgo(0) });
    expect(res.status).toBe(200);
    expect(edge.calls).toEqual([]);
    expect(await queued(TEST_SHOP)).toBeGreaterThan(0);
  });

  it("an older backfill without access to all orders is refused on 'from' and starts nothing; once granted, it starts", async () => {
    // GIVEN the merchant has not granted read_all_orders
    granted.splice(0, granted.length, ...requiredScopes());
    const jobsBefore = await queued(TEST_SHOP);
    // WHEN a backfill from a year ago is asked for
    const refused = await post({ intent: "start", from: daysAgo(365), to: daysAgo(0) });
    // THEN Shopify was asked, and the start is refused with a field error; nothing is written
    expect(refused.status).toBe(422);
    const body = await refused.json();
    expect(body.fieldErrors).toEqual({ from: { code: "allOrders", since: daysAgo(59) } });
    expect(edge.calls.map((call) => call.operationName)).toEqual(["GrantedScopes"]);
    expect(await prisma.backfillRun.count()).toBe(0);
    expect(await queued(TEST_SHOP)).toBe(jobsBefore);

    // WHEN the merchant grants it (App Bridge's permission grant modal) and starts again
    granted.push("read_all_orders");
    const started = await post({ intent: "start", from: daysAgo(365), to: daysAgo(0) });
    // THEN it starts, even before app/scopes_update told the app
    expect(started.status).toBe(200);
    expect(await prisma.backfillRun.count({ where: { shop: TEST_SHOP } })).toBe(1);
  });

  it("says whether access to all orders was granted, as the last token exchange or app/scopes_update said", async () => {
    await prisma.shop.create({ data: { domain: TEST_SHOP, scopes: requiredScopes().join(",") } });
    expect((await (await run(loader, await adminDocument("/app/backfill"))).json()).allOrders).toBe(false);
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { scopes: allOrdersScopes().join(",") } });
    expect((await (await run(loader, await adminDocument("/app/backfill"))).json()).allOrders).toBe(true);
  });
});
