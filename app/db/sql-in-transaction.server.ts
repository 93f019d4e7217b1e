/**
 * Plain SQL on the connection of a Prisma transaction. Prisma passes a
 * parameter through its query engine at about 100 ms per megabyte (150 with
 * quotes to escape), so the statements of a backfill batch, whose rows go in
 * as one document of several megabytes, would spend most of their time there.
 * Here they go straight to the driver (node-postgres or PGlite), in the same
 * transaction as the Prisma calls around them.
 *
 * How: openDatabase (connect.server.ts) reports the connection each
 * transaction gets (node-postgres: the pool client; PGlite: its transaction)
 * to noteTransactionSession; transactionWithSql opens the Prisma transaction
 * in an async context that receives it.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaClient } from "@prisma/client";
import type { Tx } from "./tx.server";

/** One statement with parameters, on the transaction's connection. */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
}

const slots = new AsyncLocalStorage<{ session?: SqlSession }>();

/** Called by openDatabase's drivers when a transaction takes a connection. */
export function noteTransactionSession(session: SqlSession): void {
  const slot = slots.getStore();
  if (slot && !slot.session) slot.session = session;
}

/**
 * Runs `work` in one Prisma transaction (READ COMMITTED, as inTransaction),
 * with `sql` on that transaction's connection. Only for clients made by
 * openDatabase.
 */
export function transactionWithSql<T>(
  db: PrismaClient,
  work: (tx: Tx, sql: SqlSession) => Promise<T>,
  options: { timeout?: number } = {},
): Promise<T> {
  const slot: { session?: SqlSession } = {};
  return slots.run(slot, () =>
    db.$transaction(
      (tx) => {
        const session = slot.session;
        if (!session) throw new Error("transactionWithSql: this client was not opened by openDatabase");
        return work(tx, session);
      },
      { maxWait: 10_000, timeout: options.timeout ?? 60_000 },
    ),
  );
}
