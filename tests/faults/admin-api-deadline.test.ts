/**
 * Request-time Admin API calls (the library's admin.graphql from
 * authenticate.admin or unauthenticated.admin) have a deadline: runQuery
 * gives the call up as transient when Shopify does not answer in time, and
 * the connection is closed rather than left waiting. The stand-in here is a
 * Shopify that takes the request and never answers.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminTransientError, runQuery } from "~/shopify/admin-api/admin-client.server";
import { routeShopRequestsTo } from "~/shopify/local-shopify.server";
import { ADMIN_GRAPHQL_PATH } from "../support/admin-graphql-endpoint";
import { sessionStorage, unauthenticated } from "~/shopify.server";

const shop = "deadline.myshopify.com";
let server: Server;
const seen: { path: string; closedAfterMs?: number }[] = [];

beforeAll(async () => {
  server = createServer((req) => {
    const started = Date.now();
    const entry: (typeof seen)[number] = { path: req.url ?? "" };
    seen.push(entry);
    req.resume();
    req.socket.once("close", () => (entry.closedAfterMs = Date.now() - started));
    // never answers
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  routeShopRequestsTo(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      accessToken: "shpat_deadline",
      scope: process.env.SCOPES,
    }),
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("a request-time Admin API call Shopify never answers", () => {
  it("fails as transient at its deadline and closes the connection", async () => {
    const { admin } = await unauthenticated.admin(shop);
    const started = Date.now();
    const call = runQuery(admin, "query { shop { name } }", undefined, { timeoutMs: 300 });
    await expect(call).rejects.toBeInstanceOf(AdminTransientError);
    await expect(call).rejects.toThrow("did not answer within 300 ms");
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(5_000);
    // Shopify's library sent it to the stand-in, and the abort dropped the connection.
    await expect.poll(() => seen.at(-1)?.closedAfterMs, { timeout: 2_000 }).toBeDefined();
    expect(seen.at(-1)!.path).toBe(ADMIN_GRAPHQL_PATH);
  });
});
