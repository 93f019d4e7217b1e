/**
 * Keeping the dashboard's rollups (app/db/*-rollup.server.ts) up to date:
 *   - build: a shop's rollups are built once from its data, by the
 *     dashboard-rollups job its first dashboard view queues (and the daily
 *     maintenance); until then the dashboard reads its sources directly;
 *   - fold: the changes writers appended (by trigger) move into the rollups,
 *     in the dashboard-rollups job each dashboard view queues and in the
 *     hourly and daily maintenance (reads add what is not folded yet);
 *   - customers/redact recomputes the redacted customer at once, so neither
 *     their figures nor a change naming them remain (and folds the code uses
 *     their deleted redemptions changed); shop/redact drops it all.
 * Every step runs under the shop's rollup lock and is safe to repeat.
 */
import type { PrismaClient } from "@prisma/client";
import { buildCodeUses, foldCodeUses } from "../../db/code-revenue-rollup.server";
import { buildLedgerFlows, foldLedgerFlows } from "../../db/ledger-flow-rollup.server";
import { buildMemberTotals, foldMemberTotals } from "../../db/member-totals-rollup.server";
import { buildCustomerFigures, foldCustomerFigures } from "../../db/retention-rollup.server";
import {
  analyzeRollup,
  builtRollups,
  lockRollups,
  markRollupBuilt,
  ROLLUPS,
  type Rollup,
} from "../../db/rollup-state.server";
import { inTransaction, type Tx } from "../../db/tx.server";

/** What `foldPending` folds at most per rollup by default. */
const FOLD_LIMIT = 5_000;
const FOLD_BATCH = 50_000;
/** Building a large shop's rollups reads all its ledger and orders: minutes, not seconds. */
const BUILD_TIMEOUTS = { maxWait: 60_000, timeout: 30 * 60_000 };
/** A fold is short: Prisma's own transaction defaults. */
const FOLD_TIMEOUTS = { maxWait: 2_000, timeout: 5_000 };

export type FoldReport = Record<Rollup, number>;

async function foldOnce(tx: Tx, shop: string, built: Record<Rollup, boolean>, limit: number) {
  return {
    ledger: built.ledger ? await foldLedgerFlows(tx, shop, limit) : 0,
    members: built.members ? await foldMemberTotals(tx, shop, limit) : 0,
    customers: built.customers ? await foldCustomerFigures(tx, shop, { limit }) : 0,
    codes: built.codes ? await foldCodeUses(tx, shop, limit) : 0,
  };
}

/**
 * Folds up to `limit` changes per built rollup, or nothing if another fold or
 * build holds the shop (tests use it to leave changes partly folded). Says
 * which rollups are built.
 */
export async function foldPending(
  db: PrismaClient,
  shop: string,
  limit = FOLD_LIMIT,
): Promise<Record<Rollup, boolean>> {
  const built = await builtRollups(db, shop);
  if (ROLLUPS.some((rollup) => built[rollup])) {
    await inTransaction(
      db,
      async (tx) => {
        if (await lockRollups(tx, shop, false)) await foldOnce(tx, shop, built, limit);
      },
      FOLD_TIMEOUTS,
    );
  }
  return built;
}

const BUILDERS: Record<Rollup, (tx: Tx, shop: string) => Promise<void>> = {
  ledger: buildLedgerFlows,
  members: buildMemberTotals,
  customers: buildCustomerFigures,
  codes: buildCodeUses,
};

/** Builds one rollup of the shop from its sources, unless it is built; says whether it built it. */
export async function buildRollup(
  db: PrismaClient,
  shop: string,
  rollup: Rollup,
  now: Date,
): Promise<boolean> {
  return inTransaction(
    db,
    async (tx) => {
      await lockRollups(tx, shop, true);
      if ((await builtRollups(tx, shop))[rollup]) return false;
      await BUILDERS[rollup](tx, shop);
      await markRollupBuilt(tx, shop, rollup, now);
      await analyzeRollup(tx, rollup);
      return true;
    },
    BUILD_TIMEOUTS,
  );
}

/** Builds the rollups the shop lacks, then folds every pending change. For jobs. */
export async function catchUpRollups(
  db: PrismaClient,
  shop: string,
  now: Date,
): Promise<{ built: Rollup[]; folded: FoldReport }> {
  const built: Rollup[] = [];
  const state = await builtRollups(db, shop);
  for (const rollup of ROLLUPS) {
    if (!state[rollup] && (await buildRollup(db, shop, rollup, now))) built.push(rollup);
  }
  const folded: FoldReport = { ledger: 0, members: 0, customers: 0, codes: 0 };
  const ready = await builtRollups(db, shop);
  for (;;) {
    const step = await inTransaction(
      db,
      async (tx) => {
        await lockRollups(tx, shop, true);
        return foldOnce(tx, shop, ready, FOLD_BATCH);
      },
      BUILD_TIMEOUTS,
    );
    for (const rollup of ROLLUPS) folded[rollup] += step[rollup];
    if (Math.max(...ROLLUPS.map((rollup) => step[rollup])) < FOLD_BATCH) return { built, folded };
  }
}

/**
 * customers/redact, in its transaction after the customer's rows are gone:
 * their figures are recomputed (to nothing) and their changes consumed.
 */
export async function forgetCustomerInRollups(tx: Tx, shop: string, customerGid: string): Promise<void> {
  await lockRollups(tx, shop, true);
  await foldCustomerFigures(tx, shop, { customerGid });
  // The orders their codes were used on (code uses name no customer, but go with the redemptions).
  if ((await builtRollups(tx, shop)).codes) await foldCodeUses(tx, shop, FOLD_LIMIT);
}
