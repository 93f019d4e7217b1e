/**
 * The dashboard chart's buckets (points issued, redeemed, expired per local
 * day, week or month), computed in SQL, checked against a ledger whose answer
 * is worked out by hand in the shop's time zone (New York: EST, UTC-5, until
 * 8 March 2026, then EDT, UTC-4), across local midnights and the DST change;
 * read from the ledger, then from the rollups built over it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { LedgerKind } from "@prisma/client";
import { prisma } from "~/db.server";
import { builtRollups } from "~/db/rollup-state.server";
import { catchUpRollups } from "~/services/dashboard/dashboard-rollups.server";
import {
  pointsOverTime,
  programMeasures,
  zoneOrUtc,
  type FlowBucket,
} from "~/services/dashboard/retention.server";

const SHOP = "chart.myshopify.com";
const OTHER = "chart-other.myshopify.com";
const ZONE = "America/New_York";
// Friday 20 March 2026, 11:00 in New York.
const NOW = new Date("2026-03-20T15:00:00Z");
let n = 0;

async function entry(shop: string, kind: LedgerKind, points: number, at: string) {
  const member = await prisma.member.upsert({
    where: { shop_customerGid: { shop, customerGid: "gid://shopify/Customer/1" } },
    create: { shop, customerGid: "gid://shopify/Customer/1" },
    update: {},
  });
  await prisma.ledgerEntry.create({
    data: {
      shop,
      memberId: member.id,
      kind,
      points,
      balanceAfter: 0,
      pendingAfter: 0,
      sourceKey: `chart:${++n}`,
      createdAt: new Date(at),
      occurredAt: new Date(at),
    },
  });
}

beforeAll(async () => {
  await entry(SHOP, "EARN", 11, "2025-04-01T03:00:00Z"); // 31 Mar 23:00 EDT: before the 12 months
  await entry(SHOP, "EARN", 13, "2025-04-01T04:00:00Z"); // 1 Apr 00:00 EDT: the 12 months' first instant
  await entry(SHOP, "BONUS", 7, "2026-02-19T04:00:00Z"); // 18 Feb 23:00 EST: the day before the 30 days
  await entry(SHOP, "ADJUST", 30, "2026-02-19T05:30:00Z"); // 19 Feb 00:30 EST: the 30 days' first day
  await entry(SHOP, "EXPIRE", -40, "2026-03-10T04:59:00Z"); // 10 Mar 00:59 EDT (09 Mar 23:59 if EST were used)
  await entry(SHOP, "ADJUST", -10, "2026-03-15T12:00:00Z"); // a deduction: neither issued nor redeemed
  await entry(SHOP, "REVERSE", -20, "2026-03-15T13:00:00Z"); // a refund's take-back: none of the three
  await entry(SHOP, "REDEEM", -500, "2026-03-18T12:00:00Z");
  await entry(SHOP, "REDEEM_REFUND", 200, "2026-03-18T13:00:00Z"); // points given back: 300 redeemed
  await entry(SHOP, "EARN", 100, "2026-03-20T03:30:00Z"); // 19 Mar 23:30 EDT (20 Mar in UTC)
  await entry(SHOP, "RELEASE", 50, "2026-03-20T04:30:00Z"); // 20 Mar 00:30 EDT
  await entry(SHOP, "EARN", 1000, "2026-03-20T16:00:00Z"); // after now
  await entry(OTHER, "EARN", 5000, "2026-03-19T12:00:00Z"); // another shop
});

const nonZero = (buckets: FlowBucket[]) =>
  buckets.filter((bucket) => bucket.issued || bucket.redeemed || bucket.expired);
const zero = { issued: 0, redeemed: 0, expired: 0 };

describe.each(["sources", "rollups"] as const)(
  "points over time, in the shop's time zone (from %s)",
  (source) => {
    beforeAll(async () => {
      // The same answers once the shop's rollups are built (app/services/dashboard/dashboard-rollups.server.ts).
      if (source === "rollups") await catchUpRollups(prisma, SHOP, NOW);
      expect((await builtRollups(prisma, SHOP)).ledger).toBe(source === "rollups");
    });

    it("30 days: 30 daily buckets ending today, local midnights and DST respected", async () => {
      const { from, buckets, timeZone } = await pointsOverTime(prisma, SHOP, {
        period: "30",
        now: NOW,
        timeZone: ZONE,
      });
      expect(timeZone).toBe(ZONE);
      expect(from).toEqual(new Date("2026-02-19T05:00:00Z")); // 19 Feb 00:00 EST
      expect(buckets).toHaveLength(30);
      expect(buckets[0]!.start).toBe("2026-02-19");
      expect(buckets[29]!.start).toBe("2026-03-20");
      expect(buckets.find((bucket) => bucket.start === "2026-03-08")).toEqual({
        start: "2026-03-08",
        ...zero,
      });
      expect(nonZero(buckets)).toEqual([
        { start: "2026-02-19", issued: 30, redeemed: 0, expired: 0 },
        { start: "2026-03-10", issued: 0, redeemed: 0, expired: 40 },
        { start: "2026-03-18", issued: 0, redeemed: 300, expired: 0 },
        { start: "2026-03-19", issued: 100, redeemed: 0, expired: 0 },
        { start: "2026-03-20", issued: 50, redeemed: 0, expired: 0 },
      ]);
    });

    it("90 days: 13 weeks, Monday to Sunday, ending with this week", async () => {
      const { from, buckets } = await pointsOverTime(prisma, SHOP, {
        period: "90",
        now: NOW,
        timeZone: ZONE,
      });
      expect(from).toEqual(new Date("2025-12-22T05:00:00Z")); // Monday 22 Dec 00:00 EST
      expect(buckets.map((bucket) => bucket.start)).toEqual([
        "2025-12-22",
        "2025-12-29",
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-01-26",
        "2026-02-02",
        "2026-02-09",
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
      ]);
      expect(nonZero(buckets)).toEqual([
        { start: "2026-02-16", issued: 37, redeemed: 0, expired: 0 },
        { start: "2026-03-09", issued: 0, redeemed: 0, expired: 40 },
        { start: "2026-03-16", issued: 150, redeemed: 300, expired: 0 },
      ]);
    });

    it("365 days: 12 calendar months ending with this one", async () => {
      const { from, buckets } = await pointsOverTime(prisma, SHOP, {
        period: "365",
        now: NOW,
        timeZone: ZONE,
      });
      expect(from).toEqual(new Date("2025-04-01T04:00:00Z")); // 1 Apr 00:00 EDT
      expect(buckets).toHaveLength(12);
      expect(buckets[0]!.start).toBe("2025-04-01");
      expect(buckets[11]!.start).toBe("2026-03-01");
      expect(nonZero(buckets)).toEqual([
        { start: "2025-04-01", issued: 13, redeemed: 0, expired: 0 },
        { start: "2026-02-01", issued: 37, redeemed: 0, expired: 0 },
        { start: "2026-03-01", issued: 150, redeemed: 300, expired: 40 },
      ]);
    });

    it("the dashboard's totals over the same period add up to the chart", async () => {
      for (const period of ["30", "90", "365"] as const) {
        const { from, buckets } = await pointsOverTime(prisma, SHOP, { period, now: NOW, timeZone: ZONE });
        const totals = await programMeasures(prisma, SHOP, { from, to: NOW });
        const sum = (key: "issued" | "redeemed" | "expired") => buckets.reduce((s, b) => s + b[key], 0);
        expect([totals.pointsIssued, totals.pointsRedeemed, totals.pointsExpired]).toEqual([
          sum("issued"),
          sum("redeemed"),
          sum("expired"),
        ]);
      }
    });

    it("a shop without a (valid) time zone is bucketed in UTC", async () => {
      expect(zoneOrUtc(null)).toBe("UTC");
      expect(zoneOrUtc("Mars/Olympus_Mons")).toBe("UTC");
      const { from, buckets, timeZone } = await pointsOverTime(prisma, SHOP, {
        period: "30",
        now: NOW,
        timeZone: "Mars/Olympus_Mons",
      });
      expect(timeZone).toBe("UTC");
      expect(from).toEqual(new Date("2026-02-19T00:00:00Z"));
      expect(nonZero(buckets)).toEqual([
        { start: "2026-02-19", issued: 37, redeemed: 0, expired: 0 },
        { start: "2026-03-10", issued: 0, redeemed: 0, expired: 40 },
        { start: "2026-03-18", issued: 0, redeemed: 300, expired: 0 },
        { start: "2026-03-20", issued: 150, redeemed: 0, expired: 0 },
      ]);
    });
  },
);
