/**
 * Backfill: points for a shop's past paid orders. Shopify reads the orders in
 * a bulk query; Regulars polls it, then works in two passes, each resumable
 * from its last commit. Shopify runs up to five bulk queries per shop and app
 * at once (API 2026-01 and later); Regulars runs one backfill per shop at a
 * time, and a busy answer from Shopify (LIMIT_REACHED) is tried again later
 * (BulkBusyError is transient: the job's retries, the run left PENDING).
 *
 * 1. Read: stream the JSONL result and stage its paid orders (BackfillOrder),
 *    a batch per transaction with the run's progress (line and byte of the
 *    file after the batch). A restart asks for the rest of the file with a
 *    Range request. A line Regulars cannot read fails the run before any
 *    point is credited.
 * 2. Credit: take the staged orders back a group of customers at a time,
 *    each customer's orders in file order, through the points engine
 *    (applyPaidOrders), with the last customer credited as progress. A
 *    member's points depend only on their own orders, so this gives what
 *    file order gives; but each member is written once for the whole run
 *    instead of once per batch they appear in (with 10 orders a customer
 *    spread over a 1,000,000-order file: 100,000 member writes, not 1,000,000).
 *
 * An order is keyed as orders/paid keys it, so a webhook before, during or
 * after the backfill never credits it twice. Staged orders are deleted when
 * the run ends, however it ends.
 */
import type { BackfillRun, PrismaClient } from "@prisma/client";
import {
  backfillProgress,
  countActiveBackfills,
  createBackfillRun,
  endBackfillRun,
  findBackfill,
  lockBackfillRun,
  markBackfillFileRead,
  markBackfillProcessing,
  markBackfillQuerying,
  recordCreditedBatch,
  recordStagedBatch,
  requestBackfillCancel,
  setBackfillOrdersTotal,
} from "../../db/backfill-runs.server";
import type { FollowUp } from "../../jobs/follow-ups.server";
import { withFollowUps } from "../../jobs/follow-ups.server";
import {
  analyzeStagedOrders,
  dropStagedOrders,
  nextStagedGroups,
  NO_CUSTOMER_PREFIX,
  stageOrders,
  type StagedOrder,
} from "../../db/backfill-orders.server";
import { transactionWithSql } from "../../db/sql-in-transaction.server";
import {
  AdminApiError,
  AdminTransientError,
  type AdminGraphql,
} from "../../shopify/admin-api/admin-client.server";
import {
  bulkOrderSnapshot,
  parseBulkLine,
  wasPaid,
  type LineItemLine,
  type OrderLine,
} from "../../shopify/payloads/bulk-order-lines";
import { canReadAllOrders } from "../../shopify/admin-api/access-scopes.server";
import {
  bulkOperationState,
  cancelBulkOperation,
  startOrdersBulkQuery,
} from "../../shopify/admin-api/bulk-orders.server";
import { needsAllOrders, RECENT_ORDER_DAYS, recentOrdersFrom } from "../../shopify/admin-api/order-access";
import { decodeSnapshot, encodeSnapshot } from "../../shopify/payloads/order-snapshot-text";
import { JsonlSplitter, type Lines } from "../../shopify/payloads/jsonl-lines";
import { applyPaidOrders, lookUpSnapshotScopes, retryBatchConflicts } from "./order-points-batch.server";
import { hasCollectionEvents } from "../../db/bonus-events.server";
import type { FieldError } from "../../loyalty/field-error";

/** A start or a cancel that cannot go ahead; a refused date names its field and what is wrong. */
export class BackfillError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409 | 422,
    readonly field?: "from" | "to",
    readonly error?: FieldError,
  ) {
    super(message);
    this.name = "BackfillError";
  }
}

/** A line of the result file Regulars cannot read: the run stops with this error. */
class BadLineError extends Error {
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "BadLineError";
  }
}

const DAY = 86_400_000;

/** Orders per transaction (read or credited): about half a second of work, so a webhook never waits long for a member. */
export const DEFAULT_BATCH = 5000;

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Before a backfill starts: orders older than 60 days need read_all_orders,
 * asked of Shopify (the merchant may have granted it a moment ago). Without
 * it Shopify would silently leave them out, so such a start is refused.
 */
