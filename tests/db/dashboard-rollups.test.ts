/**
 * The dashboard's rollups give exactly what its sources give. A randomized
 * history per seed (ledger entries at any date, including the open bucket on
 * both sides of `now`, local midnights of half- and three-quarter-hour zones
 * and DST changes; orders paid, cancelled, test, refunded, paid after `now`;
 * members of several tiers, accounts enabled or not; redemptions) is built
 * into rollups, then changed in every way writers change it (past-dated
 * entries, late orders and refunds, tier moves after a settings change,
 * balances, a member deleted, a customers/redact), and after each step every
 * figure is compared with the same figure read from the ledger, orders and
 * members (`sources: true`), over zones, periods, `now`s, arbitrary ranges
 * and churn/at-risk windows: with changes unfolded, partly folded and fully
 * folded. A mismatch prints the seed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { LedgerKind } from "@prisma/client";
import { prisma } from "~/db.server";
import { deleteShopData } from "~/db/shops.server";
import { builtRollups } from "~/db/rollup-state.server";
import { redactCustomer } from "~/services/privacy/customer-identity.server";
import { catchUpRollups, foldPending } from "~/services/dashboard/dashboard-rollups.server";
import { dashboardFigures } from "~/services/dashboard/dashboard.server";
import {
  pointsOverTime,
  programMeasures,
  retentionMeasures,
  type Period,
} from "~/services/dashboard/retention.server";

// Sunday 8 March 2026, 07:10 UTC: New York has just moved to EDT (07:00 UTC).
const NOW = new Date("2026-03-08T07:10:00Z");
const NOWS = [
  NOW,
  new Date(NOW.getTime() + 7 * 60_000 + 123), // 07:17:00.123, inside the open bucket
  new Date("2026-04-05T15:45:00Z"), // on a bucket boundary; Lord Howe leaves DST (+11 -> +10:30)
];
const ZONES = ["Asia/Kolkata", "Asia/Kathmandu", "America/New_York", "Australia/Lord_Howe", "UTC"];
const PERIODS: Period[] = ["30", "90", "365"];
const KINDS: LedgerKind[] = [
  "EARN",
  "RELEASE",
  "REVERSE",
  "REDEEM",
  "REDEEM_REFUND",
  "EXPIRE",
  "ADJUST",
  "BONUS",
  "FLOW",
];
const MIN = 60_000;
const DAY = 86_400_000;

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof generator>;

/** An instant a test is likely to get wrong: near `now`, a local midnight, a DST change, or anywhere. */
function instant(r: Random): Date {
  const around = (at: number, spread: number) => new Date(at + r.int(-spread, spread));
  switch (r.int(0, 7)) {
    case 0:
      return around(NOW.getTime(), 20 * MIN); // the open bucket, both sides of now
    case 1:
      return around(Date.parse("2026-03-07T18:30:00Z"), 2 * MIN); // 8 Mar 00:00 in Kolkata (+05:30)
    case 2:
      return around(Date.parse("2026-03-06T18:15:00Z"), 90_000); // 7 Mar 00:00 in Kathmandu (+05:45)
    case 3:
      return around(Date.parse("2026-03-08T07:00:00Z"), 30 * MIN); // New York's DST change
    case 4:
      return around(Date.parse("2026-04-04T15:00:00Z"), 60 * MIN); // Lord Howe's change
    case 5:
      return around(NOW.getTime() - r.int(1, 400) * DAY, 12 * 3_600_000); // a past date (backfill, late webhook)
    default:
      return new Date(NOW.getTime() - r.next() * 420 * DAY);
  }
}

let sequence = 0;
const unique = () => `${Date.now().toString(36)}-${++sequence}`;

