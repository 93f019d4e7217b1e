/**
 * Win-back campaigns through the admin's routes, signed as the embedded admin
 * signs them, with Shopify's Admin API stood in for at the edge and the
 * campaign-issue jobs run by a worker on this test's queue: the segment's
 * live count, validation that changes nothing, launch (one code and one tag
 * per recipient, once, however often the form is posted), cancel, another
 * shop's campaign, the measures, and the privacy webhooks.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { jobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobWorker } from "~/jobs/worker.server";
import { parseMilli } from "~/loyalty/money";
import { action as compliance } from "~/routes/webhooks.compliance";
import { loader as listLoader } from "~/routes/app.campaigns._index";
import { action as launchAction, loader as newLoader } from "~/routes/app.campaigns.new";
import { action as campaignAction, loader as campaignLoader } from "~/routes/app.campaigns.$campaignId";
import { action as codesLink, loader as codesLoader } from "~/routes/app.campaigns.$campaignId_.codes";
import * as dataRequestDownload from "~/routes/app.data-requests.$requestId.download";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { issueCampaignCodes } from "~/services/campaigns/campaign-issue.server";
import { campaignPage, launchCampaign } from "~/services/campaigns/campaigns.server";
import { adminStandIn } from "../support/admin-stand-in";
import { adminDocument, adminFetch, downloadFile, run } from "../support/admin-requests";
import { refundFacts, snapshot } from "../support/order-events";
import { resetLoyaltyData } from "../support/reset";
import { shopifyForShop } from "../support/shopify-for-shop";
import type { ShopifyEdge } from "../support/shopify-edge";
import { webhookRequest } from "../support/webhooks";
import { deliverAndApply } from "../support/inbox";

const OTHER_SHOP = "other-campaigns.myshopify.com";
const DAY = 86_400_000;
const gid = (n: number) => `gid://shopify/Customer/${n}`;
let edge: ShopifyEdge | undefined;
let shopify: ReturnType<typeof adminStandIn>;
let formKey = 0;

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.campaignRecipient.deleteMany();
  await prisma.campaign.deleteMany();
  await prisma.session.deleteMany();
  await prisma.shop.deleteMany();
  ({ shopify, edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_campaigns"));
  await prisma.shop.upsert({
    where: { domain: TEST_SHOP },
    create: { domain: TEST_SHOP, installedAt: new Date(), currencyCode: "EUR" },
    update: { uninstalledAt: null, currencyCode: "EUR" },
  });
});
afterEach(() => edge?.restore());

/** Runs every job due (the campaign's batches) against this test's Shopify. */
const drain = () =>
  new JobWorker(
    jobs,
    jobHandlers({
      db: prisma,
      queue: jobs,
      adminFor: (shop) => (shop === TEST_SHOP ? shopify.admin : adminStandIn().admin),
      now: () => new Date(),
    }),
    { sleep: async () => {} },
  ).drain();

/** Members as order events leave them: order count and last order. */
async function member(shop: string, n: number, orderCount: number, lastOrderDaysAgo: number | null) {
  await prisma.member.create({
    data: {
      shop,
      customerGid: gid(n),
      email: `customer${n}@example.com`,
      orderCount,
      lastOrderAt: lastOrderDaysAgo === null ? null : new Date(Date.now() - lastOrderDaysAgo * DAY),
    },
  });
}

/** The hand-built segment fixture: who is in which segment is worked out in the comments. */
async function segmentFixture() {
  await member(TEST_SHOP, 1, 1, 200); // in (180 days, 1 order); out with 2 orders
  await member(TEST_SHOP, 2, 3, 400); // in (180, 1), (180, 2), (365, 1)
  await member(TEST_SHOP, 3, 5, 179); // ordered 179 days ago: not at risk at 180; at 90
  await member(TEST_SHOP, 4, 0, null); // never ordered: never in a segment
  await member(TEST_SHOP, 5, 2, 181); // in (180, 1), (180, 2); out at 365
  await member(OTHER_SHOP, 6, 9, 900); // another shop's: never counted here
}