export async function checkOrderAccess(admin: AdminGraphql, from: Date, now: Date): Promise<void> {
  if (!needsAllOrders(from, now) || (await canReadAllOrders(admin))) return;
  const since = dayOf(recentOrdersFrom(now));
  throw new BackfillError(
    `Orders paid before ${since} need access to all orders, which you have not granted Regulars: grant it, or start on or after that day`,
    422,
    "from",
    { code: "allOrders", since },
  );
}

/** Starts a backfill of orders paid in [from, to); the job does the work. */
export async function startBackfill(
  db: PrismaClient,
  shop: string,
  input: { from: Date; to: Date; now: Date },
): Promise<BackfillRun> {
  const { from, to, now } = input;
  const required: FieldError = { code: "required" };
  const future: FieldError = { code: "future" };
  if (Number.isNaN(from.getTime())) throw new BackfillError("Choose a start date", 422, "from", required);
  if (Number.isNaN(to.getTime())) throw new BackfillError("Choose an end date", 422, "to", required);
  if (from >= to)
    throw new BackfillError("The start date must be before the end date", 422, "from", { code: "beforeEnd" });
  if (from.getTime() > now.getTime())
    throw new BackfillError("The start date is in the future", 422, "from", future);
  if (to.getTime() > now.getTime() + DAY)
    throw new BackfillError("The end date is in the future", 422, "to", future);
  const busy = () =>
    new BackfillError("A backfill is already running for this shop; wait for it or cancel it", 409);
  const active = () => countActiveBackfills(db, shop);
  if ((await active()) > 0) throw busy();
  try {
    return await createBackfillRun(db, shop, from, to);
  } catch (error) {
    // The unique (shop, activeSlot) index decides a race between two starts.
    if ((await active()) > 0) throw busy();
    throw error;
  }
}

async function finish(
  db: PrismaClient,
  shop: string,
  id: string,
  status: "COMPLETED" | "FAILED" | "CANCELLED",
  now: Date,
  error?: string,
): Promise<void> {
  await endBackfillRun(db, shop, id, { status, now, ...(error !== undefined ? { error } : {}) });
  await dropStagedOrders(db, shop, id);
}

/**
 * Asks a running backfill to stop. Before the file is read it stops at once
 * (and Shopify's query is cancelled, best effort); while the file is read or
 * its orders credited the job stops after its current batch. Points already
 * credited stay.
 */
export async function cancelBackfill(
  db: PrismaClient,
  shop: string,
  id: string,
  input: { now: Date; admin?: AdminGraphql },
): Promise<BackfillRun> {
  const run = await findBackfill(db, shop, id);
  if (!run) throw new BackfillError("No such backfill", 404);
  if (!run.activeSlot) throw new BackfillError("This backfill has already finished", 409);
  if (run.status === "PROCESSING") {
    return requestBackfillCancel(db, run.id, input.now);
  }
  if (run.status === "QUERYING" && run.bulkOperationId && input.admin) {
    await cancelBulkOperation(input.admin, run.bulkOperationId).catch(() => undefined);
  }
  await finish(db, shop, run.id, "CANCELLED", input.now);
  return (await findBackfill(db, shop, id))!;
}

export interface StepDeps {
  db: PrismaClient;
  admin: AdminGraphql;
  now: () => Date;
  fetch?: typeof fetch;
  /** Hands each batch's follow-ups (member syncs) to the queue after it commits. */
  sendFollowUps?: (followUps: FollowUp[]) => Promise<void>;
  /** Orders per transaction. */
  batchSize?: number;
  /** A step reads the file for about this long, then hands over to the next job. */
  sliceMs?: number;
  /** Called after each batch (read or credited) commits (benchmarks sample memory here). */
  onBatch?: (run: { linesDone: number; ordersRead: number; ordersDone: number }) => void | Promise<void>;
}

export interface StepResult {
  status: BackfillRun["status"];
  /** poll: ask Shopify again shortly; continue: the next slice at once; done. */
  next: "poll" | "continue" | "done";
}

