/**
 * Backfill runs (BackfillRun): one row per backfill a merchant started, with
 * its state and progress. A run is active while `activeSlot` is set; the
 * unique (shop, activeSlot) index lets a shop have one active run at a time.
 * The orders a run staged are in backfill-orders.server.ts.
 */
import type { BackfillRun } from "@prisma/client";
import { storedText } from "./stored-text";
import type { Tx } from "./tx.server";

export function countActiveBackfills(tx: Tx, shop: string): Promise<number> {
  return tx.backfillRun.count({ where: { shop, activeSlot: { not: null } } });
}

export function createBackfillRun(tx: Tx, shop: string, from: Date, to: Date): Promise<BackfillRun> {
  return tx.backfillRun.create({ data: { shop, fromDate: from, toDate: to } });
}

export function findBackfill(tx: Tx, shop: string, id: string): Promise<BackfillRun | null> {
  return tx.backfillRun.findFirst({ where: { shop, id } });
}

export function recentBackfills(tx: Tx, shop: string, take = 5): Promise<BackfillRun[]> {
  return tx.backfillRun.findMany({ where: { shop }, orderBy: { startedAt: "desc" }, take });
}

export async function hasCompletedBackfill(tx: Tx, shop: string): Promise<boolean> {
  return (await tx.backfillRun.count({ where: { shop, status: "COMPLETED" } })) > 0;
}

/** Ends an active run with its final status (and an error to show, stored as text). */
export async function endBackfillRun(
  tx: Tx,
  shop: string,
  id: string,
  end: { status: "COMPLETED" | "FAILED" | "CANCELLED"; now: Date; error?: string },
): Promise<void> {
  await tx.backfillRun.updateMany({
    where: { shop, id, activeSlot: { not: null } },
    data: {
      status: end.status,
      activeSlot: null,
      finishedAt: end.now,
      ...(end.error !== undefined ? { error: storedText(end.error) } : {}),
    },
  });
}

/** Asks a processing run to stop after its current batch. */
export function requestBackfillCancel(tx: Tx, id: string, now: Date): Promise<BackfillRun> {
  return tx.backfillRun.update({ where: { id }, data: { cancelRequestedAt: now } });
}

/** Shopify's bulk query started: the run waits for it. */
export async function markBackfillQuerying(tx: Tx, id: string, bulkOperationId: string): Promise<void> {
  await tx.backfillRun.update({
    where: { id },
    data: { status: "QUERYING", bulkOperationId, error: null },
  });
}

/** The number of orders Shopify's bulk query has found so far. */
export async function setBackfillOrdersTotal(tx: Tx, id: string, ordersTotal: number): Promise<void> {
  await tx.backfillRun.update({ where: { id }, data: { ordersTotal } });
}

/** Shopify's result file is ready (`partial` when the query failed part way): the run reads it. */
export async function markBackfillProcessing(
  tx: Tx,
  id: string,
  file: { resultUrl: string; partial: boolean; ordersTotal: number; error?: string },
): Promise<void> {
  await tx.backfillRun.update({
    where: { id },
    data: {
      status: "PROCESSING",
      resultUrl: file.resultUrl,
      partial: file.partial,
      ordersTotal: file.ordersTotal,
      ...(file.error !== undefined ? { error: file.error } : {}),
    },
  });
}

/** The active run's row, locked until the transaction ends: one step at a time moves a run on. */
export async function lockBackfillRun(tx: Tx, shop: string, id: string) {
  const rows = await tx.$queryRaw<
    { linesDone: number; creditedThrough: string | null; cancelRequestedAt: Date | null; partial: boolean }[]
  >`
    SELECT "linesDone", "creditedThrough", "cancelRequestedAt", partial FROM "BackfillRun"
     WHERE shop = ${shop} AND id = ${id} AND "activeSlot" IS NOT NULL FOR UPDATE`;
  return rows[0] ?? null;
}

/**
 * A batch of the file was staged: the position read up to, the orders read,
 * and those done once read (not paid). `clearError` clears the last retry's
 * error (a partial file keeps its explanation instead).
 */
export async function recordStagedBatch(
  tx: Tx,
  id: string,
  batch: {
    linesDone: number;
    bytesDone: bigint;
    ordersRead: number;
    ordersDone: number;
    clearError: boolean;
  },
): Promise<void> {
  await tx.backfillRun.update({
    where: { id },
    data: {
      linesDone: batch.linesDone,
      bytesDone: batch.bytesDone,
      ordersRead: { increment: batch.ordersRead },
      ordersDone: { increment: batch.ordersDone },
      ...(batch.clearError ? { error: null } : {}),
    },
  });
}

/** A group of customers' staged orders was credited, up to `creditedThrough`. */
export async function recordCreditedBatch(
  tx: Tx,
  id: string,
  batch: {
    creditedThrough: string;
    ordersDone: number;
    ordersCredited: number;
    pointsAwarded: number;
    clearError: boolean;
  },
): Promise<void> {
  await tx.backfillRun.update({
    where: { id },
    data: {
      creditedThrough: batch.creditedThrough,
      ordersDone: { increment: batch.ordersDone },
      ordersCredited: { increment: batch.ordersCredited },
      pointsAwarded: { increment: batch.pointsAwarded },
      ...(batch.clearError ? { error: null } : {}),
    },
  });
}

/** A run's progress counters. */
export function backfillProgress(tx: Tx, shop: string, id: string) {
  return tx.backfillRun.findFirst({
    where: { shop, id },
    select: { linesDone: true, ordersRead: true, ordersDone: true },
  });
}

/** The whole file is staged (once, while the run is active). */
export async function markBackfillFileRead(tx: Tx, shop: string, id: string, now: Date): Promise<void> {
  await tx.backfillRun.updateMany({
    where: { shop, id, activeSlot: { not: null }, fileReadAt: null },
    data: { fileReadAt: now },
  });
}

/** A step failed and will be retried: the page shows why meanwhile. */
export async function recordBackfillError(tx: Tx, shop: string, id: string, message: string) {
  await tx.backfillRun.updateMany({
    where: { shop, id, activeSlot: { not: null } },
    data: { error: storedText(`Retrying after: ${message}`) },
  });
}