const form = (overrides: Record<string, string> = {}) => ({
  name: "Spring",
  inactiveDays: "180",
  minOrders: "1",
  offerType: "PERCENTAGE",
  value: "15",
  validDays: "7",
  minimumSubtotal: "",
  idempotencyKey: `launch-form-${++formKey}-${Date.now()}`,
  ...overrides,
});

const launch = async (body: Record<string, string>) =>
  run(
    launchAction,
    await adminFetch("/app/campaigns/new", { method: "POST", body: new URLSearchParams(body) }),
  );

const campaignIdOf = (response: Response) => {
  expect(response.status).toBe(302);
  return /\/app\/campaigns\/(\w+)(?:\?|$)/.exec(response.headers.get("Location") ?? "")![1]!;
};

const page = async (campaignId: string) =>
  run(campaignLoader, await adminDocument(`/app/campaigns/${campaignId}`), { campaignId });

const post = async (campaignId: string, body: Record<string, string>, shop = TEST_SHOP) =>
  run(
    campaignAction,
    await adminFetch(
      `/app/campaigns/${campaignId}`,
      { method: "POST", body: new URLSearchParams(body) },
      shop,
    ),
    { campaignId },
  );

describe("the segment", () => {
  it("counts, live, the customers whose last order is older than N days with at least M orders", async () => {
    await segmentFixture();
    const count = async (query: string) =>
      (
        (await (await run(newLoader, await adminDocument(`/app/campaigns/new${query}`))).json()) as {
          segmentSize: number;
        }
      ).segmentSize;
    expect(await count("")).toBe(3); // defaults: 180 days, 1 order -> 1, 2, 5
    expect(await count("?inactiveDays=180&minOrders=2")).toBe(2); // 2, 5
    expect(await count("?inactiveDays=365&minOrders=1")).toBe(1); // 2
    expect(await count("?inactiveDays=90&minOrders=1")).toBe(4); // 1, 2, 3, 5
    expect(await count("?inactiveDays=90&minOrders=4")).toBe(1); // 3
  });
});

