import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { action as customersCreate } from "~/routes/webhooks.customers.create";
import { action as customersUpdate } from "~/routes/webhooks.customers.update";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import { action as compliance } from "~/routes/webhooks.compliance";
import * as dataRequestDownload from "~/routes/app.data-requests.$requestId.download";
import { downloadFile } from "../support/admin-requests";
import { storeOfflineSession } from "../support/sessions";
import { type callAction, webhookRequest } from "../support/webhooks";
import { deliverAndApply } from "../support/inbox";
import { fixtureBody } from "../support/fixtures";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { resetLoyaltyData } from "../support/reset";
import { installShop } from "../support/shops";

const SHOP = "people.myshopify.com";
const OTHER = "elsewhere.myshopify.com";
const CUSTOMER = "gid://shopify/Customer/7302485617390244561";
type Action = Parameters<typeof callAction>[0];
const deliver = (action: Action, topic: string, rawBody: string, shop = SHOP, path?: string) =>
  deliverAndApply(action, webhookRequest({ topic, shop, body: null, rawBody, path }));

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  for (const shop of [SHOP, OTHER]) await installShop(prisma, shop);
});

describe("customers/create and customers/update", () => {
  it("keep the member's identity and pay the account bonus once, when the account is enabled", async () => {
    await updateProgram(prisma, SHOP, { settings: { signupBonus: 100 } }, new Date());
    await deliver(customersCreate, "customers/create", fixtureBody("customers-create"));
    let member = await prisma.member.findFirstOrThrow({ where: { shop: SHOP } });
    expect(member).toMatchObject({
      customerGid: CUSTOMER,
      email: "maren.okafor@example.com",
      accountState: "disabled",
      balance: 0,
    });
    await deliver(customersUpdate, "customers/update", fixtureBody("customers-update"));
    await deliver(customersUpdate, "customers/update", fixtureBody("customers-update"));
    member = await prisma.member.findFirstOrThrow({ where: { shop: SHOP } });
    expect(member).toMatchObject({ accountState: "enabled", balance: 100 });
    expect(await prisma.ledgerEntry.count({ where: { kind: "BONUS" } })).toBe(1);
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("an update without tags (API 2025-01+) keeps the stored tags", async () => {
    await deliver(
      customersCreate,
      "customers/create",
      fixtureBody("customers-create", { tags: "VIP, Wholesale" }),
    );
    const withoutTags = JSON.parse(fixtureBody("customers-update").replace(/"tags":\s*"[^"]*",?/, ""));
    expect(withoutTags.tags).toBeUndefined();
    await deliver(
      customersUpdate,
      "customers/update",
      fixtureBody("customers-update").replace(/"tags":\s*"[^"]*",/, ""),
    );
    expect((await prisma.member.findFirstOrThrow({ where: { shop: SHOP } })).tags).toEqual([
      "VIP",
      "Wholesale",
    ]);
  });
});

describe("privacy webhooks", () => {
  async function seed(shop: string) {
    await deliver(customersCreate, "customers/create", fixtureBody("customers-create"), shop);
    await deliver(ordersPaid, "orders/paid", fixtureBody("orders-paid"), shop);
  }
  const redactBody = JSON.stringify({
    shop_id: 1,
    shop_domain: SHOP,
    customer: { id: 7302485617390244561n.toString(), email: "maren.okafor@example.com", phone: null },
    orders_to_redact: [],
  }).replace('"7302485617390244561"', "7302485617390244561");

  it("customers/redact leaves no trace of the customer's email or name in any table, and other shops keep theirs", async () => {
    await seed(SHOP);
    await seed(OTHER);
    const res = await deliver(compliance, "customers/redact", redactBody, SHOP, "/webhooks/compliance");
    expect(res.status).toBe(200);
    const tables = await prisma.$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of tables) {
      const hits = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM "${table_name}" t WHERE row_to_json(t)::text ILIKE '%maren%' AND row_to_json(t)::text ILIKE '%${SHOP}%'`,
      );
      expect({ table: table_name, hits: Number(hits[0]!.n) }).toEqual({ table: table_name, hits: 0 });
    }
    expect(await prisma.member.count({ where: { shop: OTHER } })).toBe(1);
    expect(await prisma.member.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("customers/data_request: a request waits for the shop owner, whose download has what Regulars holds", async () => {
    await seed(SHOP);
    await storeOfflineSession(prisma, SHOP, { accessToken: "shpat_people", scope: "read_customers" });
    const body = redactBody.replace('"orders_to_redact":[]', '"orders_requested":[],"data_request":{"id":9}');
    const res = await deliver(compliance, "customers/data_request", body, SHOP, "/webhooks/compliance");
    expect(res.status).toBe(200);
    const request = await prisma.dataRequest.findFirstOrThrow({ where: { shop: SHOP } });
    expect(request).toMatchObject({ customerGid: CUSTOMER, waitingFor: CUSTOMER, deliveredAt: null });
    const file = await downloadFile(
      dataRequestDownload,
      `/app/data-requests/${request.id}/download`,
      { requestId: request.id },
      SHOP,
    );
    const data = (await file.json()) as { member: { email: string; points: number } };
    expect(data.member).toMatchObject({ email: "maren.okafor@example.com", points: 630 });
  });

  it("shop/redact deletes everything of the shop", async () => {
    await seed(SHOP);
    await seed(OTHER);
    await prisma.shop.update({ where: { domain: SHOP }, data: { uninstalledAt: new Date() } });
    await deliver(
      compliance,
      "shop/redact",
      JSON.stringify({ shop_id: 1, shop_domain: SHOP }),
      SHOP,
      "/webhooks/compliance",
    );
    for (const model of [
      "member",
      "ledgerEntry",
      "orderRecord",
      "program",
      "tier",
      "webhookDelivery",
    ] as const) {
      expect(
        await (prisma[model] as unknown as { count: (a: object) => Promise<number> }).count({
          where: { shop: SHOP },
        }),
      ).toBe(0);
      expect(
        await (prisma[model] as unknown as { count: (a: object) => Promise<number> }).count({
          where: { shop: OTHER },
        }),
      ).toBeGreaterThan(0);
    }
  });
});
