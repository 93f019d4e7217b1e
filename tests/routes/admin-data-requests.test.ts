/**
 * customers/data_request reaches the merchant: Shopify asks the app to give
 * the store owner the data it holds on a customer
 * (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance).
 * The request waits on Home (and the customer's page) with a download of
 * everything Regulars holds on the customer, the "Customer data requested"
 * Flow trigger fires when it arrives, and "Mark as delivered" records who and
 * when. Every query is the shop's own.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { customerIdOf } from "~/db/flow-events.server";
import { strings } from "~/admin/strings";
import { loader as home } from "~/routes/app._index";
import { loader as customerPage } from "~/routes/app.customers.$memberId";
import { action as dataRequestAction } from "~/routes/app.data-requests.$requestId";
import * as dataRequestDownload from "~/routes/app.data-requests.$requestId.download";
import { action as compliance } from "~/routes/webhooks.compliance";
import { sendFlowEvents } from "~/services/flow/flow-send.server";
import { adminStandIn } from "../support/admin-stand-in";
import { action as customersCreate } from "~/routes/webhooks.customers.create";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { adminDocument, adminFetch, downloadFile, run } from "../support/admin-requests";
import { fixtureBody } from "../support/fixtures";
import { deliverAndApply } from "../support/inbox";
import { resetLoyaltyData } from "../support/reset";
import { storeOfflineSession } from "../support/sessions";
import { installShop } from "../support/shops";
import { listenToEveryTrigger } from "../support/flow-callbacks";
import { type callAction, webhookRequest } from "../support/webhooks";

const OTHER_SHOP = "someone-else.myshopify.com";
const CUSTOMER_ID = "7302485617390244561";
const CUSTOMER = `gid://shopify/Customer/${CUSTOMER_ID}`;
type Action = Parameters<typeof callAction>[0];

const deliver = (action: Action, topic: string, rawBody: string, shop = TEST_SHOP, path?: string) =>
  deliverAndApply(action, webhookRequest({ topic, shop, body: null, rawBody, path }));

/** Shopify's customers/data_request body (Shopify's app template documents its shape: web/privacy.js). */
const dataRequestBody = (shop = TEST_SHOP, requestId = 9999) =>
  `{"shop_id":954889,"shop_domain":"${shop}","orders_requested":[820982911946154508],"customer":{"id":${CUSTOMER_ID},"email":"maren.okafor@example.com","phone":null},"data_request":{"id":${requestId}}}`;

const askForData = (shop = TEST_SHOP, requestId = 9999) =>
  deliver(
    compliance,
    "customers/data_request",
    dataRequestBody(shop, requestId),
    shop,
    "/webhooks/compliance",
  );

async function seed(shop: string) {
  await deliver(customersCreate, "customers/create", fixtureBody("customers-create"), shop);
  await deliver(ordersPaid, "orders/paid", fixtureBody("orders-paid"), shop);
}

const homeData = async () => {
  const res = await run(home, await adminDocument("/app"));
  expect(res.status).toBe(200);
  return (await res.json()) as {
    dataRequests: {
      total: number;
      requests: {
        id: string;
        customerId: string;
        email: string | null;
        requestedAt: string;
        respondBy: string;
      }[];
    };
  };
};

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  // What else a customer's data holds, which the shared reset leaves.
  for (const table of ["FlowEvent", "Redemption", "CustomerFigures", "CustomerChange"]) {
    await prisma.$executeRawUnsafe(`DELETE FROM "${table}"`);
  }
  await prisma.session.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_requests", scope: "read_customers" });
  for (const shop of [TEST_SHOP, OTHER_SHOP]) await installShop(prisma, shop);
  // The merchant has a workflow on for every trigger, so Flow hears of what follows (docs/flow-triggers.md).
  await listenToEveryTrigger(prisma, TEST_SHOP);
});

