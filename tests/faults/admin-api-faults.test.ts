/**
 * Shopify faults on the production path of jobs: the handlers as
 * app/jobs.server.ts wires them (graphql-request with the shop's offline
 * token over HTTP), Shopify stood in for at the network edge, and between
 * them a network that misbehaves per operation:
 *   throttled    HTTP 200 with a THROTTLED error and the throttle status
 *   503          Shopify failing
 *   hang         a request that never answers (Shopify never got it)
 *   hang-after   Shopify did the work, the answer never comes
 * tests/jobs covers THROTTLED, a 502 and a lost answer queued on the shop's
 * stand-in; this adds requests that never answer within the client's
 * timeout, and the offline tokens read from the shop's stored session. Jobs
 * back off, finish, and nothing is done twice.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { ensureProgram } from "~/db/program.server";
import { jobs, withJobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobWorker } from "~/jobs/worker.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { reservePoints } from "~/services/rewards/redeem-reward.server";
import { NAMESPACE } from "~/shopify/admin-api/member-metafields.server";
import { offlineAdmin } from "~/shopify/admin-api/offline-admin.server";
import { offlineTokens } from "~/shopify/sessions/offline-tokens.server";
import { adminStandIn } from "../support/admin-stand-in";
import { listenToEveryTrigger } from "../support/flow-callbacks";
import { storeOfflineSession } from "../support/sessions";
import { startShopifyEdge, type ShopifyEdge } from "../support/shopify-edge";

type NetworkFault = "throttled" | "503" | "hang" | "hang-after";

const TIMEOUT_MS = 300;
const CUSTOMER = "gid://shopify/Customer/5150001";
let n = 0;
let shop: string;
let edge: ShopifyEdge;
let shopify: ReturnType<typeof adminStandIn>;
/** Faults still to happen, by operation name. */
let faults: Record<string, NetworkFault[]>;
let happened: { operation: string; fault: NetworkFault; ms: number }[];
let sleeps: number[];

const operationOf = (init?: RequestInit) =>
  /(?:query|mutation)\s+(\w+)/.exec(typeof init?.body === "string" ? init.body : "")?.[1] ?? "?";

/** Waits for the client to give up (its abort signal), as a request that never answers does. */
const neverAnswers = (signal: AbortSignal | null | undefined) =>
  new Promise<Response>((_, reject) => {
    if (!signal) return; // no client timeout: it would hang for ever
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });

/** The network between the app and the edge. */
const network: typeof fetch = async (input, init) => {
  const operation = operationOf(init);
  const fault = faults[operation]?.shift();
  if (!fault) return globalThis.fetch(input, init);
  const started = Date.now();
  const done = <T>(value: T) => {
    happened.push({ operation, fault, ms: Date.now() - started });
    return value;
  };
  switch (fault) {
    case "throttled":
      return done(
        Response.json({
          errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
          extensions: {
            cost: {
              requestedQueryCost: 120,
              actualQueryCost: null,
              throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 20, restoreRate: 100 },
            },
          },
        }),
      );
    case "503":
      return done(new Response("Service Unavailable", { status: 503 }));
    case "hang":
      return neverAnswers(init?.signal).catch((error: unknown) => done(Promise.reject(error)));
    case "hang-after":
      await globalThis.fetch(input, init);
      return neverAnswers(init?.signal).catch((error: unknown) => done(Promise.reject(error)));
  }
};

const worker = () =>
  new JobWorker(
    jobs,
    jobHandlers({
      db: prisma,
      queue: jobs,
      adminFor: (jobShop) =>
        jobShop === shop
          ? offlineAdmin({ shop: jobShop, tokens: offlineTokens, fetch: network, timeoutMs: TIMEOUT_MS })
          : adminStandIn().admin,
      now: () => new Date(),
    }),
    { sleep: async (ms) => void sleeps.push(ms) },
  );

async function jobRows() {
  return prisma.$queryRawUnsafe<{ name: string; state: string; retry_count: number; later: boolean }[]>(
    `SELECT name, state::text, retry_count, start_after > now() AS later FROM ${jobs.schema}.job
      WHERE data->>'shop' = $1 ORDER BY name`,
    shop,
  );
}

/** Runs the worker until every job of the shop is done, making each backoff fall due at once. */
async function runToTheEnd() {
  const passes: { name: string; state: string; later: boolean }[][] = [];
  for (let pass = 0; pass < 10; pass++) {
    await worker().drain();
    const waiting = (await jobRows()).filter((row) => row.state !== "completed");
    if (waiting.length === 0) return passes;
    passes.push(waiting);
    await prisma.$executeRawUnsafe(
      `UPDATE ${jobs.schema}.job SET start_after = now() WHERE state = 'retry' AND data->>'shop' = $1`,
      shop,
    );
  }
  throw new Error(`jobs of ${shop} still waiting: ${JSON.stringify(await jobRows())}`);
}

