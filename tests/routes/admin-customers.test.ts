/**
 * The admin's customer pages: list (search, filters, keyset pages), one
 * member's page and the staff actions on it, with requests signed as the
 * embedded admin signs them. Another shop's member is never found.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { parseMilli } from "~/loyalty/money";
import { exportLedger } from "~/services/exports/csv-export.server";
import { applyOrderEvent } from "~/services/orders/order-points.server";
import { refundFacts, snapshot } from "../support/order-events";
import { loader as listLoader } from "~/routes/app.customers._index";
import { action as memberAction, loader as memberLoader } from "~/routes/app.customers.$memberId";
import type { adminStandIn } from "../support/admin-stand-in";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { resetLoyaltyData } from "../support/reset";
import { shopifyForShop } from "../support/shopify-for-shop";
import type { ShopifyEdge } from "../support/shopify-edge";

const OTHER_SHOP = "other-customers.myshopify.com";
let edge: ShopifyEdge | undefined;
let shopify: ReturnType<typeof adminStandIn>;

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.redemption.deleteMany();
  await prisma.session.deleteMany();
  ({ shopify, edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_customers"));
});
afterEach(() => edge?.restore());

async function seedMembers(shop: string, count: number) {
  await prisma.member.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      shop,
      customerGid: `gid://shopify/Customer/${70_000 + i}`,
      email: `shopper${i}@example.com`,
      firstName: i % 2 ? "Ada" : "Grace",
      lastName: `Number${i}`,
      balance: (i * 37) % 500,
      tierKey: i % 3 === 0 ? "silver" : "member",
    })),
  });
}

const list = async (query: string) =>
  (await run(listLoader, await adminDocument(`/app/customers${query}`))).json();

describe("customer list", () => {
  it("pages through every member once, highest balance first, and never shows another shop's", async () => {
    await seedMembers(TEST_SHOP, 130);
    await seedMembers(OTHER_SHOP, 20);
    const seen: { id: string; balance: number }[] = [];
    let cursor: string | null = null;
    do {
      const page: { members: { id: string; balance: number }[]; nextCursor: string | null } = await list(
        cursor ? `?after=${cursor}` : "",
      );
      seen.push(...page.members);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(130);
    expect(new Set(seen.map((m) => m.id)).size).toBe(130);
    const balances = seen.map((m) => m.balance);
    expect(balances).toEqual([...balances].sort((a, b) => b - a));
    const theirs = await prisma.member.findMany({ where: { shop: OTHER_SHOP }, select: { id: true } });
    expect(seen.some((m) => theirs.some((t) => t.id === m.id))).toBe(false);
  });

  it("searches by email or name, filters by tier and balance", async () => {
    await seedMembers(TEST_SHOP, 30);
    expect((await list("?q=SHOPPER7%40example")).members.map((m: { email: string }) => m.email)).toEqual([
      "shopper7@example.com",
    ]);
    expect((await list("?q=number2")).members).toHaveLength(11); // Number2, Number20..29
    const silver = await list("?tier=silver");
    expect(silver.members.every((m: { tierKey: string }) => m.tierKey === "silver")).toBe(true);
    expect(silver.members).toHaveLength(10);
    const withPoints = await list("?balance=1&sort=newest");
    expect(withPoints.members.every((m: { balance: number }) => m.balance > 0)).toBe(true);
    expect(withPoints.members).toHaveLength(29);
  });
});

describe("customer list: previous page and the total", () => {
  type Page = {
    members: { id: string }[];
    nextCursor: string | null;
    previousCursor: string | null;
    total: number;
  };
  it("Previous page from any page gives back exactly the page before it, in every sort", async () => {
    await seedMembers(TEST_SHOP, 130);
    for (const sort of ["balance", "spend", "newest"]) {
      const pages: Page[] = [];
      let page: Page = await list(`?sort=${sort}`);
      expect(page.previousCursor).toBeNull();
      pages.push(page);
      while (page.nextCursor) {
        page = await list(`?sort=${sort}&after=${page.nextCursor}`);
        pages.push(page);
      }
      expect(pages).toHaveLength(3);
      // Walk back from the last page with each page's Previous link.
      for (let i = pages.length - 1; i > 0; i--) {
        const back: Page = await list(`?sort=${sort}&before=${pages[i]!.previousCursor}`);
        expect(back.members.map((m) => m.id)).toEqual(pages[i - 1]!.members.map((m) => m.id));
        // ...and Next from there goes forward to the page we came from.
        expect(back.nextCursor).not.toBeNull();
        const forward: Page = await list(`?sort=${sort}&after=${back.nextCursor}`);
        expect(forward.members.map((m) => m.id)).toEqual(pages[i]!.members.map((m) => m.id));
      }
      const first: Page = await list(`?sort=${sort}&before=${pages[1]!.previousCursor}`);
      expect(first.previousCursor).toBeNull();
    }
  });

  it("counts every member matching the search and filters, not only the page's", async () => {
    await seedMembers(TEST_SHOP, 130);
    await seedMembers(OTHER_SHOP, 20);
    expect((await list("")).total).toBe(130);
    expect((await list("?q=number2")).total).toBe(11);
    expect((await list("?tier=silver")).total).toBe(44);
  });

  it("lists each member's email beside the name, so two customers of one name tell apart", async () => {
    await seedMembers(TEST_SHOP, 4);
    const page = await list("?q=ada");
    expect(page.members.map((m: { label: string; email: string }) => [m.label, m.email]).sort()).toEqual([
      ["Ada Number1", "shopper1@example.com"],
      ["Ada Number3", "shopper3@example.com"],
    ]);
  });
});

describe("customer list by spend, last order and risk", () => {
  it("orders keep each member's spend, order count and last order; the list sorts and filters on them", async () => {
    const pay = (customer: number, order: number, total: string, daysAgo: number) =>
      applyOrderEvent(
        prisma,
        TEST_SHOP,
        {
          type: "paid",
          snapshot: {
            ...snapshot({
              orderGid: `gid://shopify/Order/${order}`,
              customerGid: `gid://shopify/Customer/${customer}`,
              updatedAt: new Date(Date.now() - daysAgo * 86_400_000),
              merchandise: parseMilli(total),
            }),
            paidAt: new Date(Date.now() - daysAgo * 86_400_000),
          },
        },
        new Date(),
      );
    await pay(1, 11, "120.00", 200); // lapsed big spender
    await pay(1, 12, "30.00", 190);
    await pay(2, 21, "80.00", 5);
    await pay(3, 31, "10.00", 400);
    const refund = refundFacts("gid://shopify/Order/21", "gid://shopify/Refund/21", parseMilli("20.00"));
    await applyOrderEvent(prisma, TEST_SHOP, { type: "refund", refund }, new Date());

    const bySpend = await list("?sort=spend");
    expect(
      bySpend.members.map((m: { spent: string; orderCount: number }) => [m.spent, m.orderCount]),
    ).toEqual([
      ["150.00", 2],
      ["60.00", 1],
      ["10.00", 1],
    ]);
    const byLast = await list("?sort=lastOrder");
    expect(byLast.members.map((m: { customerGid: string }) => m.customerGid)).toEqual([
      "gid://shopify/Customer/2",
      "gid://shopify/Customer/1",
      "gid://shopify/Customer/3",
    ]);
    const atRisk = await list("?risk=1&sort=spend");
    expect(atRisk.members.map((m: { customerGid: string }) => m.customerGid)).toEqual([
      "gid://shopify/Customer/1",
      "gid://shopify/Customer/3",
    ]);
    // A tampered cursor starts over rather than failing.
    expect((await list("?sort=spend&after=eyJ2IjoieHl6IiwiaWQiOiIxIn0")).members).toHaveLength(3);
  });
});

describe("a member's page", () => {
  const post = async (memberId: string, body: Record<string, string>) =>
    run(
      memberAction,
      await adminFetch(`/app/customers/${memberId}`, { method: "POST", body: new URLSearchParams(body) }),
      { memberId },
    );

  it("is 404 for another shop's member, for reading and for every action", async () => {
    await seedMembers(OTHER_SHOP, 1);
    const theirs = await prisma.member.findFirstOrThrow({ where: { shop: OTHER_SHOP } });
    const page = await run(memberLoader, await adminDocument(`/app/customers/${theirs.id}`), {
      memberId: theirs.id,
    });
    expect(page.status).toBe(404);
    const adjusted = await post(theirs.id, {
      intent: "adjust",
      points: "50",
      reason: "Sneaky",
      idempotencyKey: "other-shop-1",
    });
    expect(adjusted.status).toBe(404);
    expect((await prisma.member.findUniqueOrThrow({ where: { id: theirs.id } })).balance).toBe(0);
  });

  it("names each history row's order as Shopify's admin does (#1001); an order recorded without a name, by its id", async () => {
    const customerGid = "gid://shopify/Customer/501";
    const pay = (order: number, name: string | null, shop = TEST_SHOP) =>
      applyOrderEvent(
        prisma,
        shop,
        {
          type: "paid",
          snapshot: snapshot({
            orderGid: `gid://shopify/Order/${order}`,
            customerGid,
            updatedAt: new Date(),
            merchandise: parseMilli("20.00"),
            name,
          }),
        },
        new Date(),
      );
    await pay(7000000029, "#1001");
    // An order recorded before names were kept, and another shop's order of the same id and name.
    await pay(7000000030, null);
    await pay(7000000030, "#9999", OTHER_SHOP);
    const member = await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP, customerGid } });
    const page = await run(memberLoader, await adminDocument(`/app/customers/${member.id}`), {
      memberId: member.id,
    });
    const { entries } = (await page.json()) as { entries: { orderGid: string; orderName: string | null }[] };
    expect(entries.map((entry) => [entry.orderGid, entry.orderName])).toEqual([
      ["gid://shopify/Order/7000000030", null],
      ["gid://shopify/Order/7000000029", "#1001"],
    ]);

    // The points history CSV carries the name beside the id.
    const csv = await new Response(exportLedger(prisma, TEST_SHOP)).text();
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header).toContain("order_id,order_name,");
    expect(lines.map((line) => line.split(",").slice(6, 8))).toEqual(
      expect.arrayContaining([
        ["7000000029", "#1001"],
        ["7000000030", ""],
      ]),
    );
  });

  it("staff adjust points with a required reason; the staff member is recorded; a double submit applies once", async () => {
    await seedMembers(TEST_SHOP, 1);
    const member = await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    const missing = await post(member.id, {
      intent: "adjust",
      points: "50",
      reason: "",
      idempotencyKey: "adjust-key-1",
    });
    expect(missing.status).toBe(422);
    expect((await missing.json()).fieldErrors).toEqual({ reason: { code: "required" } });
    const form = { intent: "adjust", points: "50", reason: "Damaged parcel", idempotencyKey: "adjust-key-2" };
    expect((await post(member.id, form)).status).toBe(200);
    expect((await post(member.id, form)).status).toBe(200);
    const entries = await prisma.ledgerEntry.findMany({ where: { shop: TEST_SHOP, memberId: member.id } });
    expect(entries).toEqual([
      expect.objectContaining({
        kind: "ADJUST",
        points: 50,
        note: "Damaged parcel",
        staffId: expect.stringMatching(/^gid:\/\/shopify\/StaffMember\/\w+/),
      }),
    ]);
    const overdraw = await post(member.id, {
      intent: "adjust",
      points: "-500",
      reason: "Too much",
      idempotencyKey: "adjust-key-3",
    });
    expect(overdraw.status).toBe(422);
    const page = await (
      await run(memberLoader, await adminDocument(`/app/customers/${member.id}`), { memberId: member.id })
    ).json();
    expect(page.member.balance).toBe(50);
    expect(page.entries).toHaveLength(1);
  });

  it("staff issue a reward for the customer, then revoke it: code deleted in Shopify, points back", async () => {
    await seedMembers(TEST_SHOP, 1);
    const member = await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    await post(member.id, {
      intent: "adjust",
      points: "600",
      reason: "Opening",
      idempotencyKey: "adjust-key-9",
    });
    const issued = await post(member.id, {
      intent: "issue",
      rewardKey: "5-off",
      idempotencyKey: "issue-key-1",
    });
    expect(issued.status).toBe(200);
    const redemption = await prisma.redemption.findFirstOrThrow({
      where: { shop: TEST_SHOP, memberId: member.id },
    });
    expect(redemption).toMatchObject({ source: "STAFF", status: "ISSUED", pointsCost: 500 });
    expect(shopify.codes.has(redemption.code)).toBe(true);
    const poor = await post(member.id, {
      intent: "issue",
      rewardKey: "25-off",
      idempotencyKey: "issue-key-2",
    });
    expect(poor.status).toBe(409);
    const revoked = await post(member.id, { intent: "revoke", redemptionId: redemption.id });
    expect(revoked.status).toBe(200);
    expect(shopify.codes.has(redemption.code)).toBe(false);
    expect((await prisma.member.findUniqueOrThrow({ where: { id: member.id } })).balance).toBe(600);
  });
});

describe("members whose names and emails Shopify withholds (protected customer data level 1)", () => {
  const HIDDEN = "gid://shopify/Customer/7302485617";
  /** orders/paid from a shop without level-2 approval: the customer comes with null name and email. */
  const paidByHiddenCustomer = () =>
    applyOrderEvent(
      prisma,
      TEST_SHOP,
      {
        type: "paid",
        snapshot: snapshot({
          orderGid: "gid://shopify/Order/880",
          customerGid: HIDDEN,
          updatedAt: new Date(),
          merchandise: parseMilli("40.00"),
        }),
      },
      new Date(),
    );

  it("are listed by their Shopify customer number, found by it, and the list says why names are missing", async () => {
    await paidByHiddenCustomer();
    await seedMembers(TEST_SHOP, 12);
    const page = await list("");
    // THEN the list says names are missing, and why (protected customer data)
    expect(page.namesHidden).toBe(true);
    const hidden = page.members.find((m: { customerGid: string }) => m.customerGid === HIDDEN);
    expect(hidden).toMatchObject({ label: "Customer 7302485617", contactHidden: true, email: null });
    const named = page.members.find((m: { customerGid: string }) => m.customerGid.endsWith("/70003"));
    expect(named).toMatchObject({ label: "Ada Number3", contactHidden: false });
    // AND the member is found by that number, while search by name still finds the named ones
    expect((await list("?q=7302485617")).members.map((m: { customerGid: string }) => m.customerGid)).toEqual([
      HIDDEN,
    ]);
    expect((await list("?q=number11")).members).toHaveLength(1);
    // AND sorting still works with the unnamed member in it
    const bySpend = await list("?sort=spend");
    expect(bySpend.members[0].customerGid).toBe(HIDDEN);
    // WHEN Shopify approves and the name arrives (customers/update), the notice goes
    await prisma.member.updateMany({ where: { customerGid: HIDDEN }, data: { firstName: "Ada" } });
    expect((await list("")).namesHidden).toBe(false);
  });

  it("the member's page names them by number and says why", async () => {
    await paidByHiddenCustomer();
    const member = await prisma.member.findFirstOrThrow({ where: { shop: TEST_SHOP, customerGid: HIDDEN } });
    const page = await (
      await run(memberLoader, await adminDocument(`/app/customers/${member.id}`), { memberId: member.id })
    ).json();
    expect(page.member).toMatchObject({ label: "Customer 7302485617", contactHidden: true, name: null });
  });
});
