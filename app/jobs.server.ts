/**
 * The process's job queue, and its workers (jobs, and webhook deliveries from
 * the inbox) unless JOB_WORKER=off (a web-only process on PostgreSQL while
 * separate `npm run worker` processes do the work; the embedded database
 * always runs its workers in the app process).
 * Stopped before the database closes.
 */
import { database, prisma } from "./db.server";
import { env } from "./env.server";
import { withFollowUps } from "./jobs/follow-ups.server";
import { InboxWorker } from "./jobs/inbox-worker.server";
import { jobHandlers } from "./jobs/job-handlers.server";
import { JobQueue } from "./jobs/job-queue.server";
import { JobWorker } from "./jobs/worker.server";
import { offlineAdmin } from "./shopify/offline-admin.server";
import { offlineTokens } from "./shopify/offline-tokens.server";

declare global {
  var __regularsJobs:
    Promise<{ queue: JobQueue; worker: JobWorker | null; inbox: InboxWorker | null }> | undefined;
}

export function startJobs(runWorker: boolean) {
  return (async () => {
    const queue = await JobQueue.open(database, { schedule: runWorker });
    const worker = runWorker
      ? new JobWorker(
          queue,
          jobHandlers({
            db: prisma,
            queue,
            adminFor: (shop) =>
              offlineAdmin({ shop, tokens: offlineTokens, origin: env.SHOPIFY_ADMIN_API_ORIGIN }),
            now: () => new Date(),
          }),
        )
      : null;
    const inbox = runWorker ? new InboxWorker(prisma, (followUps) => queue.sendFollowUps(followUps)) : null;
    worker?.start();
    inbox?.start();
    database.onClose(async () => {
      await inbox?.stop();
      await worker?.stop();
      await queue.stop();
    });
    return { queue, worker, inbox };
  })();
}

globalThis.__regularsJobs ??= startJobs(env.JOB_WORKER === "on");

export const { queue: jobs } = await globalThis.__regularsJobs;

/** Runs request work and enqueues the follow-ups its changes noted (after its transactions). */
export function withJobs<T>(work: () => Promise<T>): Promise<T> {
  return withFollowUps(work, (followUps) => jobs.sendFollowUps(followUps));
}
