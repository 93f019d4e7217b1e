/**
 * The dashboard's figures for one view: pending rollup changes are folded
 * first (bounded, skipped if another fold runs), then the chart, then the
 * program and retention measures at once. Says whether a rollup is still to
 * be built (the caller queues the job that builds it).
 */
import type { PrismaClient } from "@prisma/client";
import { ROLLUPS } from "../db/rollup-state.server";
import { foldForView } from "./dashboard-rollups.server";
import { pointsOverTime, programMeasures, retentionMeasures, type Period } from "./retention.server";

export async function dashboardFigures(
  db: PrismaClient,
  shop: string,
  input: { period: Period; now: Date; timeZone: string | null; churnDays: number; atRiskDays: number },
) {
  const built = await foldForView(db, shop);
  const { now } = input;
  // The period is whole local days, weeks or months; the totals cover the chart's buckets.
  const chart = await pointsOverTime(db, shop, { period: input.period, now, timeZone: input.timeZone });
  const [program, retention] = await Promise.all([
    programMeasures(db, shop, { from: chart.from, to: now }),
    retentionMeasures(db, shop, { now, churnDays: input.churnDays, atRiskDays: input.atRiskDays }),
  ]);
  return { chart, program, retention, rollupsMissing: ROLLUPS.some((rollup) => !built[rollup]) };
}