describe("launching", () => {
  it("refuses bad fields with an error on each, and writes nothing", async () => {
    await segmentFixture();
    const cases: [Record<string, string>, string][] = [
      [{ value: "0" }, "value"],
      [{ value: "101" }, "value"],
      [{ value: "ten" }, "value"],
      [{ offerType: "FIXED_AMOUNT", value: "0" }, "value"],
      [{ offerType: "FIXED_AMOUNT", value: "-5" }, "value"],
      [{ offerType: "FREE_GIFT" }, "offerType"],
      [{ validDays: "0" }, "validDays"],
      [{ validDays: "366" }, "validDays"],
      [{ minimumSubtotal: "lots" }, "minimumSubtotal"],
      [{ minimumSubtotal: "0" }, "minimumSubtotal"],
      [{ inactiveDays: "-1" }, "inactiveDays"],
      [{ minOrders: "0" }, "minOrders"],
      [{ name: "Spring, again" }, "name"],
      [{ idempotencyKey: "" }, "idempotencyKey"],
      // Nobody ordered 2,000 days ago: an empty segment launches nothing.
      [{ inactiveDays: "2000" }, "inactiveDays"],
    ];
    for (const [overrides, field] of cases) {
      const response = await launch(form(overrides));
      expect({ overrides, status: response.status }).toEqual({ overrides, status: 422 });
      const body = (await response.json()) as { fieldErrors: Record<string, string> };
      expect({ overrides, fields: Object.keys(body.fieldErrors) }).toEqual({ overrides, fields: [field] });
    }
    // Every bad field at once, each with its message.
    const all = await launch(form({ value: "0", validDays: "400", minOrders: "x" }));
    expect(Object.keys(((await all.json()) as { fieldErrors: object }).fieldErrors).sort()).toEqual([
      "minOrders",
      "validDays",
      "value",
    ]);
    expect(await prisma.campaign.count()).toBe(0);
    expect(await prisma.campaignRecipient.count()).toBe(0);
    await drain();
    expect(shopify.calls).toEqual([]);
  });

  it("creates one code per recipient for that customer, with the expiry and value, and tags each; progress follows", async () => {
    await segmentFixture();
    const before = Date.now();
    const id = campaignIdOf(await launch(form({ minimumSubtotal: "40" })));
    const launched = await prisma.campaign.findFirstOrThrow({ where: { shop: TEST_SHOP, id } });
    expect(launched).toMatchObject({ status: "RUNNING", recipientCount: 3, tag: "Regulars win-back Spring" });
    // Before the job runs the page shows nothing created yet.
    const waiting = (await (await page(id)).json()) as { campaign: { progress: object } };
    expect(waiting.campaign.progress).toMatchObject({ recipients: 3, codesCreated: 0, pending: 3 });

    const report = await drain();
    expect(report.failed).toBe(0);
    const recipients = await prisma.campaignRecipient.findMany({
      where: { shop: TEST_SHOP, campaignId: id },
    });
    expect(recipients.map((r) => r.customerGid).sort()).toEqual([gid(1), gid(2), gid(5)]);
    expect(shopify.codes.size).toBe(3);
    for (const recipient of recipients) {
      expect(recipient).toMatchObject({ status: "ISSUED", discountNodeId: expect.any(String) });
      expect(recipient.taggedAt).not.toBeNull();
      const stored = shopify.codes.get(recipient.code)!;
      expect(stored.id).toBe(recipient.discountNodeId);
      expect(stored.input).toMatchObject({
        code: recipient.code,
        context: { customers: { add: [recipient.customerGid] } },
        customerGets: { value: { percentage: 0.15 }, items: { all: true } },
        minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "40.00" } },
        usageLimit: 1,
        appliesOncePerCustomer: true,
        startsAt: launched.launchedAt.toISOString(),
      });
      const endsAt = new Date(String(stored.input.endsAt)).getTime();
      expect(endsAt - launched.launchedAt.getTime()).toBe(7 * DAY);
      expect(launched.launchedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(shopify.tags.get(recipient.customerGid)).toEqual(new Set(["Regulars win-back Spring"]));
    }
    expect(shopify.tags.has(gid(3))).toBe(false);
    const done = (await (await page(id)).json()) as {
      campaign: { status: string; progress: object };
      failures: unknown[];
    };
    expect(done.campaign).toMatchObject({
      status: "DONE",
      progress: { recipients: 3, codesCreated: 3, tagged: 3, pending: 0, failed: 0 },
    });
    expect(done.failures).toEqual([]);
    // The codes, per customer, for an email tool.
    // The Export button asks for a link (an authenticated fetch); the browser downloads from it.
    const link = await run(codesLink, await adminFetch(`/app/campaigns/${id}/codes`, { method: "POST" }), {
      campaignId: id,
    });
    const { url } = (await link.json()) as { url: string };
    const csv = await run(codesLoader, new Request(`${APP_URL}${url}`), { campaignId: id });
    expect(csv.headers.get("Content-Type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe("customer_id,email,first_name,last_name,code,status,expires_at");
    expect(lines.slice(1).sort()).toEqual(
      recipients
        .map((r) => {
          const n = r.customerGid.split("/").pop();
          return `${n},customer${n}@example.com,,,${r.code},ISSUED,${launched.endsAt.toISOString()}`;
        })
        .sort(),
    );
    const list = (await (await run(listLoader, await adminDocument("/app/campaigns"))).json()) as {
      campaigns: { id: string; progress: { codesCreated: number } }[];
    };
    expect(list.campaigns).toEqual([
      expect.objectContaining({ id, progress: expect.objectContaining({ codesCreated: 3 }) }),
    ]);
  });

  it("a fixed amount off is sent as an amount in shop currency", async () => {
    await segmentFixture();
    const id = campaignIdOf(
      await launch(form({ offerType: "FIXED_AMOUNT", value: "12.5", validDays: "30" })),
    );
    await drain();
    const codes = [...shopify.codes.values()];
    expect(codes).toHaveLength(3);
    const campaign = await prisma.campaign.findFirstOrThrow({ where: { shop: TEST_SHOP, id } });
    for (const code of codes) {
      expect(code.input).toMatchObject({
        customerGets: { value: { discountAmount: { amount: "12.50", appliesOnEachItem: false } } },
      });
      expect(code.input).not.toHaveProperty("minimumRequirement");
      expect(new Date(String(code.input.endsAt)).getTime() - campaign.launchedAt.getTime()).toBe(30 * DAY);
    }
  });

  it("the same form posted twice, or twice at once, launches one campaign and one code per customer", async () => {
    await segmentFixture();
    const body = form();
    const first = campaignIdOf(await launch(body));
    const again = campaignIdOf(await launch(body));
    const [third, fourth] = await Promise.all([launch(body), launch(body)]);
    expect(again).toBe(first);
    expect(campaignIdOf(third)).toBe(first);
    expect(campaignIdOf(fourth)).toBe(first);
    expect(await prisma.campaign.count()).toBe(1);
    expect(await prisma.campaignRecipient.count()).toBe(3);
    await drain();
    expect(shopify.codes.size).toBe(3);
    expect(shopify.calls.filter((c) => c.operation === "CreateBasicCode")).toHaveLength(3);
    // Another form (new key) with the same name would give customers the same tag: refused.
    const clash = await launch(form());
    expect(clash.status).toBe(422);
    expect(Object.keys(((await clash.json()) as { fieldErrors: object }).fieldErrors)).toEqual(["name"]);
    expect(await prisma.campaign.count()).toBe(1);
  });

  it("a customer Shopify refuses is listed as a failure with retry; the rest are issued", async () => {
    await segmentFixture();
    const unknownToShopify = [gid(2)];
    shopify = adminStandIn({ rejectCustomers: unknownToShopify });
    const id = campaignIdOf(await launch(form()));
    await drain();
    const view = (await (await page(id)).json()) as {
      campaign: { status: string; progress: object };
      failures: { customerGid: string; email: string; error: string }[];
    };
    expect(view.campaign.progress).toMatchObject({ codesCreated: 2, failed: 1, tagged: 2 });
    expect(view.failures).toEqual([
      expect.objectContaining({
        customerGid: gid(2),
        email: "customer2@example.com",
        error: expect.stringMatching(/Customer does not exist/),
      }),
    ]);
    expect(shopify.tags.has(gid(2))).toBe(false);
    // Shopify knows the customer now (e.g. restored): retry issues the code.
    unknownToShopify.length = 0;
    const retry = await post(id, { intent: "retry" });
    expect(retry.status).toBe(200);
    await drain();
    const after = await prisma.campaignRecipient.findFirstOrThrow({
      where: { shop: TEST_SHOP, customerGid: gid(2) },
    });
    expect(after).toMatchObject({ status: "ISSUED", error: null });
    expect(await prisma.campaign.findFirstOrThrow({ where: { id } })).toMatchObject({ status: "DONE" });
  });
});

describe("cancelling", () => {
  it("stops issuing: codes already created stay, nobody else gets one", async () => {
    await segmentFixture();
    const id = campaignIdOf(await launch(form()));
    // One recipient is issued before the merchant cancels.
    await issueCampaignCodes(prisma, shopify.admin, TEST_SHOP, id, () => new Date(), 1);
    const cancelled = await post(id, { intent: "cancel" });
    expect(cancelled.status).toBe(200);
    await drain();
    const recipients = await prisma.campaignRecipient.findMany({
      where: { shop: TEST_SHOP, campaignId: id },
    });
    expect(recipients.map((r) => r.status).sort()).toEqual(["CANCELLED", "CANCELLED", "ISSUED"]);
    expect(shopify.codes.size).toBe(1);
    expect(await prisma.campaign.findFirstOrThrow({ where: { id } })).toMatchObject({
      status: "CANCELLED",
      cancelledAt: expect.any(Date),
    });
    // Not running any more: a second cancel is refused, and so is retry.
    expect((await post(id, { intent: "cancel" })).status).toBe(409);
    expect((await post(id, { intent: "retry" })).status).toBe(409);
    expect((await post(id, { intent: "explode" })).status).toBe(422);
  });

  it("another shop's campaign is not found: not shown, not cancelled, not retried", async () => {
    await segmentFixture();
    const { campaign: theirs } = await launchCampaign(
      prisma,
      OTHER_SHOP,
      {
        name: "Theirs",
        inactiveDays: 180,
        minOrders: 1,
        offerType: "PERCENTAGE",
        percentBps: 1000,
        amountMilli: null,
        minimumSubtotalMilli: null,
        validDays: 7,
        idempotencyKey: "their-launch-key",
      },
      new Date(),
    );
    expect((await page(theirs.id)).status).toBe(404);
    expect((await post(theirs.id, { intent: "cancel" })).status).toBe(404);
    expect((await post(theirs.id, { intent: "retry" })).status).toBe(404);
    const theirCodes = await run(codesLoader, await adminDocument(`/app/campaigns/${theirs.id}/codes`), {
      campaignId: theirs.id,
    });
    expect(theirCodes.status).toBe(404);
    // The Export button gets no link to their codes either.
    const theirLink = await run(
      codesLink,
      await adminFetch(`/app/campaigns/${theirs.id}/codes`, { method: "POST" }),
      { campaignId: theirs.id },
    );
    expect(theirLink.status).toBe(404);
    expect(await theirLink.text()).not.toContain("signature=");
    expect(await prisma.campaign.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      status: "RUNNING",
      cancelledAt: null,
    });
    const list = (await (await run(listLoader, await adminDocument("/app/campaigns"))).json()) as {
      campaigns: unknown[];
    };
    expect(list.campaigns).toEqual([]);
    // Their own shop still finds it.
    expect(await campaignPage(prisma, OTHER_SHOP, theirs.id)).toMatchObject({ campaign: { id: theirs.id } });
  });
});