function history(shop: string, r: Random) {
  const customers = Array.from({ length: 24 }, (_, i) => `gid://shopify/Customer/${shop.length}${i + 1}`);
  const memberIds = new Map<string, string>();

  async function member(customerGid: string) {
    const known = memberIds.get(customerGid);
    if (known) return known;
    const created = await prisma.member.upsert({
      where: { shop_customerGid: { shop, customerGid } },
      create: {
        shop,
        customerGid,
        accountState: r.pick(["enabled", "ENABLED", "disabled", "invited", null]),
        tierKey: r.pick(["bronze", "silver", "gold", null]),
        balance: r.int(0, 3000),
        pending: r.int(0, 2) === 0 ? r.int(1, 400) : 0,
      },
      update: {},
    });
    memberIds.set(customerGid, created.id);
    return created.id;
  }

  async function entries(count: number) {
    for (let i = 0; i < count; i++) {
      const kind = r.pick(KINDS);
      const magnitude = r.int(1, 900);
      const points = ["EARN", "RELEASE", "BONUS", "REDEEM_REFUND"].includes(kind)
        ? magnitude
        : kind === "ADJUST" || kind === "FLOW"
          ? r.pick([magnitude, -magnitude])
          : -magnitude;
      const memberId = await member(r.pick(customers));
      const pendingPoints = r.int(0, 4) === 0 ? r.int(-50, 50) : 0;
      const at = instant(r);
      await prisma.ledgerEntry.create({
        data: {
          shop,
          memberId,
          kind,
          points,
          pendingPoints,
          balanceAfter: 0,
          pendingAfter: 0,
          sourceKey: `random:${unique()}`,
          // The chart dates entries by when they happened; here that is when they were recorded.
          createdAt: at,
          occurredAt: at,
        },
      });
    }
  }

  async function orders(count: number) {
    for (let i = 0; i < count; i++) {
      const paidAt = r.int(0, 9) === 0 ? null : instant(r);
      const order = await prisma.orderRecord.create({
        data: {
          shop,
          orderGid: `gid://shopify/Order/${unique()}`,
          customerGid: r.int(0, 19) === 0 ? null : r.pick(customers),
          paidAt,
          cancelledAt: r.int(0, 12) === 0 ? NOW : null,
          test: r.int(0, 15) === 0,
          merchandiseMilli: BigInt(r.int(1000, 250_000)),
          shippingMilli: BigInt(r.pick([0, 4950])),
          taxMilli: BigInt(r.int(0, 9000)),
          tipsMilli: BigInt(r.pick([0, 0, 1000])),
        },
      });
      if (r.int(0, 5) === 0) {
        await prisma.orderRefund.create({
          data: {
            shop,
            refundGid: `gid://shopify/Refund/${unique()}`,
            orderId: order.id,
            merchandiseMilli: BigInt(r.int(100, 1000)),
            refundedAt: NOW,
          },
        });
      }
    }
  }

  /** Orders a code may be used on: recorded ones, and some recorded only later (a late webhook). */
  const lateOrders: string[] = [];
  async function codeOrder(): Promise<string> {
    if (r.int(0, 3) === 0) {
      const gid = `gid://shopify/Order/late-${unique()}`;
      lateOrders.push(gid);
      return gid;
    }
    const orders = await prisma.orderRecord.findMany({ where: { shop }, select: { orderGid: true } });
    return r.pick(orders).orderGid;
  }

  async function redemption(customerGid: string) {
    const status = r.pick(["USED", "USED", "ISSUED", "EXPIRED"] as const);
    await prisma.redemption.create({
      data: {
        shop,
        memberId: await member(customerGid),
        customerGid,
        rewardKey: "5-off",
        idempotencyKey: unique(),
        code: `ROLL-${unique()}`,
        pointsCost: 500,
        status,
        startsAt: NOW,
        endsAt: new Date(NOW.getTime() + 30 * DAY),
        reward: {},
        ...(status === "USED" ? { usedOrderGid: await codeOrder(), usedAt: instant(r) } : {}),
      },
    });
  }

  async function recordLateOrders() {
    for (const orderGid of lateOrders.splice(0)) {
      await prisma.orderRecord.create({
        data: {
          shop,
          orderGid,
          customerGid: r.pick(customers),
          paidAt: instant(r),
          merchandiseMilli: 12_345n,
        },
      });
    }
  }

  return { customers, member, entries, orders, redemption, codeOrder, recordLateOrders };
}

/**
 * The grid's figures read from the sources, kept while the sources stay as they are: folding
 * writes only rollups and their change tables, so the figures before and after a fold are
 * compared with one reading of the sources.
 */
type SourceFigures = Map<string, Promise<unknown>>;

function fromSources<T>(kept: SourceFigures | undefined, key: string, read: () => Promise<T>): Promise<T> {
  if (!kept) return read();
  if (!kept.has(key)) kept.set(key, read());
  return kept.get(key) as Promise<T>;
}