/** One step of a backfill: start the query, poll it, or read a slice of its file. */
export async function runBackfillStep(deps: StepDeps, shop: string, id: string): Promise<StepResult> {
  const { db } = deps;
  const run = await findBackfill(db, shop, id);
  if (!run || !run.activeSlot) return { status: run?.status ?? "FAILED", next: "done" };
  const done = async (status: "COMPLETED" | "FAILED" | "CANCELLED", error?: string): Promise<StepResult> => {
    await finish(db, shop, id, status, deps.now(), error);
    return { status, next: "done" };
  };
  if (run.cancelRequestedAt) return done("CANCELLED");

  let operationId = run.bulkOperationId;
  if (run.status === "PENDING") {
    try {
      // Checked again when the job starts: access to all orders may have been revoked since the
      // page checked it, and Shopify would then leave the older orders out without a word. (A
      // day's slack: a backfill started from the page's earliest day just before midnight UTC
      // may start just after it.)
      const yesterday = new Date(deps.now().getTime() - DAY);
      if (needsAllOrders(run.fromDate, yesterday) && !(await canReadAllOrders(deps.admin))) {
        return done(
          "FAILED",
          `Shopify shares only the last ${RECENT_ORDER_DAYS} days of orders without access to all orders, which Regulars no longer has: grant it on this page and start again, or start on or after ${dayOf(recentOrdersFrom(deps.now()))}`,
        );
      }
      operationId = await startOrdersBulkQuery(deps.admin, run.fromDate, run.toDate);
    } catch (error) {
      if (error instanceof AdminApiError && !(error instanceof AdminTransientError)) {
        return done("FAILED", error.message);
      }
      throw error;
    }
    await markBackfillQuerying(db, id, operationId);
  }

  // Polled at once after starting: a small range is often done already.
  if (run.status === "PENDING" || run.status === "QUERYING") {
    const state = await bulkOperationState(deps.admin, operationId!);
    if (state.status === "CREATED" || state.status === "RUNNING" || state.status === "CANCELING") {
      await setBackfillOrdersTotal(db, id, state.rootObjectCount);
      return { status: "QUERYING", next: "poll" };
    }
    if (state.status === "CANCELED") return done("CANCELLED", "The bulk query was cancelled in Shopify");
    if (state.status === "EXPIRED") return done("FAILED", "Shopify's result file expired before it was read");
    const failed = state.status === "FAILED";
    const url = failed ? state.partialDataUrl : state.url;
    if (failed && !url) {
      return done("FAILED", `Shopify's bulk query failed (${state.errorCode ?? "no reason given"})`);
    }
    if (!url) {
      // Completed with nothing to read: no order in the range.
      await setBackfillOrdersTotal(db, id, 0);
      return done("COMPLETED");
    }
    await markBackfillProcessing(db, id, {
      resultUrl: url,
      partial: failed,
      ordersTotal: state.rootObjectCount,
      ...(failed
        ? {
            error: `Shopify's bulk query failed (${state.errorCode ?? "no reason given"}); the orders it returned are credited. Run the backfill again for the rest.`,
          }
        : {}),
    });
  }

  return run.fileReadAt ? creditSlice(deps, shop, id) : readSlice(deps, shop, id);
}

interface Position {
  line: number;
  bytes: number;
}