describe("measures", () => {
  it("counts codes used, customers who came back and their revenue less refunds, against the segment", async () => {
    const longAgo = new Date(Date.now() - 300 * DAY);
    const pay = (customer: number, order: number, total: string, paidAt: Date, extra: object = {}) =>
      applyOrderEvent(
        prisma,
        TEST_SHOP,
        {
          type: "paid",
          snapshot: {
            ...snapshot({
              orderGid: `gid://shopify/Order/${order}`,
              customerGid: gid(customer),
              updatedAt: paidAt,
              merchandise: parseMilli(total),
            }),
            paidAt,
            ...extra,
          },
        },
        new Date(),
      );
    // GIVEN five lapsed customers (last order 300 days ago) and one recent buyer
    for (const customer of [1, 2, 3, 4, 5]) await pay(customer, 100 + customer, "40.00", longAgo);
    await pay(6, 106, "40.00", new Date(Date.now() - 10 * DAY));
    const id = campaignIdOf(await launch(form()));
    const recipients = await prisma.campaignRecipient.findMany({
      where: { shop: TEST_SHOP, campaignId: id },
    });
    expect(recipients).toHaveLength(5);
    const codeOf = (customer: number) => recipients.find((r) => r.customerGid === gid(customer))!.code;
    const after = new Date(Date.now() + 3600_000);

    // 1 uses the code (typed in lower case) on 100.00, then 30.00 is refunded: 70.00
    await pay(1, 201, "100.00", after, { discountCodes: [codeOf(1).toLowerCase()] });
    await applyOrderEvent(
      prisma,
      TEST_SHOP,
      {
        type: "refund",
        refund: refundFacts("gid://shopify/Order/201", "gid://shopify/Refund/201", parseMilli("30.00")),
      },
      new Date(),
    );
    // 2 comes back without the code: 50.00
    await pay(2, 202, "50.00", after);
    // 3 uses the code, but the order is cancelled: nothing
    await pay(3, 203, "80.00", after, { discountCodes: [codeOf(3)] });
    await applyOrderEvent(
      prisma,
      TEST_SHOP,
      {
        type: "cancelled",
        snapshot: {
          ...snapshot({
            orderGid: "gid://shopify/Order/203",
            customerGid: gid(3),
            updatedAt: new Date(after.getTime() + 1000),
            merchandise: parseMilli("80.00"),
            cancelled: true,
          }),
          paidAt: after,
          discountCodes: [codeOf(3)],
        },
      },
      new Date(),
    );
    // 4 uses the code on a test order: nothing
    await pay(4, 204, "60.00", after, { discountCodes: [codeOf(4)], test: true });
    // 6 was not in the segment: not counted, whatever they buy
    await pay(6, 206, "500.00", after);

    // THEN
    const view = (await (await page(id)).json()) as { measures: object };
    expect(view.measures).toEqual({
      segment: 5,
      codesUsed: 1,
      codeOrders: 1,
      codeRevenue: "70.00",
      cameBack: 2,
      orders: 2,
      revenue: "120.00",
      codeUseRate: 0.2,
      comeBackRate: 0.4,
    });
  });
});

