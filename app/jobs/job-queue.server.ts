/**
 * The durable job queue: pg-boss on the app's own database. On PostgreSQL it
 * runs through the app's pool; on the embedded PGlite through the same
 * in-process instance (pg-boss's `db` option), where every statement waits
 * for open transactions, so jobs and requests never interleave inside one.
 * Several processes on one PostgreSQL share the queue: pg-boss fetches with
 * FOR UPDATE SKIP LOCKED, so no job runs twice at once.
 * See docs/decisions/0004-job-queue.md.
 */
import PgBoss from "pg-boss";
import type { Database } from "../db/connect.server";
import type { FollowUp } from "./follow-ups.server";
import { QUEUE_NAMES, QUEUES, SCHEDULES, type JobData, type QueueName } from "./queues";

export interface FailedJob {
  id: string;
  queue: QueueName;
  data: Record<string, unknown>;
  error: string | null;
  attempts: number;
  createdAt: Date;
  failedAt: Date | null;
}

export interface JobQueueOptions {
  /** Run pg-boss's maintenance (expire stuck jobs, retries, clean-up). Default true. */
  supervise?: boolean;
  /** Run the crons (SCHEDULES). Default true. */
  schedule?: boolean;
}

/** pg-boss's schema beside the app's: "pgboss" for "public", "<schema>_pgboss" otherwise. */
export const jobsSchemaFor = (appSchema: string) =>
  appSchema === "public" ? "pgboss" : `${appSchema}_pgboss`;

/** A job for the queue: its payload checked, and the key its queue's policy coalesces on. */
function jobOf<Q extends QueueName>(queue: Q, data: JobData<Q>) {
  const definition = QUEUES[queue];
  const payload = definition.payload.parse(data) as JobData<Q>;
  return {
    name: queue,
    data: payload,
    singletonKey: (definition.key as (data: JobData<Q>) => string)(payload),
  };
}

export class JobQueue {
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly boss: PgBoss,
    readonly schema: string,
    private readonly sql: Database["sql"],
  ) {}

  static async open(
    database: Pick<Database, "sql" | "schema">,
    options: JobQueueOptions = {},
  ): Promise<JobQueue> {
    const schema = jobsSchemaFor(database.schema);
    const boss = new PgBoss({
      db: database.sql,
      schema,
      supervise: options.supervise ?? true,
      schedule: options.schedule ?? true,
      maintenanceIntervalSeconds: 30,
    });
    boss.on("error", (error) => console.warn(`[jobs] ${error.message}`));
    // Processes starting together (several instances, WEB_CONCURRENCY) would install the same
    // schema, queues and schedules at once, and pg-boss's DDL for that deadlocks: one at a time.
    await database.sql.underLock(`regulars.jobs.${schema}`, async () => {
      await boss.start();
      const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
      for (const name of QUEUE_NAMES) {
        if (!existing.has(name)) await boss.createQueue(name, { name, ...QUEUES[name].options });
      }
      if (options.schedule ?? true) {
        for (const { queue, cron } of SCHEDULES) await boss.schedule(queue, cron, {}, { tz: "UTC" });
      }
    });
    return new JobQueue(boss, schema, database.sql);
  }

  /** Called after every send from this process (the local worker wakes up). */
  onSend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Enqueues a job; with the queue's policy, a job already waiting for the same key absorbs it (null). */
  async send<Q extends QueueName>(queue: Q, data: JobData<Q>, options: { startAfterSeconds?: number } = {}) {
    const job = jobOf(queue, data);
    const id = await this.boss.send(queue, job.data, {
      singletonKey: job.singletonKey,
      ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
    });
    this.notify();
    return id;
  }

  private notify() {
    for (const listener of this.listeners) listener();
  }

  /**
   * Enqueues what a request or job noted, in one statement; best effort (the
   * reconcile job catches what is lost). A job already waiting for the same
   * key absorbs its copy, as with send().
   */
  async sendFollowUps(followUps: FollowUp[]): Promise<void> {
    if (followUps.length === 0) return;
    try {
      await this.boss.insert(
        followUps.map(({ queue, ...data }) => jobOf(queue, data as JobData<typeof queue>)),
      );
      this.notify();
    } catch (error) {
      console.warn(
        `[jobs] could not enqueue ${followUps.map((f) => f.queue).join(", ")}: ${(error as Error).message}`,
      );
    }
  }

  /** The shop's dead letters: jobs that used all their retries. */
  async listFailed(shop: string, limit = 100): Promise<FailedJob[]> {
    const { rows } = await this.sql.executeSql(
      `SELECT id, name, data, output, retry_count, created_on, completed_on
         FROM ${this.schema}.job
        WHERE state = 'failed' AND data->>'shop' = $1
        ORDER BY completed_on DESC NULLS LAST
        LIMIT $2`,
      [shop, limit],
    );
    return rows.map((row) => ({
      id: String(row.id),
      queue: row.name as QueueName,
      data: row.data as Record<string, unknown>,
      error: ((row.output as { message?: string } | null)?.message ?? null) as string | null,
      attempts: Number(row.retry_count) + 1,
      createdAt: new Date(row.created_on as string),
      failedAt: row.completed_on ? new Date(row.completed_on as string) : null,
    }));
  }

  /** Puts one of the shop's dead letters back in its queue. False when it is not the shop's or not failed. */
  async retryFailed(shop: string, id: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
    const { rows } = await this.sql.executeSql(
      `SELECT name FROM ${this.schema}.job WHERE id = $1 AND state = 'failed' AND data->>'shop' = $2`,
      [id, shop],
    );
    const queue = rows[0]?.name as string | undefined;
    if (!queue) return false;
    await this.boss.retry(queue, id);
    this.notify();
    return true;
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 10_000 });
  }
}
