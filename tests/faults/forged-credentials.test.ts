/**
 * Credentials Shopify would never issue, on every route that takes them
 * (listed from app/routes): forged webhook HMACs, forged, missing and stale
 * app proxy signatures, and session tokens signed with the wrong secret,
 * expired, not yet valid, for another app, unsigned or malformed. Each is
 * refused the way the Shopify library refuses it (webhooks 401, proxy 400,
 * App Bridge fetches 401, document loads a redirect to the session-token
 * bounce page that serves no data, Flow callbacks and action runs 400), and nothing
 * is written anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { jobs, withJobs } from "~/jobs.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { adminDocument, run } from "../support/admin-requests";
import { loadRoute, routeFiles, type RouteFile } from "../support/app-routes";
import { databaseWatch, type Fingerprint } from "../support/db-fingerprint";
import { rawFixture } from "../support/fixtures";
import { callProxy, proxyPost, proxyRequest, proxyRequestSignedAt } from "../support/proxy-requests";
import { documentWithToken, fetchWithToken, sessionToken } from "../support/session-tokens";
import { storeOfflineSession } from "../support/sessions";
import { shopifyForShop } from "../support/shopify-for-shop";
import type { ShopifyEdge } from "../support/shopify-edge";
import { callAction, webhookRequest } from "../support/webhooks";
import { callLifecycle, lifecycleRequest } from "../support/flow-callbacks";
import { FLOW_ACTION_PATHS, type FlowAction } from "~/loyalty/flow-actions";
import { actionRunBody, lifecycleCallbackBody } from "../../devshop/flow";
import { expectConsoleError } from "../setup/console";

const CUSTOMER_ID = "7302485617390244561";
const EMAIL = "forged.target@example.com";
/** A shop that installed the app too: its genuine tokens must not reach TEST_SHOP's rows. */
const OTHER_SHOP = "forged-other.myshopify.com";
const now = () => Math.trunc(Date.now() / 1000);

type Handler = (args: ActionFunctionArgs) => Promise<Response>;
interface Loaded {
  route: RouteFile;
  loader?: Handler;
  action?: Handler;
}
let routes: Loaded[];
let memberId: string;
let edge: ShopifyEdge;
let watch: Awaited<ReturnType<typeof databaseWatch>>;
let baseline: Fingerprint;

beforeAll(async () => {
  routes = await Promise.all(
    routeFiles().map(async (route) => {
      const module = await loadRoute(route);
      return {
        route,
        loader: module.loader as unknown as Handler | undefined,
        action: module.action as unknown as Handler | undefined,
      };
    }),
  );
  // GIVEN an installed shop with a member (points, an email), and another installed shop
  await prisma.shop.create({ data: { domain: TEST_SHOP, installedAt: new Date() } });
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_forged", scope: process.env.SCOPES! });
  await withJobs(() =>
    adjustPoints(
      prisma,
      TEST_SHOP,
      {
        customerGid: `gid://shopify/Customer/${CUSTOMER_ID}`,
        points: 5000,
        reason: "Seed",
        staffId: "s",
        idempotencyKey: "forged-seed-1",
      },
      new Date(),
    ),
  );
  await prisma.member.updateMany({ where: { shop: TEST_SHOP }, data: { email: EMAIL } });
  memberId = (await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP } })).id;
  ({ edge } = await shopifyForShop(prisma, OTHER_SHOP, "shpat_forged_other", process.env.SCOPES));
  // Each shop's first visit creates its default program (before the baseline).
  const member = routes.find(({ route }) => route.id === "app.customers.$memberId")!;
  await run(member.loader!, await adminDocument(`/app/customers/${memberId}`), { memberId });
  await run(member.loader!, await adminDocument("/app/customers/none", OTHER_SHOP), { memberId: "none" });
  watch = await databaseWatch(prisma, jobs.schema);
  baseline = await watch.take();
}, 60_000);
afterAll(() => edge?.restore());

