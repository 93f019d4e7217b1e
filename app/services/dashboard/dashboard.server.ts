/**
 * The dashboard's figures for one view, read at once: the chart, the program
 * measures (whose point flows are the chart's buckets added up, so the two
 * always agree) and the retention measures. Reading writes nothing: pending
 * rollup changes are read as they are, and the caller queues the
 * dashboard-rollups job, which folds them (and builds rollups a shop lacks).
 */
import type { PrismaClient } from "@prisma/client";
import { ROLLUPS, builtRollups } from "../../db/rollup-state.server";
import { pointsByAction } from "../../db/earn-rules.server";
import {
  flowTotals,
  periodBuckets,
  pointsOverTime,
  programMeasures,
  retentionMeasures,
  type Period,
} from "./retention.server";

import { bonusEventPoints } from "../../db/bonus-events.server";

export async function dashboardFigures(
  db: PrismaClient,
  shop: string,
  input: { period: Period; now: Date; timeZone: string | null; churnDays: number; atRiskDays: number },
) {
  const { now } = input;
  const [built, buckets] = await Promise.all([builtRollups(db, shop), periodBuckets(db, input)]);
  // The period is whole local days, weeks or months; the totals cover the chart's buckets.
  const from = buckets[0]!.first_utc;
  const chart = pointsOverTime(db, shop, { period: input.period, now, timeZone: input.timeZone, built });
  const flows = chart.then((result) => flowTotals(result.buckets));
  flows.catch(() => undefined); // a failed chart fails the view through `chart` itself
  const [chartResult, program, retention, eventPoints, byAction] = await Promise.all([
    chart,
    programMeasures(db, shop, { from, to: now, flows, built }),
    retentionMeasures(db, shop, { now, churnDays: input.churnDays, atRiskDays: input.atRiskDays, built }),
    // Of the points issued, those bonus events added to orders awarded in the period (decision 0022).
    bonusEventPoints(db, shop, from, now),
    // Points per way to earn besides orders (decision 0023): few entries, read from their index.
    pointsByAction(db, shop, from, now),
  ]);
  return {
    chart: chartResult,
    program: { ...program, bonusEventPoints: eventPoints },
    retention,
    byAction,
    rollupsMissing: ROLLUPS.some((rollup) => !built[rollup]),
  };
}
