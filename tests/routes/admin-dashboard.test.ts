import { beforeEach, expect, it } from "vitest";
import { APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { parseMilli } from "~/loyalty/money";
import { loader } from "~/routes/app._index";
import { adminDocument, run } from "../support/admin-requests";
import { storeOfflineSession } from "../support/sessions";

beforeEach(async () => {
  await prisma.session.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_dash", scope: "read_orders" });
});

it("the dashboard needs a session token and counts only this shop's customers", async () => {
  expect((await run(loader, new Request(`${APP_URL}/app`))).status).not.toBe(200);
  const paidAt = new Date(Date.now() - 10 * 86_400_000);
  for (const [shop, i] of [
    [TEST_SHOP, 1],
    [TEST_SHOP, 2],
    ["elsewhere.myshopify.com", 3],
  ] as const) {
    await prisma.orderRecord.create({
      data: {
        shop,
        orderGid: `gid://shopify/Order/${i}`,
        customerGid: `gid://shopify/Customer/${i}`,
        paidAt,
        merchandiseMilli: parseMilli("40.00"),
      },
    });
  }
  const res = await run(loader, await adminDocument("/app?period=90&churn=bogus"));
  expect(res.status).toBe(200);
  const body = await res.json();
  expect(body.query).toEqual({ period: "90", churn: 90, atRisk: 180 });
  expect(body.retention.nonMembers).toMatchObject({ customers: 2, averageLifetimeValue: "40.00", atRisk: 0 });
  expect(body.retention.members.customers).toBe(0);
});