/**
 * Every figure from the rollups against the same figure from the sources. `kept`: source
 * figures of an earlier call on the same sources (see SourceFigures).
 */
async function expectSameFigures(shop: string, r: Random, label: string, kept?: SourceFigures) {
  for (const now of NOWS) {
    for (const timeZone of ZONES) {
      for (const period of PERIODS) {
        const input = { period, now, timeZone };
        const key = `${period} ${timeZone} ${now.toISOString()}`;
        const sources = await fromSources(kept, `chart ${key}`, () =>
          pointsOverTime(prisma, shop, { ...input, sources: true }),
        );
        expect(await pointsOverTime(prisma, shop, input), `${label}: chart ${key}`).toEqual(sources);
        const range = { from: sources.from, to: now };
        const program = await fromSources(kept, `totals ${key}`, () =>
          programMeasures(prisma, shop, { ...range, sources: true }),
        );
        expect(await programMeasures(prisma, shop, range), `${label}: totals ${period} ${timeZone}`).toEqual(
          program,
        );
        // The view as the loader reads it (totals from the chart, everything at once).
        if (period !== "30" || timeZone !== "UTC") continue;
        const windows = { churnDays: 90, atRiskDays: 180 };
        const view = await dashboardFigures(prisma, shop, { ...input, ...windows });
        // Points from bonus events are read from the orders themselves, not from a rollup.
        const { bonusEventPoints, ...viewProgram } = view.program;
        expect(bonusEventPoints).toBe(0);
        expect(
          { chart: view.chart, program: viewProgram, retention: view.retention },
          `${label}: view`,
        ).toEqual({
          chart: sources,
          program,
          retention: await fromSources(kept, `retention ${key}`, () =>
            retentionMeasures(prisma, shop, { now, ...windows, sources: true }),
          ),
        });
      }
    }
    for (let i = 0; i < 4; i++) {
      const windows = { now, churnDays: r.int(7, 730), atRiskDays: r.int(7, 730) };
      expect(
        await retentionMeasures(prisma, shop, windows),
        `${label}: retention ${JSON.stringify(windows)}`,
      ).toEqual(await retentionMeasures(prisma, shop, { ...windows, sources: true }));
    }
  }
  // Cutoffs (a year, the churn and at-risk windows before `now`) minutes away from a paid order.
  const paid = await prisma.orderRecord.findMany({
    where: { shop, paidAt: { not: null } },
    select: { paidAt: true },
  });
  for (let i = 0; i < 8 && paid.length > 0; i++) {
    const days = r.pick([365, r.int(7, 730)]);
    const now = new Date(r.pick(paid).paidAt!.getTime() + days * DAY + r.int(-40, 40) * MIN);
    const windows = {
      now,
      churnDays: r.pick([days, r.int(7, 730)]),
      atRiskDays: r.pick([days, r.int(7, 730)]),
    };
    expect(
      await retentionMeasures(prisma, shop, windows),
      `${label}: retention ${JSON.stringify(windows)}`,
    ).toEqual(await retentionMeasures(prisma, shop, { ...windows, sources: true }));
  }
  // Arbitrary ranges: ends anywhere, inside buckets, on both sides of entries.
  for (let i = 0; i < 12; i++) {
    const a = instant(r);
    const b = r.int(0, 2) === 0 ? new Date(a.getTime() + r.int(1, 30 * MIN)) : instant(r);
    const range = a < b ? { from: a, to: b } : { from: b, to: a };
    expect(await programMeasures(prisma, shop, range), `${label}: range ${JSON.stringify(range)}`).toEqual(
      await programMeasures(prisma, shop, { ...range, sources: true }),
    );
  }
}

const SEEDS = (process.env.ROLLUP_SEEDS ?? "11,23,37").split(",").map(Number);