beforeEach(async () => {
  shop = `faults-${n++}-${process.pid}.myshopify.com`;
  shopify = adminStandIn();
  faults = {};
  happened = [];
  sleeps = [];
  edge = startShopifyEdge({
    shop,
    apiKey: API_KEY,
    apiSecretKey: API_SECRET_KEY,
    scopes: process.env.SCOPES!,
    answer: shopify.answer,
    accessTokens: ["shpat_faults"],
  });
  await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
  await storeOfflineSession(prisma, shop, { accessToken: "shpat_faults", scope: process.env.SCOPES! });
  await ensureProgram(prisma, shop);
  await prisma.program.update({ where: { shop }, data: { syncedVersion: 1 } });
  await listenToEveryTrigger(prisma, shop);
});
afterEach(() => edge.restore());

const adjust = (points: number, key: string) =>
  withJobs(() =>
    adjustPoints(
      prisma,
      shop,
      { customerGid: CUSTOMER, points, reason: "Faults", staffId: "s", idempotencyKey: key },
      new Date(),
    ),
  );

describe("Admin API faults on the production path", () => {
  it("a call that never answers fails its attempt at the client timeout; the retry, after a backoff, finishes the sync", async () => {
    await adjust(120, "hang-key-1");
    faults = { MetafieldsSet: ["hang"] };
    const started = Date.now();
    await worker().drain();
    // The hung call was given up at the timeout, not minutes later, and the job waits for its backoff.
    expect(happened).toEqual([{ operation: "MetafieldsSet", fault: "hang", ms: expect.any(Number) }]);
    expect(happened[0]!.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await jobRows()).toEqual([{ name: "member-sync", state: "retry", retry_count: 0, later: true }]);
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(member.syncError).toMatch(/did not answer within 300 ms/);
    expect(shopify.metafields.size).toBe(0);

    await runToTheEnd();
    expect(shopify.metafields.get(`${CUSTOMER}|${NAMESPACE}|points`)?.value).toBe("120");
    expect(edge.calls.filter((call) => call.operationName === "MetafieldsSet")).toHaveLength(1);
    const synced = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(synced.syncedVersion).toBe(synced.syncVersion);
  });

  it("THROTTLED, 503, a hang, and a code created whose answer never came: every job finishes, no code or debit twice", async () => {
    // GIVEN a member with points, a sync queued, and a redemption waiting for its code
    await adjust(900, "mixed-key-1");
    const reserved = await reservePoints(
      prisma,
      shop,
      { customerGid: CUSTOMER, rewardKey: "5-off", idempotencyKey: "mixed-redeem-1" },
      new Date(),
    );
    await jobs.send("code-issue", { shop, redemptionId: reserved.id });
    // AND a network that throttles, fails, hangs, and swallows the answer to the code's creation
    faults = {
      MetafieldsSet: ["throttled", "503", "hang"],
      CreateBasicCode: ["hang-after"],
      FlowTriggerReceive: ["hang"],
    };

    // WHEN the worker runs, retries falling due one after another
    const passes = await runToTheEnd();

    // THEN every fault happened, each retry waited for a backoff, and all jobs completed
    expect(happened.map((h) => `${h.operation} ${h.fault}`).sort()).toEqual([
      "CreateBasicCode hang-after",
      "FlowTriggerReceive hang",
      "MetafieldsSet 503",
      "MetafieldsSet hang",
      "MetafieldsSet throttled",
    ]);
    expect(passes.length).toBeGreaterThan(0);
    for (const waiting of passes)
      for (const row of waiting) expect(row).toMatchObject({ state: "retry", later: true });
    expect(new Set((await jobRows()).map((row) => row.state))).toEqual(new Set(["completed"]));
    // THROTTLED waited as long as throttleStatus says (100 missing at 100/s: 1 s), in the same attempt.
    expect(sleeps).toContain(1000);
    // AND Shopify holds one code for the customer, found again by its code rather than created twice
    const creates = edge.calls.filter((call) => call.operationName === "CreateBasicCode");
    expect(creates).toHaveLength(1);
    expect(edge.calls.map((call) => call.operationName)).toContain("CodeByCode");
    expect(shopify.codes.size).toBe(1);
    const redemption = await prisma.redemption.findFirstOrThrow({ where: { shop } });
    expect(redemption).toMatchObject({ status: "ISSUED", attempts: 2 });
    expect(shopify.codes.has(redemption.code)).toBe(true);
    // AND the points were taken once, the metafields hold the final state, Flow heard of the code once
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    expect(member.balance).toBe(400);
    expect(await prisma.ledgerEntry.count({ where: { shop, kind: "REDEEM" } })).toBe(1);
    expect(shopify.metafields.get(`${CUSTOMER}|${NAMESPACE}|points`)?.value).toBe("400");
    expect(shopify.flowReceipts.filter((r) => r.handle === "regulars-reward-issued")).toHaveLength(1);
    expect(await prisma.flowEvent.count({ where: { shop, sentAt: null } })).toBe(0);
  });
});