describe("privacy", () => {
  it("data_request reports the customer's campaign code; customers/redact deletes their campaign rows; shop/redact the shop's campaigns", async () => {
    await segmentFixture();
    await member(OTHER_SHOP, 1, 1, 300); // the same customer id in another shop keeps theirs
    const id = campaignIdOf(await launch(form()));
    await launchCampaign(
      prisma,
      OTHER_SHOP,
      {
        name: "Theirs",
        inactiveDays: 180,
        minOrders: 1,
        offerType: "PERCENTAGE",
        percentBps: 1000,
        amountMilli: null,
        minimumSubtotalMilli: null,
        validDays: 7,
        idempotencyKey: "their-launch-key",
      },
      new Date(),
    );
    const deliver = (topic: string, body: object) =>
      deliverAndApply(
        compliance,
        webhookRequest({ topic, shop: TEST_SHOP, body, path: "/webhooks/compliance" }),
      );
    // What Regulars holds about a customer includes their campaign code.
    const code = (
      await prisma.campaignRecipient.findFirstOrThrow({ where: { shop: TEST_SHOP, customerGid: gid(1) } })
    ).code;
    const asked = await deliver("customers/data_request", {
      shop_id: 1,
      shop_domain: TEST_SHOP,
      customer: { id: 1, email: "customer1@example.com", phone: null },
      orders_requested: [],
      data_request: { id: 9 },
    });
    expect(asked.status).toBe(200);
    const request = await prisma.dataRequest.findFirstOrThrow({
      where: { shop: TEST_SHOP, customerGid: gid(1) },
    });
    const file = await downloadFile(dataRequestDownload, `/app/data-requests/${request.id}/download`, {
      requestId: request.id,
    });
    const data = (await file.json()) as { win_back_codes: { code: string; campaign: string }[] };
    expect(data.win_back_codes).toEqual([expect.objectContaining({ code, campaign: "Spring" })]);

    const redacted = await deliver("customers/redact", {
      shop_id: 1,
      shop_domain: TEST_SHOP,
      customer: { id: 1, email: "customer1@example.com", phone: null },
      orders_to_redact: [],
    });
    expect(redacted.status).toBe(200);
    expect(await prisma.campaignRecipient.count({ where: { shop: TEST_SHOP, customerGid: gid(1) } })).toBe(0);
    expect(await prisma.campaignRecipient.count({ where: { shop: TEST_SHOP, campaignId: id } })).toBe(2);
    expect(await prisma.campaignRecipient.count({ where: { shop: OTHER_SHOP, customerGid: gid(1) } })).toBe(
      1,
    );

    // shop/redact comes 48 hours after the uninstall.
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { uninstalledAt: new Date() } });
    const gone = await deliver("shop/redact", { shop_id: 1, shop_domain: TEST_SHOP });
    expect(gone.status).toBe(200);
    expect(await prisma.campaign.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.campaignRecipient.count({ where: { shop: TEST_SHOP } })).toBe(0);
    expect(await prisma.campaign.count({ where: { shop: OTHER_SHOP } })).toBe(1);
    expect(await prisma.campaignRecipient.count({ where: { shop: OTHER_SHOP } })).toBe(2);
  });
});