describe("customers/data_request", () => {
  it("waits on Home and fires the Customer data requested Flow trigger, once however often Shopify delivers it", async () => {
    await seed(TEST_SHOP);
    expect((await askForData()).status).toBe(200);
    expect((await askForData()).status).toBe(200);
    // A second delivery of the request (Shopify retries, a second request while one waits) adds none.
    expect(await prisma.dataRequest.count({ where: { shop: TEST_SHOP } })).toBe(1);

    const { dataRequests } = await homeData();
    expect(dataRequests.total).toBe(1);
    expect(dataRequests.requests).toEqual([
      expect.objectContaining({ customerId: CUSTOMER_ID, email: "maren.okafor@example.com" }),
    ]);
    const { requestedAt, respondBy } = dataRequests.requests[0]!;
    expect(Date.parse(respondBy) - Date.parse(requestedAt)).toBe(30 * 86_400_000);

    const events = await prisma.flowEvent.findMany({
      where: { shop: TEST_SHOP, trigger: "regulars-data-requested" },
    });
    const payload = {
      customer_id: customerIdOf(CUSTOMER),
      "Requested at": requestedAt,
      "Respond by": respondBy,
    };
    expect(events.map((event) => event.payload)).toEqual([payload]);
    // Flow takes it: the trigger is one of the app's extensions and the payload has its fields.
    const shopify = adminStandIn({ shop: TEST_SHOP });
    await sendFlowEvents(prisma, shopify.admin, TEST_SHOP);
    expect(shopify.flowReceipts.filter((receipt) => receipt.handle === "regulars-data-requested")).toEqual([
      { handle: "regulars-data-requested", payload },
    ]);
  });
});

