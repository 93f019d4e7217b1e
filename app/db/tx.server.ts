import type { Prisma, PrismaClient } from "@prisma/client";

/** A Prisma client or an interactive transaction: repositories accept either. */
export type Tx = Prisma.TransactionClient;

const TIMEOUTS = { maxWait: 10_000, timeout: 20_000 };

/**
 * Runs `work` in one transaction (READ COMMITTED; row locks decide races).
 * `timeouts` for work that is known to take longer (a large launch).
 */
export function inTransaction<T>(
  db: PrismaClient,
  work: (tx: Tx) => Promise<T>,
  timeouts: { maxWait: number; timeout: number } = TIMEOUTS,
): Promise<T> {
  return db.$transaction(work, timeouts);
}
