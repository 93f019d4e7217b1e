/**
 * What the program does for the shop, as the dashboard shows it. Definitions
 * (also in docs/product.md):
 *   - customer: anyone with a paid, not cancelled, non-test order;
 *   - member: a customer with an account (Shopify's state "enabled") or who
 *     redeemed a reward; everyone else is a non-member. The Members card is
 *     the retention table's members' Customers figure;
 *   - revenue: an order's merchandise, shipping, tax and tips, less refunds;
 *   - repeat purchase rate: customers with 2 or more orders / customers;
 *   - average lifetime value: revenue to date / customers;
 *   - purchase frequency: orders / customers;
 *   - churn: of the customers who bought in the 365 days before now, the
 *     share with no order in the last `churnDays`;
 *   - at risk: customers whose last order is more than `atRiskDays` old;
 *   - points issued: earned (once spendable), bonuses and positive
 *     adjustments; redeemed: spent on codes less points given back; expired;
 *   - redemption rate: redeemed / issued over the period;
 *   - liability: unspent points (spendable and pending) valued at the best
 *     fixed-amount reward's money per point, in shop currency.
 * Every query is scoped by shop. Once a shop's rollups are built
 * (app/services/dashboard/dashboard-rollups.server.ts) the figures come from them, to
 * the same values; until then, from the ledger, orders and members directly.
 */
import type { PrismaClient } from "@prisma/client";
import { codeRevenue } from "../../db/code-revenue-rollup.server";
import {
  ledgerFlows,
  ledgerFlowsPerBucket,
  liveCodeRevenue,
  liveMemberCountAndUnspent,
  liveRetentionCounts,
  localBuckets,
  rolledUpFlows,
  rolledUpFlowsPerBucket,
} from "../../db/dashboard-report.server";
import { BUCKET_MS } from "../../db/ledger-flow-rollup.server";
import { tierMemberCounts } from "../../db/members.server";
import { memberTotals } from "../../db/member-totals-rollup.server";
import { ensureProgram } from "../../db/program.server";
import { retentionCounts } from "../../db/retention-rollup.server";
import { ensureRewards } from "../../db/rewards.server";
import { builtRollups, type Rollup } from "../../db/rollup-state.server";
import { formatMilli } from "../../loyalty/money";

export interface GroupMeasures {
  customers: number;
  repeatPurchaseRate: number | null;
  averageLifetimeValue: string | null;
  purchaseFrequency: number | null;
  churnRate: number | null;
  atRisk: number;
}

const DAY = 86_400_000;

/**
 * `sources: true` reads the ledger, orders and members even where rollups are built (tests
 * compare); `built` is which rollups the shop has, when the caller has read it already.
 */
type FromSources = { sources?: boolean; built?: Record<Rollup, boolean> };
const NO_ROLLUPS = { ledger: false, members: false, customers: false, codes: false };
const rollupsFor = async (db: PrismaClient, shop: string, input: FromSources) =>
  input.sources ? NO_ROLLUPS : (input.built ?? builtRollups(db, shop));
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * The dashboard's periods: days (30 daily buckets ending today), weeks (13
 * weekly buckets, Monday to Sunday, ending with this week) and months (12
 * calendar months ending with this one), in the shop's time zone.
 */
export const PERIODS = {
  "30": { unit: "day", step: "1 day", back: "29 days" },
  "90": { unit: "week", step: "1 week", back: "12 weeks" },
  "365": { unit: "month", step: "1 month", back: "11 months" },
} as const;
export type Period = keyof typeof PERIODS;

