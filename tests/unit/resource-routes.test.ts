/**
 * The production server's direct calls to resource routes
 * (scripts/resource-routes.mjs) answer as Remix's own request handler does,
 * on a build with the kinds of routes Regulars has: each request below goes
 * through both and the answers are compared.
 */
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { describe, expect, it, vi } from "vitest";
import {
  callResourceRoute,
  fixedResourceRoutes,
  parameterResourceRoute,
  parameterResourceRoutes,
  resourceRouteFor,
} from "../../scripts/resource-routes.mjs";
import { expectConsoleError } from "../setup/console";

type Module = Record<string, unknown>;
const route = (
  id: string,
  path: string | undefined,
  parentId: string | undefined,
  module: Module,
  index = false,
) => ({
  id,
  path,
  index,
  parentId,
  caseSensitive: undefined,
  module,
});

const Page = () => null;
const routes = {
  root: route("root", "", undefined, { default: Page }),
  "routes/healthz": route("routes/healthz", "healthz", "root", {
    loader: () => Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } }),
  }),
  "routes/webhooks.orders.paid": route("routes/webhooks.orders.paid", "webhooks/orders/paid", "root", {
    action: async ({ request }: { request: Request }) => {
      const body = await request.text();
      if (body === "throw-response") throw new Response("refused", { status: 401 });
      if (body === "throw-error") throw new Error("database down");
      if (body === "bare") return { stored: true };
      return new Response(null, { status: 200 });
    },
  }),
  "routes/app": route("routes/app", "app", "root", { default: Page, loader: () => null }),
  "routes/app.export.ledger": route("routes/app.export.ledger", "export/ledger", "routes/app", {
    loader: ({ request }: { request: Request }) =>
      new Response(`csv for ${new URL(request.url).searchParams.get("from")}`, {
        headers: { "Content-Type": "text/csv" },
      }),
  }),
  "routes/app.customers.$memberId": route(
    "routes/app.customers.$memberId",
    "customers/:memberId",
    "routes/app",
    {
      loader: () => new Response("member"),
    },
  ),
  "routes/auth.$": route("routes/auth.$", "auth/*", "root", { loader: () => new Response("auth") }),
  "routes/app._index": route("routes/app._index", undefined, "routes/app", { default: Page }, true),
};

const build = {
  mode: "production",
  basename: "/",
  publicPath: "/",
  assetsBuildDirectory: "build/client",
  isSpaMode: false,
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_routeConfig: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
    unstable_optimizeDeps: false,
  },
  assets: { entry: { module: "", imports: [] }, routes: {}, url: "", version: "1" },
  entry: { module: { default: () => new Response("document") } },
  routes,
} as unknown as ServerBuild;

const remix = createRequestHandler(build, "production");
const direct = fixedResourceRoutes(build);

async function answer(response: Response) {
  const headers = Object.fromEntries(
    [...response.headers].filter(([name]) => !name.startsWith("x-remix-")), // Remix's own markers
  );
  return { status: response.status, headers, body: await response.text() };
}

describe("resource routes called directly", () => {
  it("are the resource routes at a fixed path, with their parents' paths", () => {
    expect([...direct.keys()].sort()).toEqual(["/app/export/ledger", "/healthz", "/webhooks/orders/paid"]);
  });

  it("with a parameter or splat are known, so a cross-origin call to one is not refused", () => {
    const patterns = parameterResourceRoutes(build);
    const may = (url: string) => parameterResourceRoute(patterns, url);
    expect(may("/app/customers/123")).toBe(true);
    expect(may("/APP/customers/123/?x=1")).toBe(true);
    expect(may("/auth/login")).toBe(true);
    expect(may("/auth")).toBe(true);
    // Pages, fixed paths and other paths are not.
    expect(may("/app")).toBe(false);
    expect(may("/app/customers")).toBe(false);
    expect(may("/app/customers/1/2")).toBe(false);
    expect(may("/healthz")).toBe(false);
  });

  it("leave to Remix a page, a parameter or splat, a missing method, ?_data and other spellings", () => {
    const to = (method: string, url: string) => resourceRouteFor(direct, method, url);
    expect(to("GET", "/healthz")).toBeTypeOf("function");
    expect(to("HEAD", "/healthz?probe=1")).toBeTypeOf("function");
    expect(to("POST", "/webhooks/orders/paid")).toBeTypeOf("function");
    for (const [method, url] of [
      ["GET", "/app"],
      ["GET", "/app/customers/7"],
      ["GET", "/auth/callback"],
      ["GET", "/webhooks/orders/paid"],
      ["POST", "/healthz"],
      ["GET", "/healthz?_data=routes%2Fhealthz"],
      ["GET", "/healthz/"],
      ["GET", "/Healthz"],
    ] as const) {
      expect(to(method, url), `${method} ${url}`).toBeUndefined();
    }
  });

  const requests: [string, () => Request][] = [
    ["a loader's JSON", () => new Request("http://app.test/healthz")],
    ["a loader's answer to HEAD", () => new Request("http://app.test/healthz", { method: "HEAD" })],
    [
      "an action's empty 200",
      () => new Request("http://app.test/webhooks/orders/paid", { method: "POST", body: "{}" }),
    ],
    [
      "a thrown Response",
      () => new Request("http://app.test/webhooks/orders/paid", { method: "POST", body: "throw-response" }),
    ],
    [
      "a thrown error",
      () => new Request("http://app.test/webhooks/orders/paid", { method: "POST", body: "throw-error" }),
    ],
    [
      "a bare value",
      () => new Request("http://app.test/webhooks/orders/paid", { method: "POST", body: "bare" }),
    ],
    ["a nested route with a query", () => new Request("http://app.test/app/export/ledger?from=2026-01-01")],
  ];

  it("log an error unless the client went away, as Remix does for an aborted request", async () => {
    const failing = () =>
      new Request("http://app.test/webhooks/orders/paid", { method: "POST", body: "throw-error" });
    const handler = resourceRouteFor(direct, "POST", "/webhooks/orders/paid")!;
    const logged: string[] = [];
    vi.mocked(console.error).mockImplementation((error: unknown) => logged.push(String(error)));
    // The production server hands resource routes a Request without an abort signal and says
    // whether the client went away by a function; without one, the signal says it.
    const gone = await callResourceRoute(handler, failing(), () => true);
    const controller = new AbortController();
    controller.abort();
    const aborted = await callResourceRoute(handler, new Request(failing(), { signal: controller.signal }));
    expect(logged).toEqual([]);
    const here = await callResourceRoute(handler, failing(), () => false);
    expect(logged).toEqual(["Error: database down"]);
    for (const response of [gone, aborted, here]) {
      expect(await answer(response)).toEqual(await answer(await remix(failing())));
    }
  });

  it.each(requests)("answer %s as Remix does", async (_name, make) => {
    expectConsoleError(/database down/);
    const request = make();
    const handler = resourceRouteFor(
      direct,
      request.method,
      new URL(request.url).pathname + new URL(request.url).search,
    );
    expect(handler).toBeTypeOf("function");
    const ours = await answer(await callResourceRoute(handler!, request));
    const theirs = await answer(await remix(make()));
    expect(ours).toEqual(theirs);
  });
});
