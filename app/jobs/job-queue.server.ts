/**
 * The durable job queue: pg-boss on the app's own database. On PostgreSQL it
 * runs through the app's pool; on the embedded PGlite through the same
 * in-process instance (pg-boss's `db` option), where every statement waits
 * for open transactions, so jobs and requests never interleave inside one.
 * Several processes on one PostgreSQL share the queue: pg-boss fetches with
 * FOR UPDATE SKIP LOCKED, so no job runs twice at once.
 * A worker holds the jobs it fetched under a short lease (pg-boss's expiry,
 * JOB_LEASE_SECONDS) that its heartbeat renews (`renewLeases`); the workers
 * sweep for jobs whose lease ran out (`sweepExpired`): their worker died, so
 * they are put back at once, without the backoff of a failed attempt.
 * See docs/decisions/0004-job-queue.md and 0014-short-leases-with-a-heartbeat.md.
 */
import PgBoss from "pg-boss";
import type { Database } from "../db/connect.server";
import type { FollowUp } from "./follow-ups.server";
import { LEASE_MS } from "./lease";
import { JOB_LEASE_SECONDS, QUEUE_NAMES, QUEUES, SCHEDULES, type JobData, type QueueName } from "./queues";
import { storedText } from "../db/stored-text";

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

/**
 * One run of a job as a worker holds it. pg-boss keeps a job's id across its
 * retries and counts a retry when it fetches the job again, so the id and
 * that count name this run: a worker whose job was taken over (its lease ran
 * out and another worker fetched it again) no longer matches.
 */
export interface HeldJob {
  id: string;
  retryCount: number;
}

/** pg-boss's schema beside the app's: "pgboss" for "public", "<schema>_pgboss" otherwise. */
const jobsSchemaFor = (appSchema: string) => (appSchema === "public" ? "pgboss" : `${appSchema}_pgboss`);

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
      const existing = new Map((await boss.getQueues()).map((queue) => [queue.name, queue]));
      for (const name of QUEUE_NAMES) {
        const queueOptions = { name, ...QUEUES[name].options, expireInSeconds: JOB_LEASE_SECONDS };
        const queue = existing.get(name);
        if (!queue) await boss.createQueue(name, queueOptions);
        // A queue made before the leases (expiry was the longest run): new jobs get the lease.
        else if (queue.expireInSeconds !== JOB_LEASE_SECONDS) await boss.updateQueue(name, queueOptions);
      }
      if (options.schedule ?? true) {
        for (const { queue, cron } of SCHEDULES) await boss.schedule(queue, cron, {}, { tz: "UTC" });
      }
      // The sweep reads the active jobs every few seconds from every worker: an index of those alone
      // (a few rows), so the read does not grow with the completed jobs pg-boss keeps (12 h of them,
      // its default archiveCompletedAfterSeconds).
      await database.sql.executeSql(
        `CREATE INDEX IF NOT EXISTS job_active_started_on ON ${schema}.job (started_on) WHERE state = 'active'`,
      );
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

  /**
   * The heartbeat of a worker's batch (one statement for all of it): each
   * job it still holds gets LEASE_MS more, up to its queue's maxRunSeconds
   * since it started. Returns the ids it still holds; a job it no longer
   * holds (finished, or taken over after this worker stalled past its lease)
   * is left alone.
   */
  async renewLeases(queue: QueueName, jobs: readonly HeldJob[]): Promise<Set<string>> {
    if (jobs.length === 0) return new Set();
    const { rows } = await this.sql.executeSql(
      `UPDATE ${this.schema}.job AS j
          SET expire_in = LEAST(now() - j.started_on + $4 * interval '1 millisecond', $5 * interval '1 second')
         FROM unnest($2::uuid[], $3::int[]) AS held(id, retry_count)
        WHERE j.name = $1 AND j.id = held.id AND j.retry_count = held.retry_count AND j.state = 'active'
        RETURNING j.id`,
      [
        queue,
        jobs.map((job) => job.id),
        jobs.map((job) => job.retryCount),
        LEASE_MS,
        QUEUES[queue].maxRunSeconds,
      ],
    );
    return new Set(rows.map((row) => String(row.id)));
  }

  /**
   * Completes a job this worker holds (pg-boss's complete, for this run
   * only); false when it no longer holds it: the worker that took it over
   * records the outcome of its own run.
   */
  async completeHeld(queue: QueueName, job: HeldJob, output: object | undefined): Promise<boolean> {
    const { rows } = await this.sql.executeSql(
      `UPDATE ${this.schema}.job SET completed_on = now(), state = 'completed', output = $4::jsonb
        WHERE name = $1 AND id = $2 AND retry_count = $3 AND state = 'active'
        RETURNING id`,
      [queue, job.id, job.retryCount, output === undefined ? null : JSON.stringify(output)],
    );
    return rows.length === 1;
  }

  /**
   * Fails an attempt of a job this worker holds (pg-boss retries it with
   * backoff, or keeps it as a dead letter); false when it no longer holds
   * it. The lease is renewed first, so the run it fails is its own.
   */
  async failHeld(queue: QueueName, job: HeldJob, message: string): Promise<boolean> {
    if (!(await this.renewLeases(queue, [job])).has(job.id)) return false;
    await this.boss.fail(queue, job.id, { message: storedText(message) });
    return true;
  }

  /**
   * Puts back the jobs whose lease ran out (their worker died or froze past
   * it): pg-boss's own expiry moves them to retry (or to the dead letters
   * once out of retries), and those to retry are due at once, since the
   * attempt did not fail, its worker went away. Cheap when there are none:
   * one read of the active jobs.
   */
  async sweepExpired(): Promise<number> {
    const { rows } = await this.sql.executeSql(
      `SELECT name, id FROM ${this.schema}.job WHERE state = 'active' AND started_on + expire_in < now()`,
    );
    if (rows.length === 0) return 0;
    await this.boss.expire();
    await this.sql.executeSql(
      `UPDATE ${this.schema}.job AS j SET start_after = now()
         FROM unnest($1::text[], $2::uuid[]) AS lapsed(name, id)
        WHERE j.name = lapsed.name AND j.id = lapsed.id AND j.state = 'retry' AND j.start_after > now()`,
      [rows.map((row) => String(row.name)), rows.map((row) => String(row.id))],
    );
    this.notify();
    return rows.length;
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