/** Route params: TEST_SHOP's real ids where a route names one, so a forged request would find them. */
const paramsFor = (route: RouteFile) =>
  Object.fromEntries(
    [...route.urlPath.matchAll(/:(\w+)/g)].map(([, name]) => [name!, name === "memberId" ? memberId : "x"]),
  );
const pathFor = (route: RouteFile) =>
  route.urlPath.replace(/:(\w+)/g, (_, name: string) => paramsFor(route)[name]!);

const adminRoutes = () => routes.filter(({ route }) => route.id === "app" || route.id.startsWith("app."));

describe("session tokens Shopify never issued", () => {
  const forgeries: [string, () => Promise<string>][] = [
    ["signed with another secret", () => sessionToken({ secret: "not-the-app-secret" })],
    ["expired an hour ago", () => sessionToken({ claims: { exp: now() - 3600, nbf: now() - 7200 } })],
    ["not valid for another hour", () => sessionToken({ claims: { nbf: now() + 3600 } })],
    ["for another app (aud)", () => sessionToken({ claims: { aud: "someone-elses-api-key" } })],
    [
      "unsigned (alg none)",
      async () => {
        const [, payload] = (await sessionToken()).split(".");
        return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${payload}.`;
      },
    ],
    ["not a token", async () => "not.a.token"],
  ];

  it("every admin route (loaders, actions; documents and App Bridge fetches) refuses each one", async () => {
    const admin = adminRoutes();
    expect(admin.length).toBeGreaterThanOrEqual(8);
    for (const [what, forge] of forgeries) {
      const token = await forge();
      for (const { route, loader, action } of admin) {
        const path = pathFor(route);
        const params = paramsFor(route);
        const tried: Response[] = [];
        if (loader) {
          tried.push(await run(loader, documentWithToken(path, token), params));
          tried.push(await run(loader, fetchWithToken(path, token), params));
        }
        if (action) {
          const body = new URLSearchParams({
            intent: "adjust",
            points: "1000",
            reason: "forged",
            idempotencyKey: "forged-key-0001",
          });
          tried.push(await run(action, fetchWithToken(path, token, { method: "POST", body }), params));
        }
        for (const res of tried) {
          const where = `${what}: ${route.file} ${res.status}`;
          if (res.status === 302) expect(res.headers.get("Location"), where).toMatch(/\/auth\/session-token/);
          else expect(res.status, where).toBe(401);
          expect(await res.text(), where).not.toContain(EMAIL);
        }
      }
    }
    expect(await watch.changedSince(baseline)).toEqual([]);
  }, 120_000);

  it("a document load without any session token is sent to the bounce page, not served", async () => {
    for (const { route, loader } of adminRoutes()) {
      if (!loader) continue;
      const res = await run(loader, documentWithToken(pathFor(route), null), paramsFor(route));
      expect(res.status, route.file).toBe(302);
      expect(res.headers.get("Location"), route.file).toMatch(/\/auth\/session-token/);
    }
    expect(await watch.changedSince(baseline)).toEqual([]);
  });

  it("a genuine token of another shop acts as that shop: the URL's shop and its member are out of reach", async () => {
    const member = routes.find(({ route }) => route.id === "app.customers.$memberId")!;
    const res = await run(
      member.loader!,
      documentWithToken(`/app/customers/${memberId}`, await sessionToken({ shop: OTHER_SHOP }), TEST_SHOP),
      { memberId },
    );
    expect(res.status).toBe(404);
    const adjust = await run(
      member.action!,
      fetchWithToken(`/app/customers/${memberId}`, await sessionToken({ shop: OTHER_SHOP }), {
        method: "POST",
        body: new URLSearchParams({
          intent: "adjust",
          points: "1",
          reason: "other",
          idempotencyKey: "other-key-01",
        }),
      }),
      { memberId },
    );
    expect(adjust.status).toBe(404);
    // The genuine token of this shop, for contrast, is served.
    expect(
      (await run(member.loader!, await adminDocument(`/app/customers/${memberId}`), { memberId })).status,
    ).toBe(200);
    expect(await watch.changedSince(baseline)).toEqual([]);
  });
});

describe("session tokens Shopify never issued, at the shopper surfaces (/surfaces/*)", () => {
  // The library's extension helpers (authenticate.public.customerAccount, .checkout, .pos) check the
  // signature, exp and nbf, not the audience (checkAudience: false, as for every extension token):
  // a token is Shopify's for this app when it is signed with this app's secret.
  const forgeries: [string, () => Promise<string>][] = [
    [
      "signed with another secret",
      () =>
        sessionToken({
          secret: "not-the-app-secret",
          claims: { sub: `gid://shopify/Customer/${CUSTOMER_ID}` },
        }),
    ],
    [
      "expired an hour ago",
      () =>
        sessionToken({
          claims: { sub: `gid://shopify/Customer/${CUSTOMER_ID}`, exp: now() - 3600, nbf: now() - 7200 },
        }),
    ],
    [
      "not valid for another hour",
      () => sessionToken({ claims: { sub: `gid://shopify/Customer/${CUSTOMER_ID}`, nbf: now() + 3600 } }),
    ],
    [
      "unsigned (alg none)",
      async () => {
        const [, payload] = (
          await sessionToken({ claims: { sub: `gid://shopify/Customer/${CUSTOMER_ID}` } })
        ).split(".");
        return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${payload}.`;
      },
    ],
    ["not a token", async () => "not.a.token"],
  ];

  it("every surface route (loaders and actions) refuses each one with 401 and writes nothing", async () => {
    const surfaces = routes.filter(({ route }) => route.id.startsWith("surfaces."));
    expect(surfaces.length).toBeGreaterThanOrEqual(8);
    for (const [what, forge] of forgeries) {
      const token = await forge();
      for (const { route, loader, action } of surfaces) {
        const path = route.urlPath.replace(/:(\w+)/g, CUSTOMER_ID);
        const params = Object.fromEntries(
          [...route.urlPath.matchAll(/:(\w+)/g)].map(([, name]) => [name!, CUSTOMER_ID]),
        );
        for (const [handler, method] of [
          [loader, "GET"],
          [action, "POST"],
        ] as const) {
          if (!handler) continue;
          const body =
            method === "POST"
              ? JSON.stringify({
                  rewardKey: "5-off",
                  idempotencyKey: "forged-surface-1",
                  subtotal: { amount: "10.00", currencyCode: "EUR" },
                })
              : undefined;
          const res = await run(
            handler,
            fetchWithToken(path, token, { method, ...(body ? { body } : {}) }),
            params,
          );
          const where = `${what}: ${method} ${route.file}`;
          expect(res.status, where).toBe(401);
          expect(await res.text(), where).not.toContain(EMAIL);
        }
      }
    }
    expect(await watch.changedSince(baseline)).toEqual([]);
  }, 120_000);
});

describe("webhooks with a forged HMAC", () => {
  it("every webhook route answers 401 to a good body signed with another secret, and writes nothing", async () => {
    const webhooks = routes.filter(({ route }) => route.id.startsWith("webhooks."));
    expect(webhooks.length).toBeGreaterThanOrEqual(9);
    for (const { route, action } of webhooks) {
      const topic = route.urlPath === "/webhooks/compliance" ? "customers/redact" : route.urlPath.slice(10);
      const body =
        topic === "customers/redact"
          ? `{"shop_domain":"${TEST_SHOP}","customer":{"id":${CUSTOMER_ID}}}`
          : topic.startsWith("orders/") || topic.startsWith("customers/") || topic === "refunds/create"
            ? rawFixture(topic.replace("/", "-"))
            : `{"current":["read_orders"]}`;
      for (const secret of ["not-the-app-secret", ""]) {
        const request = webhookRequest({
          topic,
          shop: TEST_SHOP,
          body: null,
          rawBody: body,
          path: route.urlPath,
          secret,
        });
        const res = await callAction(action!, request);
        expect(res.status, `${route.file} secret "${secret}"`).toBe(401);
      }
    }
    expect(await watch.changedSince(baseline)).toEqual([]);
  });
});

describe("Flow requests with a forged HMAC", () => {
  it("every flow route answers 400 to a request signed with another secret, or unsigned, and writes nothing", async () => {
    expectConsoleError(/Received an invalid flow request/);
    const flows = routes.filter(({ route }) => route.id.startsWith("flow."));
    expect(flows.length).toBeGreaterThanOrEqual(4);
    const lifecycle = lifecycleCallbackBody({
      shop: TEST_SHOP,
      trigger: "regulars-points-earned",
      enabled: true,
      timestamp: new Date().toISOString(),
    });
    const handleOf = (urlPath: string) =>
      (Object.entries(FLOW_ACTION_PATHS) as [FlowAction, string][]).find(([, path]) => path === urlPath)?.[0];
    for (const { route, action } of flows) {
      const handle = handleOf(route.urlPath);
      // A run that would award points, for an action route; the callback for the lifecycle route.
      const body = handle
        ? actionRunBody({
            shop: TEST_SHOP,
            handle,
            actionRunId: "forged-run-1",
            properties: { customer_id: 7300000001, points: 1000, reason: "Forged", reward: "5-off" },
          })
        : lifecycle;
      for (const request of [
        lifecycleRequest(body, "not-the-app-secret"),
        lifecycleRequest(body, ""),
        new Request(lifecycleRequest(body).url, { method: "POST", body }),
      ]) {
        const res = await callLifecycle(action!, request);
        expect(res.status, route.file).toBe(400);
      }
      // Shopify's own signature, for contrast, gets past the check: the lifecycle callback is
      // recorded (200); an action's run with a field it does not take is refused on its fields.
      if (handle) {
        const signed = lifecycleRequest(
          actionRunBody({ shop: TEST_SHOP, handle, actionRunId: "signed-run-1", properties: {} }),
        );
        expect((await callLifecycle(action!, signed)).status, route.file).toBe(422);
      } else {
        expect((await callLifecycle(action!, lifecycleRequest(body))).status, route.file).toBe(200);
        await prisma.flowTriggerUsage.deleteMany({ where: { shop: TEST_SHOP } });
      }
    }
    expect(await watch.changedSince(baseline)).toEqual([]);
  });
});

describe("app proxy requests with a bad signature", () => {
  it("every proxy route answers 400 to a forged, missing or stale signature, and writes nothing", async () => {
    const proxies = routes.filter(({ route }) => route.id.startsWith("proxy."));
    expect(proxies.length).toBeGreaterThanOrEqual(3);
    const body = JSON.stringify({ rewardKey: "5-off", idempotencyKey: "forged-proxy-1", month: 5, day: 5 });
    for (const { route, loader, action } of proxies) {
      const handler = (action ?? loader)!;
      const sub = route.id.replace("proxy.", "");
      const init = action
        ? { method: "POST", body, headers: { "Content-Type": "application/json" } }
        : undefined;
      const forged = await proxyRequest(sub, { customerId: CUSTOMER_ID, secret: "not-the-app-secret", init });
      const missing = new URL((await proxyRequest(sub, { customerId: CUSTOMER_ID })).url);
      missing.searchParams.delete("signature");
      const stale = proxyRequestSignedAt(sub, now() - 3600, { customerId: CUSTOMER_ID, init });
      for (const [what, request] of [
        ["forged", forged],
        ["missing", new Request(missing, init)],
        ["stale", stale],
      ] as const) {
        const res = await callProxy(handler, request);
        expect(res.status, `${route.file} ${what}`).toBe(400);
        expect(await res.text()).not.toContain(EMAIL);
      }
      // Shopify's own signature, for contrast, is accepted (a guest's POST is then refused as a guest's).
      const genuine = action
        ? await proxyPost(sub, body, { customerId: "" })
        : await proxyRequest(sub, { customerId: CUSTOMER_ID });
      expect((await callProxy(handler, genuine)).status, `${route.file} genuine`).not.toBe(400);
    }
    expect(await watch.changedSince(baseline)).toEqual([]);
  });
});
