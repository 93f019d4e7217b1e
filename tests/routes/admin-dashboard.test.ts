import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { beforeEach, expect, it } from "vitest";
import { APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { strings } from "~/admin/strings";
import { prisma } from "~/db.server";
import { parseMilli } from "~/loyalty/money";
import Dashboard, { loader } from "~/routes/app._index";
import { DEFAULT_REFERRAL_SETTINGS } from "~/loyalty/referrals";
import { referralsPage, saveReferralSettings } from "~/services/referrals/referrals.server";
import { adminDocument, run } from "../support/admin-requests";
import { storeOfflineSession } from "../support/sessions";

/** The page as the server renders it, from the loader's answer to `path`. */
async function serverRender(path: string): Promise<string> {
  const data = await (await run(loader, await adminDocument(path))).json();
  const handler = createStaticHandler([
    { id: "dashboard", path: "/app", loader: () => data, Component: Dashboard },
  ]);
  const context = await handler.query(new Request(`${APP_URL}${path}`));
  if (context instanceof Response) throw new Error(`unexpected response ${context.status}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(
    createElement(AppProvider, { i18n: en }, createElement(StaticRouterProvider, { router, context })),
  );
}

beforeEach(async () => {
  await prisma.ledgerEntry.deleteMany();
  await prisma.redemption.deleteMany();
  await prisma.member.deleteMany();
  await prisma.orderRecord.deleteMany();
  await prisma.shop.deleteMany();
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

it("charts the selected period in the shop's time zone, daily, weekly or monthly", async () => {
  await prisma.shop.create({ data: { domain: TEST_SHOP, ianaTimezone: "Asia/Tokyo", currencyCode: "JPY" } });
  const member = await prisma.member.create({
    data: { shop: TEST_SHOP, customerGid: "gid://shopify/Customer/9" },
  });
  // 20:00 UTC yesterday is already today in Tokyo (UTC+9): it lands in today's bucket.
  const today = new Date();
  const lateYesterdayUtc = new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1, 20),
  );
  await prisma.ledgerEntry.create({
    data: {
      shop: TEST_SHOP,
      memberId: member.id,
      kind: "EARN",
      points: 120,
      balanceAfter: 120,
      pendingAfter: 0,
      sourceKey: "dash:1",
      createdAt: lateYesterdayUtc,
      occurredAt: lateYesterdayUtc,
    },
  });
  const tokyoToday = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(lateYesterdayUtc);
  const body = await (await run(loader, await adminDocument("/app"))).json();
  expect(body.chart.timeZone).toBe("Asia/Tokyo");
  expect(body.chart.unit).toBe("day");
  expect(body.chart.buckets).toHaveLength(30);
  expect(body.chart.buckets.filter((b: { issued: number }) => b.issued > 0)).toEqual([
    { start: tokyoToday, issued: 120, redeemed: 0, expired: 0 },
  ]);
  expect(body.program.pointsIssued).toBe(120);
  const weekly = await (await run(loader, await adminDocument("/app?period=90"))).json();
  expect([weekly.chart.unit, weekly.chart.buckets.length]).toEqual(["week", 13]);
  const monthly = await (await run(loader, await adminDocument("/app?period=365"))).json();
  expect([monthly.chart.unit, monthly.chart.buckets.length]).toEqual(["month", 12]);
});

it("renders on the server: chart skeletons, the data tables, and an empty state before any order", async () => {
  const empty = await serverRender("/app");
  expect(empty).toContain("No orders yet");
  expect(empty).toContain('aria-label="Loading chart"');
  expect(empty).toContain("Points over time");
  // The accessible table is in the page from the start, one row per day.
  expect(empty.match(/<tr/g)!.length).toBeGreaterThanOrEqual(30);

  await prisma.orderRecord.create({
    data: {
      shop: TEST_SHOP,
      orderGid: "gid://shopify/Order/77",
      customerGid: "gid://shopify/Customer/77",
      paidAt: new Date(),
      merchandiseMilli: parseMilli("10.00"),
    },
  });
  const withOrders = await serverRender("/app");
  expect(withOrders).not.toContain("No orders yet");
});

it("the Members card and the retention table's members are one definition, written on the page", async () => {
  const gid = (n: number) => `gid://shopify/Customer/${n}`;
  const paid = (n: number) =>
    prisma.orderRecord.create({
      data: {
        shop: TEST_SHOP,
        orderGid: `gid://shopify/Order/${n}`,
        customerGid: gid(n),
        paidAt: new Date(Date.now() - 86_400_000),
        merchandiseMilli: parseMilli("30.00"),
      },
    });
  // 1: an account and an order. 2: a guest who only ordered. 3: a guest who redeemed a reward and
  // ordered. 4: an account, no order yet. 5: an account elsewhere.
  for (const [n, accountState] of [
    [1, "enabled"],
    [2, "disabled"],
    [3, "disabled"],
    [4, "ENABLED"],
  ] as const) {
    await prisma.member.create({ data: { shop: TEST_SHOP, customerGid: gid(n), accountState } });
  }
  await prisma.member.create({
    data: { shop: "elsewhere.myshopify.com", customerGid: gid(5), accountState: "enabled" },
  });
  for (const n of [1, 2, 3]) await paid(n);
  const redeemer = await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP, customerGid: gid(3) } });
  await prisma.redemption.create({
    data: {
      shop: TEST_SHOP,
      memberId: redeemer.id,
      customerGid: gid(3),
      rewardKey: "5-off",
      idempotencyKey: "members-definition-1",
      code: "MEMBER-AAAA-BBBB",
      pointsCost: 500,
      status: "ISSUED",
      startsAt: new Date(),
      endsAt: new Date(Date.now() + 86_400_000),
      reward: {},
    },
  });

  const body = await (await run(loader, await adminDocument("/app"))).json();
  // Members are customers (a paid order) with an account or a redeemed reward: 1 and 3. The guest
  // who only ordered is a non-member; 4 has no order yet, so is no customer at all.
  expect(body.retention.members.customers).toBe(2);
  expect(body.retention.nonMembers.customers).toBe(1);
  const html = await serverRender("/app");
  // The Members card shows that same figure (the old card counted all 4 member rows).
  expect(html).toMatch(new RegExp(`${strings.dashboard.members}</[^>]+>(<[^>]+>)*2<`));
  // The definition is on the page, under the card and with the table.
  const definition = strings.dashboard.membersHelp.replaceAll("'", "&#x27;");
  expect(html.split(definition).length - 1).toBeGreaterThanOrEqual(2);
});

it("a referral card on Home while referrals are on: the Referrals page's own figures", async () => {
  const off = await (await run(loader, await adminDocument("/app"))).json();
  expect(off.referrals).toBeNull();
  expect(await serverRender("/app")).not.toContain("Link visits");
  await saveReferralSettings(prisma, TEST_SHOP, { ...DEFAULT_REFERRAL_SETTINGS, enabled: true });
  await prisma.referralVisit.create({ data: { shop: TEST_SHOP, referrerId: "m-1" } });
  const on = await (await run(loader, await adminDocument("/app"))).json();
  expect(on.referrals.figures).toEqual((await referralsPage(prisma, TEST_SHOP, new Date())).figures);
  expect(on.referrals.figures).toMatchObject({ visits: 1, held: 0 });
  const html = await serverRender("/app");
  expect(html).toContain("Link visits");
  expect(html).toContain("Revenue from referred friends");
});