describe.each(SEEDS)("rollups against their sources, seed %i", (seed) => {
  const shop = `rollups-${seed}.myshopify.com`;
  const r = generator(seed);
  const shopHistory = history(shop, r);

  beforeAll(async () => {
    for (const customer of shopHistory.customers.slice(0, 18)) await shopHistory.member(customer);
    await shopHistory.entries(160);
    await shopHistory.orders(70);
    await shopHistory.redemption(shopHistory.customers[20]!); // a customer without an account: a member
    // Codes used on orders (two on one order, some on orders not recorded yet).
    for (let i = 0; i < 14; i++) await shopHistory.redemption(r.pick(shopHistory.customers));
  });

  it("a shop with no rollup yet reads its sources; the first catch-up builds every rollup", async () => {
    expect(await builtRollups(prisma, shop)).toEqual({
      ledger: false,
      members: false,
      customers: false,
      codes: false,
    });
    const before = await retentionMeasures(prisma, shop, { now: NOW, churnDays: 90, atRiskDays: 180 });
    const { built } = await catchUpRollups(prisma, shop, NOW);
    expect(built).toEqual(["ledger", "members", "customers", "codes"]);
    expect(await builtRollups(prisma, shop)).toEqual({
      ledger: true,
      members: true,
      customers: true,
      codes: true,
    });
    expect(await retentionMeasures(prisma, shop, { now: NOW, churnDays: 90, atRiskDays: 180 })).toEqual(
      before,
    );
    await expectSameFigures(shop, r, `seed ${seed} built`);
  });

  it("changes after the build: unfolded, partly folded, then folded", async () => {
    // Past-dated entries (a backfill, late webhooks), orders paid long ago and after now, refunds.
    await shopHistory.entries(80);
    await shopHistory.orders(30);
    await shopHistory.recordLateOrders();
    await shopHistory.redemption(shopHistory.customers[22]!);
    for (let i = 0; i < 6; i++) await shopHistory.redemption(r.pick(shopHistory.customers));
    await shopHistory.recordLateOrders();
    // Codes revoked, used again elsewhere, used at another time; a refund on an order bought with one.
    const redemptions = await prisma.redemption.findMany({ where: { shop }, orderBy: { id: "asc" } });
    for (const [i, redemption] of redemptions.entries()) {
      if (i % 4 === 0)
        await prisma.redemption.update({ where: { id: redemption.id }, data: { status: "REVOKED" } });
      if (i % 4 === 1) {
        await prisma.redemption.update({
          where: { id: redemption.id },
          data: { status: "USED", usedOrderGid: await shopHistory.codeOrder(), usedAt: instant(r) },
        });
      }
      if (i % 4 === 2 && redemption.usedOrderGid) {
        const order = await prisma.orderRecord.findFirst({
          where: { shop, orderGid: redemption.usedOrderGid },
        });
        if (order) {
          await prisma.orderRefund.create({
            data: {
              shop,
              refundGid: `gid://shopify/Refund/${unique()}`,
              orderId: order.id,
              merchandiseMilli: 999n,
              refundedAt: NOW,
            },
          });
        }
      }
    }
    const orders = await prisma.orderRecord.findMany({ where: { shop }, orderBy: { id: "asc" }, take: 12 });
    for (const [i, order] of orders.entries()) {
      // An order cancelled, un-cancelled, re-priced, moved to another customer, marked test.
      const data = [
        { cancelledAt: order.cancelledAt ? null : NOW },
        { merchandiseMilli: order.merchandiseMilli + 777n },
        { customerGid: r.pick(shopHistory.customers) },
        { test: !order.test },
        { paidAt: instant(r) },
      ][i % 5]!;
      await prisma.orderRecord.update({ where: { id: order.id }, data });
    }
    // A settings change re-places members (a tier removed), balances move, accounts change.
    await prisma.member.updateMany({ where: { shop, tierKey: "silver" }, data: { tierKey: "bronze" } });
    const members = await prisma.member.findMany({ where: { shop }, orderBy: { id: "asc" } });
    for (const [i, member] of members.entries()) {
      if (i % 3 === 0)
        await prisma.member.update({ where: { id: member.id }, data: { balance: { increment: 17 } } });
      if (i % 4 === 1)
        await prisma.member.update({ where: { id: member.id }, data: { accountState: "enabled" } });
      if (i % 5 === 2)
        await prisma.member.update({ where: { id: member.id }, data: { tierKey: "gold", pending: 3 } });
    }
    // A member deleted (its ledger goes with it).
    await prisma.member.delete({ where: { id: members[members.length - 1]!.id } });
    // From here on only rollups change: the three checks share one reading of the sources.
    const sources: SourceFigures = new Map();
    await expectSameFigures(shop, r, `seed ${seed} unfolded`, sources);

    await foldPending(prisma, shop, 3);
    await expectSameFigures(shop, r, `seed ${seed} partly folded`, sources);

    await catchUpRollups(prisma, shop, NOW);
    const pending = await Promise.all([
      prisma.ledgerFlowChange.count({ where: { shop } }),
      prisma.memberTotalsChange.count({ where: { shop } }),
      prisma.customerChange.count({ where: { shop } }),
      prisma.codeOrderChange.count({ where: { shop } }),
    ]);
    expect(pending).toEqual([0, 0, 0, 0]);
    await expectSameFigures(shop, r, `seed ${seed} folded`, sources);
  });

  it("customers/redact: the figures follow, and nothing names the customer", async () => {
    const customerGid = shopHistory.customers[2]!;
    expect(await prisma.customerFigures.count({ where: { shop, customerGid } })).toBe(1);
    await redactCustomer(prisma, shop, customerGid);
    expect(await prisma.customerFigures.count({ where: { shop, customerGid } })).toBe(0);
    expect(await prisma.customerChange.count({ where: { shop, customerGid } })).toBe(0);
    await expectSameFigures(shop, r, `seed ${seed} redacted`);
  });
});

