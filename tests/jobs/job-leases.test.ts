/**
 * Job leases (app/jobs/worker.server.ts, app/jobs/job-queue.server.ts): a
 * running job is held under pg-boss's expiry, which the worker's heartbeat
 * renews; the job of a worker that stopped beating is put back at once by the
 * sweep; and a worker that stalled past its lease, whose job another worker
 * took, records no outcome over the other's run. Jobs here expire after 1 s
 * (pg-boss's shortest) so the tests are quick; production uses
 * JOB_LEASE_SECONDS and HEARTBEAT_MS.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { database, prisma } from "~/db.server";
import { ensureProgram } from "~/db/program.server";
import { jobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobQueue } from "~/jobs/job-queue.server";
import { JOB_LEASE_SECONDS } from "~/jobs/queues";
import { JobWorker, type JobHandlers } from "~/jobs/worker.server";
import { adminStandIn } from "../support/admin-stand-in";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A heartbeat that never comes within a test: the worker is stalled (or dead). */
const STALLED = 600_000;

let n = 0;
let shop: string;

beforeEach(async () => {
  shop = `leases-${n++}-${process.pid}.myshopify.com`;
  await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
  await ensureProgram(prisma, shop);
  await prisma.program.update({ where: { shop }, data: { syncedVersion: 1 } });
});

/** A worker whose program-sync handler is `run` (the job that calls Shopify here). */
function worker(run: JobHandlers["program-sync"], heartbeatMs: number) {
  const handlers = jobHandlers({
    db: prisma,
    queue: jobs,
    adminFor: () => adminStandIn().admin,
    now: () => new Date(),
  });
  return new JobWorker(jobs, { ...handlers, "program-sync": run }, { queues: ["program-sync"], heartbeatMs });
}

/** This test's program-sync job, expiring 1 s after it starts unless renewed. */
const send = () =>
  jobs.boss.send(
    "program-sync",
    { shop },
    { singletonKey: shop, expireInSeconds: 1, retryDelay: 5, retryBackoff: true },
  );

async function job(id: string) {
  const [row] = await prisma.$queryRawUnsafe<{ state: string; retry_count: number; output: unknown }[]>(
    `SELECT state::text, retry_count, output FROM ${jobs.schema}.job WHERE id = $1`,
    id,
  );
  return row!;
}

function signal() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("job leases", () => {
  it("a live worker's heartbeat keeps its job past the expiry: pg-boss does not expire it, nobody runs it twice", async () => {
    const id = (await send())!;
    const runs: string[] = [];
    const a = worker(async () => {
      runs.push("A");
      await sleep(2_500); // longer than the 1 s expiry
      return { by: "A" };
    }, 200);
    const passA = a.runOnce();
    await sleep(1_500);
    // pg-boss's maintenance and another worker find nothing to take.
    await jobs.boss.expire();
    const b = worker(async () => {
      runs.push("B");
      return { by: "B" };
    }, 200);
    expect((await b.runOnce()).completed).toBe(0);
    await passA;
    expect(runs).toEqual(["A"]);
    expect(await job(id)).toMatchObject({ state: "completed", retry_count: 0, output: { by: "A" } });
  });

  it("the sweep puts a dead worker's job back at once: another worker runs it without waiting for a backoff", async () => {
    const id = (await send())!;
    const started = signal();
    // Worker A takes the job and dies in it: no heartbeat, no outcome, ever.
    const a = worker(async () => {
      started.resolve();
      return new Promise(() => {});
    }, STALLED);
    void a.runOnce();
    await started.promise;
    await sleep(1_200);
    expect(await jobs.sweepExpired()).toBe(1);
    const b = worker(async () => ({ by: "B" }), 200);
    expect((await b.runOnce()).completed).toBe(1);
    expect(await job(id)).toMatchObject({ state: "completed", retry_count: 1, output: { by: "B" } });
  });

  it("a worker that stalled past its lease records no outcome over the run that took the job over", async () => {
    const id = (await send())!;
    const aStarted = signal();
    const aWakes = signal();
    const bStarted = signal();
    const bMayFinish = signal();
    // Worker A stalls in the job (no heartbeat), and wakes up failing it, while B runs it.
    const a = worker(async () => {
      aStarted.resolve();
      await aWakes.promise;
      throw new Error("A's late failure");
    }, STALLED);
    const passA = a.runOnce();
    await aStarted.promise;
    await sleep(1_200);
    // pg-boss expires it; its retry is made due now (what the sweep does, spelled out).
    await jobs.boss.expire();
    await prisma.$executeRawUnsafe(`UPDATE ${jobs.schema}.job SET start_after = now() WHERE id = $1`, id);
    const b = worker(async () => {
      bStarted.resolve();
      await bMayFinish.promise;
      return { by: "B" };
    }, 200);
    const passB = b.runOnce();
    await bStarted.promise;
    aWakes.resolve();
    await passA;
    // B's run is untouched: still active (not put back to retry by A's failure).
    expect(await job(id)).toMatchObject({ state: "active", retry_count: 1 });
    bMayFinish.resolve();
    await passB;
    expect(await job(id)).toMatchObject({ state: "completed", retry_count: 1, output: { by: "B" } });
  });

  it("a queue made before the leases (its expiry the longest run) gets the lease when the queue opens", async () => {
    await jobs.boss.updateQueue("member-sync", {
      name: "member-sync",
      policy: "stately",
      expireInSeconds: 300,
    });
    const reopened = await JobQueue.open(database, { supervise: false, schedule: false });
    try {
      expect((await jobs.boss.getQueue("member-sync"))?.expireInSeconds).toBe(JOB_LEASE_SECONDS);
      const id = await jobs.send("member-sync", { shop, memberId: "a-member" });
      const [row] = await prisma.$queryRawUnsafe<{ seconds: number }[]>(
        `SELECT extract(epoch FROM expire_in)::int AS seconds FROM ${jobs.schema}.job WHERE id = $1`,
        id,
      );
      expect(row!.seconds).toBe(JOB_LEASE_SECONDS);
    } finally {
      await reopened.stop();
    }
  });
});
