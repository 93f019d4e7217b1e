/**
 * Runs jobs from the queue: fetches a batch from each queue in turn, runs
 * them a few at a time, completes or fails each (pg-boss then retries with
 * backoff, or keeps it as a dead letter). A job throttled by Shopify waits as
 * long as Shopify's throttleStatus says and calls again in the same attempt.
 * Whatever its handler's changes noted (member syncs, codes, Flow events) is
 * enqueued after it finishes.
 *
 * Leases: the jobs of a batch are held under pg-boss's short expiry, which a
 * heartbeat renews while they run (one statement per beat for the batch); a
 * job is completed or failed only if this worker still holds it. While it
 * runs, the worker also sweeps, every `sweepMs`, for jobs whose lease ran
 * out (their worker died) and puts them back at once, so a dead worker's job
 * runs again within about LEASE_MS + sweepMs + pollMs (app/jobs/lease.ts).
 */
import type PgBoss from "pg-boss";
import { AdminTransientError } from "../shopify/admin-api/admin-client.server";
import { withFollowUps } from "./follow-ups.server";
import { HEARTBEAT_MS, withHeartbeat } from "./lease";
import { Nap } from "./nap";
import type { HeldJob, JobQueue } from "./job-queue.server";
import { QUEUE_NAMES, QUEUES, type JobData, type QueueName } from "./queues";

type JobHandler<Q extends QueueName> = (
  data: JobData<Q>,
  job: { id: string; attempt: number },
) => Promise<unknown>;
export type JobHandlers = { [Q in QueueName]: JobHandler<Q> };

export interface WorkerOptions {
  /** Jobs run at once per batch. */
  concurrency?: number;
  batchSize?: number;
  /** Idle wait between polls when there is nothing to do. */
  pollMs?: number;
  /** The longest throttle wait taken inside an attempt; longer ones fail the attempt (pg-boss retries later). */
  maxThrottleWaitMs?: number;
  /** Throttle waits per attempt. */
  maxThrottleWaits?: number;
  sleep?: (ms: number) => Promise<void>;
  queues?: QueueName[];
  /** How often the jobs of a running batch have their lease renewed. */
  heartbeatMs?: number;
  /** How often a started worker looks for jobs whose lease ran out. */
  sweepMs?: number;
}

/** How often a started worker sweeps for jobs whose worker died. */
const JOB_SWEEP_MS = 2_000;

