/**
 * What the admin's lists tell a shop with nothing in them yet: the customers
 * list knows "no member at all" (a page that teaches how members come) from
 * "no member matches these filters"; another shop's members never count.
 */
import { beforeEach, expect, it } from "vitest";
import { APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { jobs } from "~/jobs.server";
import { loader as activityLoader } from "~/routes/app.activity";
import { loader as listLoader } from "~/routes/app.customers._index";
import { adminDocument, run } from "../support/admin-requests";
import { storeOfflineSession } from "../support/sessions";

const OTHER_SHOP = "other-empty.myshopify.com";

beforeEach(async () => {
  await prisma.$executeRawUnsafe(`DELETE FROM ${jobs.schema}.job`);
  await prisma.member.deleteMany();
  await prisma.webhookDelivery.deleteMany();
  await prisma.session.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_empty", scope: "read_customers" });
});

const list = async (query = "") => {
  const res = await run(listLoader, await adminDocument(`/app/customers${query}`));
  expect(res.status).toBe(200);
  return res.json() as Promise<{ noMembers: boolean; members: unknown[] }>;
};

it("the customers list needs a session token, and says when the shop has no member at all", async () => {
  expect((await run(listLoader, new Request(`${APP_URL}/app/customers`))).status).not.toBe(200);
  await prisma.member.create({ data: { shop: OTHER_SHOP, customerGid: "gid://shopify/Customer/1" } });
  expect(await list()).toMatchObject({ noMembers: true, members: [] });

  await prisma.member.create({
    data: { shop: TEST_SHOP, customerGid: "gid://shopify/Customer/2", email: "ada@example.com" },
  });
  expect(await list()).toMatchObject({ noMembers: false });
  // None matching a search is not "no members": the page offers to clear the filters instead.
  expect(await list("?q=nobody")).toMatchObject({ noMembers: false, members: [] });
  expect(await list("?balance=1")).toMatchObject({ noMembers: false, members: [] });
});

it("the activity page of a new shop has neither deliveries nor failed jobs, and shows no other shop's", async () => {
  await prisma.webhookDelivery.create({
    data: {
      shop: OTHER_SHOP,
      webhookId: "empty-1",
      topic: "orders/paid",
      outcome: "processed",
      receivedAt: new Date(),
    },
  });
  const res = await run(activityLoader, await adminDocument("/app/activity"));
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ failed: [], deliveries: [], waiting: 0 });
});
