/**
 * `npm run bench:webhook`: the time Regulars takes to answer an orders/paid
 * delivery (HMAC check, parse, store in the inbox), called in-process through
 * the real route, one delivery at a time; then the time the inbox worker's
 * function takes to apply them all (award, tier, follow-up jobs), as a worker
 * does, a batch of 20 claimed at once and 4 applied at once, held under a
 * lease with its heartbeat. Prints p50/p95/p99 and the rates, on the
 * embedded PGlite and, when
 * BENCH_DATABASE_URL is set, on PostgreSQL (a scratch schema that is dropped
 * afterwards). The HTTP-level load test is `npm run bench:load`.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { API_KEY, API_SECRET_KEY, APP_URL, getHmac } from "@shopify/shopify-api/test-helpers";
import { ADMIN_API_VERSION } from "../app/shopify/api-version";
import { LOAD_BALANCER_HEADERS } from "../tests/support/webhooks";
import { DEMO_SESSION_ENCRYPTION_KEY } from "../devshop/launch";

const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const target = process.argv[2] ?? "pglite";
const schema = `bench_${randomBytes(4).toString("hex")}`;

Object.assign(process.env, {
  // The shops' tokens are encrypted at rest; a bench uses the demo's key (devshop/launch.ts).
  SESSION_ENCRYPTION_KEY: DEMO_SESSION_ENCRYPTION_KEY,
  SHOPIFY_API_KEY: API_KEY,
  SHOPIFY_API_SECRET: API_SECRET_KEY,
  SHOPIFY_APP_URL: APP_URL,
  SCOPES: "read_orders",
  LOG_LEVEL: "error",
  DATA_DIR: "memory://",
  // The web process's path, as Shopify waits for it; JOB_WORKER=on also runs the job worker in-process.
  JOB_WORKER: process.env.JOB_WORKER ?? "off",
});
if (target === "postgres") {
  const base = process.env.BENCH_DATABASE_URL;
  if (!base) throw new Error("BENCH_DATABASE_URL is required for the postgres target");
  const url = new URL(base);
  url.searchParams.set("schema", schema);
  process.env.DATABASE_URL = url.toString();
} else {
  delete process.env.DATABASE_URL;
}

const { action } = await import("../app/routes/webhooks.orders.paid");
const { database } = await import("../app/db.server");
const { jobs, startJobWorkers } = await import("../app/jobs.server");
startJobWorkers(); // JOB_WORKER=on: the job worker runs in this process too
const { drainInbox } = await import("../app/services/webhooks/inbox.server");
const { holdingDeliveries } = await import("../app/db/deliveries.server");
// As the inbox worker holds its batches: under a lease token, with the heartbeat beating.
const applyAll = () =>
  holdingDeliveries(database.prisma, () =>
    drainInbox(database.prisma, { sendFollowUps: (followUps) => jobs.sendFollowUps(followUps) }),
  );
const template = readFileSync(new URL("../tests/fixtures/shopify/orders-paid.json", import.meta.url), "utf8");

function request(i: number): Request {
  const body = template
    .replaceAll("6817362940512877913", String(7_000_000_000_000_000_000n + BigInt(i)))
    .replaceAll("7302485617390244561", String(8_000_000_000_000_000_000n + BigInt(i % 200)));
  return new Request(`${APP_URL}/webhooks/orders/paid`, {
    method: "POST",
    body,
    // What a delivery carries when it reaches the app behind a load balancer: Shopify's headers and the proxy's.
    headers: {
      Host: new URL(APP_URL).host,
      ...LOAD_BALANCER_HEADERS,
      "Content-Type": "application/json",
      "Content-Length": String(Buffer.byteLength(body)),
      "X-Shopify-Topic": "orders/paid",
      "X-Shopify-Hmac-Sha256": getHmac(body, API_SECRET_KEY),
      "X-Shopify-Shop-Domain": "bench.myshopify.com",
      "X-Shopify-API-Version": ADMIN_API_VERSION,
      "X-Shopify-Webhook-Id": `bench-${i}`,
      "X-Shopify-Event-Id": `bench-event-${i}`,
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Request-Id": `req-${i}`,
    },
  });
}

// The shop is installed: its deliveries are applied, not held for a confirmation.
await database.prisma.shop.create({ data: { domain: "bench.myshopify.com", installedAt: new Date() } });
// Warm-up: first queries compile plans, first delivery creates the program.
for (let i = 0; i < 20; i++) await action({ request: request(-1 - i), params: {}, context: {} });
await applyAll();

// Built (and signed) beforehand, so the CPU figure is the app's alone.
const requests = Array.from({ length: COUNT }, (_, i) => request(i));
const timings: number[] = [];
const cpu = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < COUNT; i++) {
  const req = requests[i]!;
  const t0 = performance.now();
  const res = await action({ request: req, params: {}, context: {} });
  timings.push(performance.now() - t0);
  if (res.status !== 200) throw new Error(`delivery ${i} answered ${res.status}`);
}
const total = performance.now() - started;
const { user, system } = process.cpuUsage(cpu);
timings.sort((a, b) => a - b);
const pct = (p: number) =>
  timings[Math.min(timings.length - 1, Math.floor((p / 100) * timings.length))]!.toFixed(1);
console.log(
  `webhook orders/paid on ${database.kind}: ${COUNT} deliveries answered, p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, ` +
    `${((COUNT / total) * 1000).toFixed(0)} deliveries/s sequential; ` +
    `this process's CPU ${((user + system) / 1000 / COUNT).toFixed(2)} ms a delivery${database.kind === "pglite" ? " (the embedded database's included)" : " (PostgreSQL's own not counted)"}`,
);
const applyStarted = performance.now();
const applied = await applyAll();
const applySeconds = (performance.now() - applyStarted) / 1000;
const balance = await database.prisma.member.aggregate({ _sum: { balance: true } });
console.log(
  `inbox worker on ${database.kind}: ${applied.applied} applied (${applied.retried} retried, ${applied.failed} failed) ` +
    `in ${applySeconds.toFixed(1)} s, ${(applied.applied / applySeconds).toFixed(0)} deliveries/s; ` +
    `points credited ${balance._sum.balance}`,
);
await database.close(); // stops the job queue first
if (target === "postgres") {
  const client = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
  await client.end();
}