export interface RunReport {
  completed: number;
  failed: number;
  throttleWaits: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class JobWorker {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly nap = new Nap();
  private sweeper: Promise<void> | null = null;
  private readonly sweepNap = new Nap();
  private unsubscribe: (() => void) | null = null;
  private readonly options: Required<WorkerOptions>;
  readonly totals: RunReport = { completed: 0, failed: 0, throttleWaits: 0 };

  constructor(
    private readonly queue: JobQueue,
    private readonly handlers: JobHandlers,
    options: WorkerOptions = {},
  ) {
    this.options = {
      concurrency: options.concurrency ?? 4,
      batchSize: options.batchSize ?? 20,
      pollMs: options.pollMs ?? 1000,
      maxThrottleWaitMs: options.maxThrottleWaitMs ?? 30_000,
      maxThrottleWaits: options.maxThrottleWaits ?? 5,
      sleep: options.sleep ?? defaultSleep,
      queues: options.queues ?? QUEUE_NAMES,
      heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
      sweepMs: options.sweepMs ?? JOB_SWEEP_MS,
    };
  }

  /** Polls until stop(); wakes at once when this process enqueues something. Sweeps meanwhile. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.queue.onSend(() => this.nap.wake());
    this.sweeper = (async () => {
      const nap = this.sweepNap;
      while (this.running) {
        try {
          await this.queue.sweepExpired();
        } catch (error) {
          console.warn(`[jobs] sweeping for expired jobs failed: ${(error as Error).message}`);
        }
        if (this.running) await nap.take(this.options.sweepMs);
      }
    })();
    this.loop = (async () => {
      while (this.running) {
        let report: RunReport;
        try {
          report = await this.runOnce();
        } catch (error) {
          console.warn(`[jobs] worker pass failed: ${(error as Error).message}`);
          report = { completed: 0, failed: 0, throttleWaits: 0 };
        }
        if (!this.running) break;
        if (report.completed + report.failed === 0) await this.nap.take(this.options.pollMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.nap.wake();
    this.sweepNap.wake();
    await Promise.all([this.loop, this.sweeper]);
  }

  /** One pass over every queue: fetch a batch, run it. */
  async runOnce(): Promise<RunReport> {
    const report: RunReport = { completed: 0, failed: 0, throttleWaits: 0 };
    for (const name of this.options.queues) {
      const jobs = await this.queue.boss.fetch<object>(name, {
        batchSize: this.options.batchSize,
        includeMetadata: true,
      });
      if (jobs.length === 0) continue;
      // The batch's jobs not finished yet, whose lease the heartbeat renews.
      const held = new Map<string, HeldJob>(jobs.map((job) => [job.id, heldJob(job)]));
      await withHeartbeat(
        () => this.queue.renewLeases(name, [...held.values()]),
        async () => {
          for (let i = 0; i < jobs.length; i += this.options.concurrency) {
            await Promise.all(
              jobs
                .slice(i, i + this.options.concurrency)
                .map((job) => this.run(name, job, report).finally(() => held.delete(job.id))),
            );
          }
        },
        this.options.heartbeatMs,
      );
    }
    this.totals.completed += report.completed;
    this.totals.failed += report.failed;
    this.totals.throttleWaits += report.throttleWaits;
    return report;
  }

  /** Runs passes until one finds nothing due (jobs waiting for a retry delay stay queued). */
  async drain(maxPasses = 100): Promise<RunReport> {
    const total: RunReport = { completed: 0, failed: 0, throttleWaits: 0 };
    for (let pass = 0; pass < maxPasses; pass++) {
      const report = await this.runOnce();
      total.completed += report.completed;
      total.failed += report.failed;
      total.throttleWaits += report.throttleWaits;
      if (report.completed + report.failed === 0) return total;
    }
    throw new Error(`jobs still due after ${maxPasses} passes`);
  }

  private async run(name: QueueName, job: PgBoss.JobWithMetadata<object>, report: RunReport): Promise<void> {
    const handler = this.handlers[name] as JobHandler<QueueName>;
    try {
      const data = QUEUES[name].payload.parse(job.data) as JobData<QueueName>;
      const result = await withFollowUps(
        () =>
          this.withThrottleWaits(() => handler(data, { id: job.id, attempt: job.retryCount + 1 }), report),
        (followUps) => this.queue.sendFollowUps(followUps),
      );
      if (await this.queue.completeHeld(name, heldJob(job), toOutput(result))) report.completed++;
      else lostLease(name, job);
    } catch (error) {
      report.failed++;
      const message = (error as Error).message ?? String(error);
      await this.queue
        .failHeld(name, heldJob(job), message)
        .then((held) => held || lostLease(name, job))
        .catch((failure: Error) => {
          console.warn(`[jobs] could not record the failure of ${name} ${job.id}: ${failure.message}`);
        });
    }
  }

  private async withThrottleWaits<T>(attempt: () => Promise<T>, report: RunReport): Promise<T> {
    for (let waits = 0; ; waits++) {
      try {
        return await attempt();
      } catch (error) {
        const wait = error instanceof AdminTransientError ? error.retryAfterMs : undefined;
        if (
          wait === undefined ||
          wait > this.options.maxThrottleWaitMs ||
          waits >= this.options.maxThrottleWaits
        ) {
          throw error;
        }
        report.throttleWaits++;
        await this.options.sleep(wait);
      }
    }
  }
}

const heldJob = (job: PgBoss.JobWithMetadata<object>): HeldJob => ({
  id: job.id,
  retryCount: job.retryCount,
});

/** This run outlived its lease and another worker took the job: that worker records the outcome. */
function lostLease(name: QueueName, job: PgBoss.JobWithMetadata<object>): void {
  console.warn(
    `[jobs] ${name} ${job.id} (try ${job.retryCount + 1}) ran past its lease and was taken over; its outcome is not recorded here`,
  );
}

function toOutput(result: unknown): object | undefined {
  if (result === undefined || result === null) return undefined;
  return typeof result === "object" ? (JSON.parse(JSON.stringify(result)) as object) : { result };
}
