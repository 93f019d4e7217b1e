/**
 * The process's job queue (`jobs`), opened when this module is first
 * imported, as the database is (db.server.ts); and its workers (jobs, and
 * webhook deliveries from the inbox), which start only when an entry point
 * calls startJobWorkers(): app/entry.server.tsx does for the web and worker
 * processes (scripts/http-server.mjs, scripts/worker.mjs, `npm run dev`).
 * With JOB_WORKER=off (a web-only process on PostgreSQL while separate
 * `npm run worker` processes do the work; tests, which drain jobs
 * themselves) that call starts nothing. The embedded database always runs
 * its workers in the app process. Stopped before the database closes.
 */
import { database, prisma } from "./db.server";
import { env } from "./env.server";
import { withFollowUps } from "./jobs/follow-ups.server";
import { InboxWorker } from "./jobs/inbox-worker.server";
import { jobHandlers } from "./jobs/job-handlers.server";
import { JobQueue } from "./jobs/job-queue.server";
import { JobWorker } from "./jobs/worker.server";
import { offlineAdmin } from "./shopify/admin-api/offline-admin.server";
import { offlineTokens } from "./shopify/sessions/offline-tokens.server";

/** Whether this process runs jobs (and the queue's crons), from JOB_WORKER. */
const runsJobs = env.JOB_WORKER === "on";

declare global {
  // Survive Vite's module reloads in development: one queue and one set of workers per process.
  var __regularsJobQueue: Promise<JobQueue> | undefined;
  var __regularsJobWorkers: { worker: JobWorker; inbox: InboxWorker } | undefined;
}

globalThis.__regularsJobQueue ??= JobQueue.open(database, { schedule: runsJobs }).then((queue) => {
  database.onClose(async () => {
    await stopJobWorkers();
    await queue.stop();
  });
  return queue;
});

export const jobs: JobQueue = await globalThis.__regularsJobQueue;

/**
 * Starts this process's job worker and inbox worker, once, when JOB_WORKER=on;
 * returns them (null when this process does not run jobs).
 */
export function startJobWorkers(): { worker: JobWorker; inbox: InboxWorker } | null {
  if (!runsJobs) return null;
  if (globalThis.__regularsJobWorkers) return globalThis.__regularsJobWorkers;
  const adminFor = (shop: string) =>
    offlineAdmin({ shop, tokens: offlineTokens, origin: env.SHOPIFY_ADMIN_API_ORIGIN });
  const worker = new JobWorker(
    jobs,
    jobHandlers({ db: prisma, queue: jobs, adminFor, now: () => new Date() }),
  );
  const inbox = new InboxWorker(prisma, (followUps) => jobs.sendFollowUps(followUps), { adminFor });
  worker.start();
  inbox.start();
  return (globalThis.__regularsJobWorkers = { worker, inbox });
}

async function stopJobWorkers() {
  const started = globalThis.__regularsJobWorkers;
  globalThis.__regularsJobWorkers = undefined;
  await started?.inbox.stop();
  await started?.worker.stop();
}

/** Runs request work and enqueues the follow-ups its changes noted (after its transactions). */
export function withJobs<T>(work: () => Promise<T>): Promise<T> {
  return withFollowUps(work, (followUps) => jobs.sendFollowUps(followUps));
}