describe("the merchant answers it", () => {
  type CustomerData = {
    customer_id: string;
    data_request: { requested_at: string; delivered_at: string | null };
    member: { email: string; points: number; orders: number } | null;
    points_history: { kind: string; points: number; order_id: string | null }[];
    orders: { order_id: string; points: number; refunds: unknown[] }[];
    reward_codes: { code: string; reward: string }[];
    win_back_codes: unknown[];
    flow_events: { trigger: string }[];
    retention_figures: unknown;
  };
  const requestOf = (shop = TEST_SHOP) =>
    prisma.dataRequest.findFirstOrThrow({ where: { shop }, orderBy: { requestedAt: "desc" } });
  const downloadData = (requestId: string, shop = TEST_SHOP) =>
    downloadFile(dataRequestDownload, `/app/data-requests/${requestId}/download`, { requestId }, shop);
  const markDelivered = async (requestId: string, shop = TEST_SHOP) => {
    const res = await run(
      dataRequestAction,
      await adminFetch(
        `/app/data-requests/${requestId}`,
        { method: "POST", body: new URLSearchParams({ intent: "delivered" }) },
        shop,
      ),
      { requestId },
    );
    return {
      status: res.status,
      body: (await res.json()) as { ok: boolean; message?: string; error?: string },
    };
  };
  const redemption = (shop: string, memberId: string, code: string) =>
    prisma.redemption.create({
      data: {
        shop,
        memberId,
        customerGid: CUSTOMER,
        rewardKey: "5-off",
        idempotencyKey: `key-${code}`,
        code,
        pointsCost: 500,
        status: "ISSUED",
        startsAt: new Date(),
        endsAt: new Date(Date.now() + 30 * 86_400_000),
        reward: { title: "5.00 off" },
      },
    });

  it("Download data: everything Regulars holds on the customer, as JSON, and nothing of another shop's", async () => {
    await seed(TEST_SHOP);
    await seed(OTHER_SHOP);
    const member = await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    const theirs = await prisma.member.findFirstOrThrow({ where: { shop: OTHER_SHOP } });
    await redemption(TEST_SHOP, member.id, "TEST-AAAA-BBBB");
    await redemption(OTHER_SHOP, theirs.id, "OTHR-CCCC-DDDD");
    await askForData();

    const res = await downloadData((await requestOf()).id);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="regulars-customer-${CUSTOMER_ID}-data.json"`,
    );
    const data = (await res.json()) as CustomerData;
    expect(data.customer_id).toBe(CUSTOMER_ID);
    expect(data.member).toMatchObject({ email: "maren.okafor@example.com", points: 630, orders: 1 });
    expect(data.points_history).toEqual([expect.objectContaining({ kind: "EARN", points: 630 })]);
    expect(data.orders).toEqual([expect.objectContaining({ points: 630, refunds: [] })]);
    expect(data.points_history[0]!.order_id).toBe(data.orders[0]!.order_id);
    expect(data.reward_codes).toEqual([
      expect.objectContaining({ code: "TEST-AAAA-BBBB", reward: "5.00 off" }),
    ]);
    expect(data.win_back_codes).toEqual([]);
    expect(data.flow_events.map((event) => event.trigger).sort()).toEqual([
      "regulars-data-requested",
      "regulars-points-earned",
      "regulars-tier-changed",
    ]);
    expect(JSON.stringify(data)).not.toContain("OTHR-CCCC-DDDD");
  });

  it("a customer Regulars holds nothing on still gets an answer: the file says so", async () => {
    await askForData();
    const data = (await (await downloadData((await requestOf()).id)).json()) as CustomerData;
    expect(data).toMatchObject({
      member: null,
      points_history: [],
      orders: [],
      reward_codes: [],
      win_back_codes: [],
      retention_figures: null,
    });
    expect(data.flow_events.map((event) => event.trigger)).toEqual(["regulars-data-requested"]);
  });

  it("Mark as delivered records who and when and takes it off Home; a second click changes nothing", async () => {
    await seed(TEST_SHOP);
    await askForData();
    const request = await requestOf();
    const first = await markDelivered(request.id);
    expect(first).toEqual({ status: 200, body: { ok: true, message: strings.dataRequests.delivered } });
    const delivered = await prisma.dataRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(delivered).toMatchObject({
      waitingFor: null,
      deliveredBy: expect.stringMatching(/^gid:\/\/shopify\/StaffMember\/\w+$/),
    });
    expect(Date.now() - delivered.deliveredAt!.getTime()).toBeLessThan(60_000);
    expect((await homeData()).dataRequests).toEqual({ total: 0, requests: [] });

    const again = await markDelivered(request.id);
    expect(again.body).toEqual({ ok: true, message: strings.dataRequests.alreadyDelivered });
    expect(await prisma.dataRequest.findUniqueOrThrow({ where: { id: request.id } })).toEqual(delivered);
    // Still downloadable afterwards, with when it was delivered.
    const data = (await (await downloadData(request.id)).json()) as CustomerData;
    expect(data.data_request.delivered_at).toBe(delivered.deliveredAt!.toISOString());
  });

  it("a request after the last was delivered waits again and fires the trigger again", async () => {
    await askForData();
    await markDelivered((await requestOf()).id);
    await askForData(TEST_SHOP, 10_000);
    expect(await prisma.dataRequest.count({ where: { shop: TEST_SHOP } })).toBe(2);
    expect((await homeData()).dataRequests.total).toBe(1);
    expect(
      await prisma.flowEvent.count({ where: { shop: TEST_SHOP, trigger: "regulars-data-requested" } }),
    ).toBe(2);
  });

  it("another shop's request is not found: no link, no file, not marked", async () => {
    await storeOfflineSession(prisma, OTHER_SHOP, { accessToken: "shpat_other", scope: "read_customers" });
    await askForData();
    const request = await requestOf();
    expect((await downloadData(request.id, OTHER_SHOP)).status).toBe(404);
    expect(await markDelivered(request.id, OTHER_SHOP)).toEqual({
      status: 404,
      body: { ok: false, error: strings.dataRequests.notFound },
    });
    expect(await prisma.dataRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      deliveredAt: null,
      waitingFor: CUSTOMER,
    });
  });

  it("the customer's page shows their waiting request; customers/redact deletes it", async () => {
    await seed(TEST_SHOP);
    await askForData();
    const member = await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    const page = async () =>
      (await (
        await run(customerPage, await adminDocument(`/app/customers/${member.id}`), { memberId: member.id })
      ).json()) as { dataRequest: { id: string; email: string } | null };
    expect((await page()).dataRequest).toMatchObject({
      id: (await requestOf()).id,
      email: "maren.okafor@example.com",
    });
    await deliver(
      compliance,
      "customers/redact",
      `{"shop_id":954889,"shop_domain":"${TEST_SHOP}","customer":{"id":${CUSTOMER_ID},"email":"maren.okafor@example.com","phone":null},"orders_to_redact":[]}`,
      TEST_SHOP,
      "/webhooks/compliance",
    );
    expect(await prisma.dataRequest.count({ where: { shop: TEST_SHOP } })).toBe(0);
  });
});
