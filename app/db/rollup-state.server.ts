/**
 * Which of a shop's dashboard rollups are built, and the lock under which
 * folds and builds take turns (a transaction-scoped advisory lock per shop:
 * writers never take it; they only append changes).
 */
import { Prisma, type PrismaClient } from "@prisma/client";
import type { Tx } from "./tx.server";

export const ROLLUPS = ["ledger", "members", "customers", "codes"] as const;
export type Rollup = (typeof ROLLUPS)[number];
const COLUMN = {
  ledger: "ledgerBuiltAt",
  members: "membersBuiltAt",
  customers: "customersBuiltAt",
  codes: "codesBuiltAt",
} as const satisfies Record<Rollup, string>;

export async function builtRollups(db: Tx, shop: string): Promise<Record<Rollup, boolean>> {
  const state = await db.dashboardRollupState.findUnique({ where: { shop } });
  return {
    ledger: state?.ledgerBuiltAt != null,
    members: state?.membersBuiltAt != null,
    customers: state?.customersBuiltAt != null,
    codes: state?.codesBuiltAt != null,
  };
}

export async function markRollupBuilt(tx: Tx, shop: string, rollup: Rollup, at: Date): Promise<void> {
  await tx.dashboardRollupState.upsert({
    where: { shop },
    create: { shop, [COLUMN[rollup]]: at },
    update: { [COLUMN[rollup]]: at },
  });
}

/**
 * Takes the shop's rollup lock until the transaction ends: waits for it, or
 * (wait false) says whether it was free.
 */
export async function lockRollups(tx: Tx, shop: string, wait: boolean): Promise<boolean> {
  const key = Prisma.sql`hashtext('regulars:dashboard-rollups'), hashtext(${shop})`;
  if (wait) {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(${key})::text AS locked`;
    return true;
  }
  const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${key}) AS locked`;
  return row?.locked === true;
}

/** A JS instant as the UTC wall time the timestamp columns hold. */
export const utc = (at: Date) => Prisma.sql`(${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/** shop/redact: the shop's rollups, changes and state, as queries for its transaction. */
export function deleteShopRollups(db: PrismaClient, shop: string) {
  return [
    db.ledgerFlowChange.deleteMany({ where: { shop } }),
    db.ledgerFlowRollup.deleteMany({ where: { shop } }),
    db.memberTotalsChange.deleteMany({ where: { shop } }),
    db.memberTotals.deleteMany({ where: { shop } }),
    db.customerChange.deleteMany({ where: { shop } }),
    db.customerFigures.deleteMany({ where: { shop } }),
    db.retentionRollup.deleteMany({ where: { shop } }),
    db.codeOrderChange.deleteMany({ where: { shop } }),
    db.codeUse.deleteMany({ where: { shop } }),
    db.dashboardRollupState.deleteMany({ where: { shop } }),
  ];
}

const ROLLUP_TABLES: Record<Rollup, string[]> = {
  ledger: ["LedgerFlowRollup"],
  members: ["MemberTotals"],
  customers: ["CustomerFigures", "RetentionRollup"],
  codes: ["CodeUse"],
};

/** Fresh planner statistics for a rollup's tables: a build can add a million rows at once. */
export async function analyzeRollup(tx: Tx, rollup: Rollup): Promise<void> {
  for (const table of ROLLUP_TABLES[rollup]) await tx.$executeRawUnsafe(`ANALYZE "${table}"`);
}