/** A time zone PostgreSQL and the browser both know, or UTC. */
export function zoneOrUtc(zone: string | null | undefined): string {
  if (!zone) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

export interface FlowBucket {
  /** The bucket's first local day, YYYY-MM-DD. */
  start: string;
  issued: number;
  redeemed: number;
  expired: number;
}

/**
 * Points issued, redeemed and expired per local day, week or month over the
 * period (every bucket, empty ones as zeros), bucketed in SQL. `from` is the
 * first bucket's start as an instant: the period the dashboard's totals use.
 */
export async function pointsOverTime(
  db: PrismaClient,
  shop: string,
  input: { period: Period; now: Date; timeZone: string | null } & FromSources,
): Promise<{ from: Date; timeZone: string; buckets: FlowBucket[] }> {
  const zone = zoneOrUtc(input.timeZone);
  if ((await rollupsFor(db, shop, input)).ledger) {
    const fromRollup = await pointsOverTimeFromRollup(db, shop, { ...input, zone });
    if (fromRollup) return fromRollup;
  }
  const rows = await ledgerFlowsPerBucket(db, shop, { ...PERIODS[input.period], now: input.now, zone });
  return {
    from: new Date(rows[0]!.first_utc),
    timeZone: zone,
    buckets: rows.map((row) => ({
      start: row.start,
      issued: Number(row.issued ?? 0n),
      redeemed: Number(row.redeemed ?? 0n),
      expired: Number(row.expired ?? 0n),
    })),
  };
}

/** A period's local buckets: each one's first local day and its start as an instant. */
export async function periodBuckets(
  db: PrismaClient,
  input: { period: Period; now: Date; timeZone: string | null },
): Promise<{ start: string; first_utc: Date }[]> {
  return localBuckets(db, { ...PERIODS[input.period], now: input.now, zone: zoneOrUtc(input.timeZone) });
}

/**
 * The chart from the ledger's 15-minute buckets. Null if a local bucket of the
 * period does not start on a 15-minute mark (a zone's historical offset): the
 * caller then reads the ledger.
 */
async function pointsOverTimeFromRollup(
  db: PrismaClient,
  shop: string,
  input: { period: Period; now: Date; zone: string },
): Promise<{ from: Date; timeZone: string; buckets: FlowBucket[] } | null> {
  const series = await periodBuckets(db, { ...input, timeZone: input.zone });
  if (series.some((row) => row.first_utc.getTime() % BUCKET_MS !== 0)) return null;
  const from = series[0]!.first_utc;
  const sums = new Map<string, FlowBucket>();
  if (from < input.now) {
    // Each piece goes to the local bucket with the last start (as UTC wall time) at or before it.
    const starts = series.map((row) => row.first_utc.toISOString().slice(0, 23).replace("T", " "));
    const rows = await rolledUpFlowsPerBucket(db, shop, starts, from, input.now);
    for (const row of rows) {
      const start = series[row.i - 1]!.start;
      sums.set(start, {
        start,
        issued: Number(row.issued),
        redeemed: Number(row.redeemed),
        expired: Number(row.expired),
      });
    }
  }
  return {
    from,
    timeZone: input.zone,
    buckets: series.map(({ start }) => sums.get(start) ?? { start, issued: 0, redeemed: 0, expired: 0 }),
  };
}

export async function retentionMeasures(
  db: PrismaClient,
  shop: string,
  input: { now: Date; churnDays: number; atRiskDays: number } & FromSources,
): Promise<{ members: GroupMeasures; nonMembers: GroupMeasures }> {
  const yearAgo = new Date(input.now.getTime() - 365 * DAY);
  const churnCutoff = new Date(input.now.getTime() - input.churnDays * DAY);
  const atRiskCutoff = new Date(input.now.getTime() - input.atRiskDays * DAY);
  const counts = (await rollupsFor(db, shop, input)).customers
    ? await retentionCounts(db, shop, { now: input.now, yearAgo, churnCutoff, atRiskCutoff })
    : await liveRetentionCounts(db, shop, { now: input.now, yearAgo, churnCutoff, atRiskCutoff });
  const group = (member: boolean): GroupMeasures => {
    const row = counts.find((r) => r.member === member);
    if (!row) {
      return {
        customers: 0,
        repeatPurchaseRate: null,
        averageLifetimeValue: null,
        purchaseFrequency: null,
        churnRate: null,
        atRisk: 0,
      };
    }
    const customers = row.customers;
    return {
      customers,
      repeatPurchaseRate: ratio(row.repeaters, customers),
      averageLifetimeValue: customers > 0 ? formatMilli(row.revenue / BigInt(customers)) : null,
      purchaseFrequency: ratio(row.orders, customers),
      churnRate: ratio(row.churned, row.lastYearBuyers),
      atRisk: row.atRisk,
    };
  };
  return { members: group(true), nonMembers: group(false) };
}

export type FlowTotals = { issued: number; redeemed: number; expired: number };

/** The chart's buckets added up: the period's flows. */
export const flowTotals = (buckets: FlowBucket[]): FlowTotals =>
  buckets.reduce(
    (sum, b) => ({
      issued: sum.issued + b.issued,
      redeemed: sum.redeemed + b.redeemed,
      expired: sum.expired + b.expired,
    }),
    { issued: 0, redeemed: 0, expired: 0 },
  );

/**
 * The program's measures over [from, to). `flows`, when given, are the
 * period's flows already summed (the dashboard's chart over the same period):
 * awaited last, so the other figures are read meanwhile.
 */
export async function programMeasures(
  db: PrismaClient,
  shop: string,
  input: { from: Date; to: Date; flows?: Promise<FlowTotals> } & FromSources,
) {
  const built = await rollupsFor(db, shop, input);
  const [totals, codes, catalog, program] = await Promise.all([
    built.members ? memberTotals(db, shop) : liveMemberTotals(db, shop),
    built.codes ? codeRevenue(db, shop, input) : liveCodeRevenue(db, shop, input),
    ensureRewards(db, shop),
    ensureProgram(db, shop),
  ]);
  const flows = input.flows ? await input.flows : await ledgerFlowTotals(db, shop, input, built.ledger);
  const rewards = catalog.filter((r) => r.enabled && r.type === "FIXED_AMOUNT" && r.amountMilli);
  // Milli-units per point, x1000 for precision: the best fixed-amount reward sets a point's worth.
  const perPointE3 = rewards.reduce((best, r) => {
    const value = (r.amountMilli! * 1000n) / BigInt(Math.max(r.pointsCost, 1));
    return value > best ? value : best;
  }, 0n);
  const { issued, redeemed } = flows;
  const { unspent, byTier } = totals;
  // The Members card is the retention table's members (retentionMeasures), one definition; the
  // tiers and the liability count every member row, since anyone in the program holds points.
  return {
    pointsIssued: issued,
    pointsRedeemed: redeemed,
    pointsExpired: flows.expired,
    redemptionRate: ratio(redeemed, issued),
    liability: formatMilli((unspent * perPointE3) / 1000n),
    codeOrders: codes.orders,
    codeRevenue: formatMilli(codes.revenue),
    // A member not yet placed counts in the first tier, as the storefront shows them.
    tiers: program.tiers.map((tier, i) => ({
      name: tier.name,
      members: (byTier[tier.key] ?? 0) + (i === 0 ? (byTier[""] ?? 0) : 0),
    })),
  };
}

async function ledgerFlowTotals(
  db: PrismaClient,
  shop: string,
  input: { from: Date; to: Date },
  fromRollup: boolean,
): Promise<FlowTotals> {
  const flows = fromRollup
    ? input.from < input.to
      ? await rolledUpFlows(db, shop, input.from, input.to)
      : undefined
    : await ledgerFlows(db, shop, input.from, input.to);
  return {
    issued: Number(flows?.issued ?? 0n),
    redeemed: Number(flows?.redeemed ?? 0n),
    expired: Number(flows?.expired ?? 0n),
  };
}

/** Members per tier and their unspent points, from the members themselves. */
async function liveMemberTotals(db: PrismaClient, shop: string) {
  return { ...(await liveMemberCountAndUnspent(db, shop)), byTier: await tierMemberCounts(db, shop) };
}