/** Reads the result file from the last commit for one slice; stages a batch at a time. */
async function readSlice(deps: StepDeps, shop: string, id: string): Promise<StepResult> {
  const { db } = deps;
  const run = (await findBackfill(db, shop, id))!;
  const batchSize = deps.batchSize ?? DEFAULT_BATCH;
  const deadline = Date.now() + (deps.sliceMs ?? 60_000);
  const start: Position = { line: run.linesDone, bytes: Number(run.bytesDone) };
  const response = await (deps.fetch ?? fetch)(run.resultUrl!, {
    headers: start.bytes > 0 ? { Range: `bytes=${start.bytes}-` } : {},
  });
  if (response.status === 416 && start.bytes > 0) return fileRead(deps, shop, id);
  if (!response.ok || !response.body) {
    if (response.status >= 500 || response.status === 429) {
      throw new AdminTransientError(`The result file answered HTTP ${response.status}`);
    }
    await finish(
      db,
      shop,
      id,
      "FAILED",
      deps.now(),
      `The result file could not be read (HTTP ${response.status}); start the backfill again`,
    );
    return { status: "FAILED", next: "done" };
  }
  // A server that ignores Range sends the whole file: skip what was committed.
  const resumed = response.status === 206;
  const skipLines = resumed ? 0 : start.line;
  const position: Position = resumed ? { ...start } : { line: 0, bytes: 0 };
  let committed: Position = { ...start };

  let batch: StagedOrder[] = [];
  let batchOrders = 0;
  let current: { order: OrderLine; items: LineItemLine[]; line: number } | null = null;

  const closeCurrent = () => {
    if (!current) return;
    batchOrders++;
    const { order, items, line } = current;
    if (wasPaid(order)) {
      const snapshot = bulkOrderSnapshot(order, items);
      batch.push({
        groupKey: snapshot.customer?.customerGid ?? `${NO_CUSTOMER_PREFIX}${snapshot.orderGid}`,
        line,
        snapshot: encodeSnapshot(snapshot),
      });
    }
    current = null;
  };
  /** Stages the batch read so far, with the run's progress up to `end`, in one transaction. */
  const commit = async (end: Position) => {
    if (end.line === committed.line) return;
    const expected = committed.line;
    const orders = batchOrders;
    const staged = batch;
    batch = [];
    batchOrders = 0;
    const applied = await transactionWithSql(deps.db, async (tx, sql) => {
      const row = await lockBackfillRun(tx, shop, id);
      if (!row || row.cancelRequestedAt) return false;
      if (row.linesDone !== expected) {
        throw new Error(`backfill ${id} moved on elsewhere (line ${row.linesDone}, expected ${expected})`);
      }
      await stageOrders(sql, shop, id, staged);
      await recordStagedBatch(tx, id, {
        linesDone: end.line,
        bytesDone: BigInt(end.bytes),
        ordersRead: orders,
        // Orders that were not paid are done once read.
        ordersDone: orders - staged.length,
        // A partial file keeps its explanation; otherwise a commit clears the last retry's error.
        clearError: !run.partial,
      });
      return true;
    });
    if (!applied) throw new CancelledRead();
    committed = { ...end };
    await reportBatch(deps, shop, id);
  };

  // Reading runs ahead of the database: the next batch is parsed while the
  // last one commits (at most one batch in flight; batches commit in order).
  let inflight: Promise<void> | null = null;
  const settle = async () => {
    const running = inflight;
    inflight = null;
    if (running) await running;
  };
  const startCommit = async (end: Position) => {
    await settle();
    const running = commit(end);
    running.catch(() => undefined); // awaited by settle(); not unhandled meanwhile
    inflight = running;
    if (Date.now() > deadline) {
      await settle();
      throw new SliceOver();
    }
  };

  /** Reads one line; returns where its order starts when the batch before it is full. */
  const readLine = (text: string | null, bytes: number): Position | null => {
    const lineStart = { ...position };
    position.line++;
    position.bytes += bytes + 1;
    if (position.line <= skipLines) return null;
    if (text === null) throw new BadLineError(position.line, "not valid UTF-8");
    if (text.length === 0 || text.trim() === "") return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new BadLineError(position.line, `not JSON (${(error as Error).message})`);
    }
    let parsed: ReturnType<typeof parseBulkLine>;
    try {
      parsed = parseBulkLine(value);
    } catch (error) {
      throw new BadLineError(position.line, (error as Error).message);
    }
    if (parsed.kind === "lineItem") {
      if (!current || parsed.item.__parentId !== current.order.id) {
        throw new BadLineError(
          position.line,
          `line item ${parsed.item.id} of ${parsed.item.__parentId} does not follow its order`,
        );
      }
      current.items.push(parsed.item);
      return null;
    }
    // A new order: the one before it is complete.
    closeCurrent();
    current = { order: parsed.order, items: [], line: position.line };
    return batchOrders >= batchSize ? lineStart : null;
  };
  const readLines = async ({ texts, bytes }: Lines) => {
    for (let i = 0; i < texts.length; i++) {
      // The batch is full when a new order starts; that order goes with the next one.
      const full = readLine(texts[i] as string | null, bytes[i]!);
      if (full) await startCommit(full);
    }
  };

  const reader = response.body.getReader();
  const splitter = new JsonlSplitter();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await readLines(splitter.push(value));
    }
    const last = splitter.end();
    if (last.texts.length > 0) {
      // The last line has no newline: count its bytes as they are.
      await readLines(last);
      position.bytes -= 1;
    }
    closeCurrent();
    await startCommit({ ...position });
    await settle();
  } catch (thrown) {
    await reader.cancel().catch(() => undefined);
    // A batch still committing decides first (it may have been cancelled or failed).
    let error = thrown;
    await settle().catch((failed: unknown) => {
      error = failed;
    });
    if (error instanceof SliceOver) return { status: "PROCESSING", next: "continue" };
    if (error instanceof CancelledRead) {
      await finish(db, shop, id, "CANCELLED", deps.now());
      return { status: "CANCELLED", next: "done" };
    }
    if (error instanceof BadLineError) {
      await finish(
        db,
        shop,
        id,
        "FAILED",
        deps.now(),
        `The result file has a line Regulars cannot read, ${error.message}`,
      );
      return { status: "FAILED", next: "done" };
    }
    throw error;
  }
  return fileRead(deps, shop, id);
}

