import type { Prisma, PrismaClient } from "@prisma/client";

/** A Prisma client or an interactive transaction: repositories accept either. */
export type Tx = Prisma.TransactionClient;

/** Runs `work` in one transaction (READ COMMITTED; row locks decide races). */
export function inTransaction<T>(db: PrismaClient, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { maxWait: 10_000, timeout: 20_000 });
}