// Needs two of the seeds' shops (ROLLUP_SEEDS=a,b,...).
describe.runIf(SEEDS.length >= 2)("shop/redact and other shops", () => {
  it("drops the shop's rollups and leaves another shop's intact", async () => {
    const [gone, kept] = SEEDS.map((seed) => `rollups-${seed}.myshopify.com`);
    await deleteShopData(prisma, gone!);
    const left = await Promise.all(
      [
        prisma.ledgerFlowRollup,
        prisma.ledgerFlowChange,
        prisma.memberTotals,
        prisma.memberTotalsChange,
        prisma.customerFigures,
        prisma.retentionRollup,
        prisma.customerChange,
        prisma.dashboardRollupState,
        prisma.codeUse,
        prisma.codeOrderChange,
      ].map((table) => (table as typeof prisma.customerChange).count({ where: { shop: gone! } })),
    );
    expect(left).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    await expectSameFigures(kept!, generator(5), "the other shop");
    expect(
      (await programMeasures(prisma, kept!, { from: new Date(0), to: NOW })).pointsIssued,
    ).toBeGreaterThan(0);
  });
});

describe.runIf(process.env.DB_TARGET === "postgres")("transactions committing out of order", () => {
  it("an entry written before a fold but committed after it is counted, once", async () => {
    const shop = "rollups-concurrent.myshopify.com";
    const { id: memberId } = await prisma.member.create({
      data: { shop, customerGid: "gid://shopify/Customer/1" },
    });
    const entry = (points: number, at: Date) => ({
      shop,
      memberId,
      kind: "EARN" as const,
      points,
      balanceAfter: 0,
      pendingAfter: 0,
      sourceKey: `concurrent:${unique()}`,
      createdAt: at,
      occurredAt: at,
    });
    await prisma.ledgerEntry.create({ data: entry(1, new Date(NOW.getTime() - DAY)) });
    await catchUpRollups(prisma, shop, NOW);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const wrote = new Promise<void>((resolve) => (written = resolve));
    // The first writer takes the lower id and a past date, and holds its transaction open.
    const slow = prisma.$transaction(async (tx) => {
      await tx.ledgerEntry.create({ data: entry(10, new Date(NOW.getTime() - 40 * DAY)) });
      written();
      await gate;
    });
    await wrote;
    await prisma.ledgerEntry.create({ data: entry(100, new Date(NOW.getTime() - 2 * MIN)) });
    await catchUpRollups(prisma, shop, NOW);
    const issued = async () =>
      (await programMeasures(prisma, shop, { from: new Date(NOW.getTime() - 90 * DAY), to: NOW }))
        .pointsIssued;
    expect(await issued()).toBe(101);
    release();
    await slow;
    expect(await issued()).toBe(111);
    await catchUpRollups(prisma, shop, NOW);
    expect(await issued()).toBe(111);
    expect(
      (
        await programMeasures(prisma, shop, {
          from: new Date(NOW.getTime() - 90 * DAY),
          to: NOW,
          sources: true,
        })
      ).pointsIssued,
    ).toBe(111);
  });
});