async function reportBatch(deps: StepDeps, shop: string, id: string): Promise<void> {
  if (!deps.onBatch) return;
  const after = await backfillProgress(deps.db, shop, id);
  if (after) await deps.onBatch(after);
}

/** The whole file is staged: crediting starts with the next step. */
async function fileRead(deps: StepDeps, shop: string, id: string): Promise<StepResult> {
  await analyzeStagedOrders(deps.db);
  await markBackfillFileRead(deps.db, shop, id, deps.now());
  return { status: "PROCESSING", next: "continue" };
}

/**
 * Credits staged orders for one slice, a group of customers per transaction
 * (with the last one credited as progress), until none is left.
 */
async function creditSlice(deps: StepDeps, shop: string, id: string): Promise<StepResult> {
  const { db } = deps;
  const batchSize = deps.batchSize ?? DEFAULT_BATCH;
  const deadline = Date.now() + (deps.sliceMs ?? 60_000);
  // Orders are looked up first only after a batch met known ones (or a retry):
  // a first backfill meets none, a second one mostly known ones.
  let checkKnown = false;
  // Bonus events limited to collections need the next batch's products looked up first, outside
  // its transaction (decision 0022); a shop without such events reads nothing more.
  const collectionEvents = await hasCollectionEvents(db, shop);
  for (;;) {
    const scopes = collectionEvents ? await nextBatchScopes(deps, shop, id, batchSize) : undefined;
    const work = (tries: number) =>
      transactionWithSql(db, async (tx, sql) => {
        const row = await lockBackfillRun(tx, shop, id);
        if (!row) return "gone" as const;
        if (row.cancelRequestedAt) return "cancelled" as const;
        const staged = await nextStagedGroups(sql, shop, id, row.creditedThrough, batchSize);
        if (staged.length === 0) return { partial: row.partial };
        const outcome = await applyPaidOrders(
          tx,
          sql,
          shop,
          staged.map((order) => decodeSnapshot(order.snapshot)),
          deps.now(),
          { checkKnown: checkKnown || tries > 1, ...(scopes ? { scopes } : {}) },
        );
        checkKnown = outcome.known > 0;
        await recordCreditedBatch(tx, id, {
          creditedThrough: staged.at(-1)!.groupKey,
          ordersDone: staged.length,
          ordersCredited: outcome.credited,
          pointsAwarded: outcome.points,
          clearError: !row.partial,
        });
        return "credited" as const;
      });
    const attempt = (tries: number) =>
      deps.sendFollowUps ? withFollowUps(() => work(tries), deps.sendFollowUps) : work(tries);
    // A batch that lost an order or a member to a webhook runs again.
    const result = await retryBatchConflicts(8, attempt);
    if (result === "gone")
      return { status: (await findBackfill(db, shop, id))?.status ?? "FAILED", next: "done" };
    if (result === "cancelled") {
      await finish(db, shop, id, "CANCELLED", deps.now());
      return { status: "CANCELLED", next: "done" };
    }
    if (result !== "credited") return finishRead(deps, shop, id, result.partial);
    await reportBatch(deps, shop, id);
    if (Date.now() > deadline) return { status: "PROCESSING", next: "continue" };
  }
}

/** The collection lookups of the orders the next credit batch will take (as it stands now). */
async function nextBatchScopes(deps: StepDeps, shop: string, id: string, batchSize: number) {
  const run = await findBackfill(deps.db, shop, id);
  if (!run) return undefined;
  const staged = await transactionWithSql(deps.db, (_tx, sql) =>
    nextStagedGroups(sql, shop, id, run.creditedThrough, batchSize),
  );
  return lookUpSnapshotScopes(
    deps.db,
    deps.admin,
    shop,
    staged.map((order) => decodeSnapshot(order.snapshot)),
  );
}

/** Every staged order is credited: the run ends (failed if Shopify's file was partial). */
async function finishRead(deps: StepDeps, shop: string, id: string, partial: boolean): Promise<StepResult> {
  const status = partial ? "FAILED" : "COMPLETED";
  await finish(deps.db, shop, id, status, deps.now());
  return { status, next: "done" };
}

class SliceOver extends Error {}
class CancelledRead extends Error {}
