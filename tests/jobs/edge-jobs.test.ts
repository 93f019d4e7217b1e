/**
 * The production path of a job: the handlers as app/jobs.server.ts wires
 * them (graphql-request with the shop's offline session, from the session
 * table), against Shopify stood in for at the network edge: each document is
 * validated against the 2026-10 schema there and executed on the stand-in's state.
 */
import { afterEach, expect, it } from "vitest";
import { API_KEY, API_SECRET_KEY, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { jobs, withJobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobWorker } from "~/jobs/worker.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { NAMESPACE } from "~/shopify/admin-api/member-metafields.server";
import { offlineAdmin } from "~/shopify/admin-api/offline-admin.server";
import { offlineTokens } from "~/shopify/sessions/offline-tokens.server";
import { adminStandIn } from "../support/admin-stand-in";
import { storeOfflineSession } from "../support/sessions";
import { startShopifyEdge, type ShopifyEdge } from "../support/shopify-edge";

const CUSTOMER = "gid://shopify/Customer/4410";
let edge: ShopifyEdge | undefined;
afterEach(() => edge?.restore());

it("a member sync job reaches Shopify with the shop's offline token and writes the metafields and tag", async () => {
  // GIVEN an installed shop with an offline session, and Shopify at the network edge
  const shopify = adminStandIn();
  edge = startShopifyEdge({
    shop: TEST_SHOP,
    apiKey: API_KEY,
    apiSecretKey: API_SECRET_KEY,
    scopes: "write_customers",
    answer: shopify.answer,
    accessTokens: ["shpat_jobs"],
  });
  await prisma.shop.create({ data: { domain: TEST_SHOP, installedAt: new Date() } });
  await storeOfflineSession(prisma, TEST_SHOP, {
    accessToken: "shpat_jobs",
    scope: "write_customers",
    expires: new Date(Date.now() + 3_600_000),
    refreshToken: "shprt_jobs",
  });

  // WHEN a member gets points and the worker runs
  await withJobs(() =>
    adjustPoints(
      prisma,
      TEST_SHOP,
      { customerGid: CUSTOMER, points: 250, reason: "Welcome", staffId: "s", idempotencyKey: "edge-key-1" },
      new Date(),
    ),
  );
  const worker = new JobWorker(
    jobs,
    jobHandlers({
      db: prisma,
      queue: jobs,
      adminFor: (shop) => offlineAdmin({ shop, tokens: offlineTokens }),
      now: () => new Date(),
    }),
  );
  const report = await worker.drain();

  // THEN the calls went over HTTP to the shop's Admin API and Shopify holds the new state
  expect(report.failed).toBe(0);
  const operations = edge.calls.map((call) => call.operationName);
  expect(operations).toEqual(expect.arrayContaining(["MetafieldsSet", "CustomerTagsAdd"]));
  expect(edge.calls.every((call) => call.status === 200)).toBe(true);
  expect(shopify.metafields.get(`${CUSTOMER}|${NAMESPACE}|points`)?.value).toBe("250");
  expect(shopify.tags.get(CUSTOMER)).toEqual(new Set(["Regulars Member"]));
});
