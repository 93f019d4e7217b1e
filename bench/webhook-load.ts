/**
 * `npm run bench:load`: Regulars' production build under HTTP load on
 * PostgreSQL, driven by wrk (bench/wrk.ts; `apt-get install -y wrk`).
 *
 *   1. The ceiling: pgbench's single-row INSERT rate (autocommit, prepared,
 *      as many clients as the app's pool) on the same database.
 *   2. Webhook ingest: signed orders/paid deliveries (Shopify's headers, a
 *      valid X-Shopify-Hmac-Sha256, a distinct X-Shopify-Webhook-Id and order
 *      per delivery, BENCH_CUSTOMERS customers) at rising fixed rates
 *      (BENCH_RATES deliveries/s, BENCH_SECONDS each; "max" = as fast as
 *      BENCH_CONNECTIONS connections go). At a fixed rate the deliveries
 *      leave one every 1/rate s (not in a burst each second, as autocannon's
 *      rate sends them). Throughput and p50/p99 per step, the ratio to
 *      pgbench (goal >= 0.5) and whether p99 <= 25 ms at 500/s holds.
 *   3. The inbox: the web process only stores deliveries; BENCH_WORKERS worker
 *      processes (`npm run worker`'s code, default 2) are started after the
 *      ingest steps and apply the backlog; the time to apply it is printed
 *      (BENCH_WORKERS=0 skips this step and the ledger check).
 *      Before that, every delivery sent that the inbox does not hold (cut
 *      off by the end of a step, or timed out) is sent again, as Shopify
 *      retries. Afterwards, the ledger is checked against what was sent: one
 *      order record and one award per delivery, and each customer's
 *      balance as computed by hand from the default program (126.00 eligible
 *      per order: 630 points while Member, 787 once Silver at 250.00 spent,
 *      945 once Gold at 1,000.00).
 *   4. App proxy: GET /proxy/status signed as Shopify signs proxied requests
 *      (devshop/storefront.ts), for the customers of step 2, at
 *      BENCH_PROXY_RATE requests/s: p50/p99 (goal p99 <= 15 ms).
 *   5. The yardstick: a minimal correct receiver (bench/minimal-receiver.mjs:
 *      node:http, the HMAC checked, one INSERT of the same inbox row into a
 *      copy of the inbox table, nothing else), one process on the same
 *      database, flat out with the same deliveries and connections; the
 *      app's flat-out rate as a share of it (goal >= 0.8 with one process).
 *
 * One web process (JOB_WORKER=off, as a deployment that scales web and
 * `npm run worker` processes apart). The workers' follow-up jobs (member
 * syncs, Flow) have no Shopify to call here: they fail at once and wait for
 * their retries, which the bench does not wait for.
 * BENCH_DATABASE_URL is required; everything lives in a scratch schema that is
 * dropped afterwards. BENCH_BUILD points at a copy of build/ (default
 * ./build) so a rebuild by someone else cannot change the server mid-run.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { ADMIN_API_VERSION } from "../app/shopify/api-version";
import { appEnvironment, DEMO_APP, freePort } from "../devshop/launch";
import { signProxyQuery } from "../devshop/storefront";
import { LOAD_BALANCER_HEADERS } from "../tests/support/webhooks";
import { runWrk, wrkMissing, type PreparedRequest, type WrkResult } from "./wrk";

const base = process.env.BENCH_DATABASE_URL;
if (!base) {
  console.error(
    "bench:load needs BENCH_DATABASE_URL (PostgreSQL), e.g. postgresql://postgres@127.0.0.1:5432/test",
  );
  process.exit(1);
}
const RATES = (process.env.BENCH_RATES ?? "100,250,500,750,max").split(",").map((r) => r.trim());
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 3000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** Connections kept open for a steady rate: enough that one is free at each request's time. */
const STEADY_CONNECTIONS = 64;
const PROXY_RATE = Number(process.env.BENCH_PROXY_RATE ?? 500);
const POOL = Number(process.env.BENCH_PGBENCH_CLIENTS ?? 10);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const BUILD = path.resolve(process.env.BENCH_BUILD ?? "build", "server/index.js");
const SHOP = "bench-load.myshopify.com";
const run = randomBytes(4).toString("hex");
const schema = `bench_load_${run}`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

if (await wrkMissing()) {
  console.error("bench:load drives the server with wrk: install it first (apt-get install -y wrk).");
  process.exit(1);
}
if (!existsSync(BUILD)) {
  console.error(`No production build at ${BUILD}: run \`npm run build\` first (or set BENCH_BUILD).`);
  process.exit(1);
}
const url = new URL(base);
url.searchParams.set("schema", schema);
const databaseUrl = url.toString();
const admin = new pg.Client({ connectionString: base });
await admin.connect();
console.log(`load average at start: ${load()} (${process.env.BENCH_NOTE ?? "2 cores shared"})`);

// ---------------------------------------------------------------------------
// 1. The ceiling: pgbench, single-row inserts on the same database.
// ---------------------------------------------------------------------------
/** pgbench running one INSERT (autocommit, prepared, as many clients as the app's pool) for SECONDS. */
function pgbenchRate(insert: string): number {
  const dir = mkdtempSync(path.join(tmpdir(), "regulars-pgbench-"));
  const script = path.join(dir, "insert.sql");
  writeFileSync(script, `${insert}\n`);
  const target = new URL(base!);
  const out = execFileSync(
    "pgbench",
    [
      "-n",
      "-M",
      "prepared",
      "-f",
      script,
      "-c",
      String(POOL),
      "-j",
      "2",
      "-T",
      String(SECONDS),
      "-h",
      target.hostname,
      "-p",
      target.port || "5432",
      "-U",
      decodeURIComponent(target.username || "postgres"),
      target.pathname.slice(1) || "postgres",
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  rmSync(dir, { recursive: true, force: true });
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out)?.[1];
  if (!tps) throw new Error(`could not read pgbench's tps:\n${out}`);
  return Number(tps);
}

/** The ceiling: a single-row insert of a small row. */
async function pgbenchInsertRate(): Promise<number> {
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(
    `CREATE TABLE "${schema}".pgbench_insert (id bigserial PRIMARY KEY, shop text NOT NULL, body text NOT NULL, at timestamptz NOT NULL DEFAULT now())`,
  );
  const tps = pgbenchRate(`INSERT INTO "${schema}".pgbench_insert (shop, body) VALUES ('${SHOP}', 'x');`);
  await admin.query(`DROP TABLE "${schema}".pgbench_insert`);
  return tps;
}

/**
 * The same ceiling for the row a delivery is: an insert into a copy of the
 * inbox table (its indexes, defaults and compression) of a delivery's body,
 * one row a statement (the app stores up to 100 in one when they arrive together).
 */
async function pgbenchInboxRowRate(body: string): Promise<number> {
  const table = `"${schema}".pgbench_inbox`;
  await admin.query(`CREATE TABLE ${table} (LIKE "${schema}"."WebhookDelivery" INCLUDING ALL)`);
  const literal = `'${body.replaceAll("'", "''")}'`;
  const tps = pgbenchRate(
    `INSERT INTO ${table} (id, shop, "webhookId", topic, "apiVersion", "triggeredAt", payload) ` +
      `VALUES (gen_random_uuid()::text, '${SHOP}', gen_random_uuid()::text, 'ORDERS_PAID', '${ADMIN_API_VERSION}', now(), ${literal});`,
  );
  await admin.query(`DROP TABLE ${table}`);
  return tps;
}

// ---------------------------------------------------------------------------
// The app: `npm start`'s server (scripts/serve.mjs) on the production build, web only, on PostgreSQL.
// ---------------------------------------------------------------------------
const appEnv = (port: number, jobWorker: "on" | "off"): Record<string, string> => ({
  ...appEnvironment({
    devshopUrl: "http://127.0.0.1:9", // no Shopify here: the workers' Admin calls fail at once
    appUrl: `http://127.0.0.1:${port}`,
    port,
    databaseUrl,
    scopes: "read_customers,read_orders,write_customers,write_discounts",
  }),
  JOB_WORKER: jobWorker,
  // e.g. BENCH_NODE_OPTIONS="--import ./profile.mjs" to profile the app and workers
  ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
});

/** SIGTERM, then SIGKILL if the process is still there 10 s later. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
  });
}

async function startServer(port: number) {
  const env = appEnv(port, "off");
  const child = spawn(process.execPath, [path.resolve("scripts/serve.mjs"), BUILD], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  process.once("exit", () => child.kill("SIGKILL"));
  let output = "";
  // BENCH_SERVER_LOG=<file> keeps everything the server printed (e.g. bench/probes/gc.mjs's lines).
  const log = process.env.BENCH_SERVER_LOG ? createWriteStream(process.env.BENCH_SERVER_LOG) : undefined;
  const keep = (c: Buffer) => {
    output = (output + c.toString()).slice(-10_000);
    log?.write(c);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const origin = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ;) {
    if (child.exitCode !== null) throw new Error(`the app exited:\n${output}`);
    if (
      await fetch(`${origin}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`the app did not answer /healthz:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    origin,
    output: () => output,
    stop: () => stopChild(child),
  };
}

/** A worker process, as `npm run worker` runs one: the build's server entry with JOB_WORKER=on. */
function startWorker(port: number) {
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(BUILD).href)});`],
    { env: { ...process.env, ...appEnv(port, "on") }, stdio: ["ignore", "ignore", "pipe"] },
  );
  process.once("exit", () => child.kill("SIGKILL"));
  return {
    stop: () => stopChild(child),
  };
}

/** Deliveries stored and not applied yet. */
async function inboxDepth(): Promise<number> {
  const { rows } = await admin.query(
    `SELECT count(*)::int AS n FROM "${schema}"."WebhookDelivery" WHERE shop = $1 AND outcome = 'received'`,
    [SHOP],
  );
  return rows[0].n as number;
}

/** Starts the workers, waits until they have applied the whole inbox, stops them. */
async function applyBacklog(port: number) {
  const backlog = await inboxDepth();
  const started = performance.now();
  const workers = Array.from({ length: WORKERS }, () => startWorker(port));
  try {
    for (let last = backlog, lastChange = Date.now(); ;) {
      await new Promise((r) => setTimeout(r, 500));
      const depth = await inboxDepth();
      if (depth === 0) break;
      if (depth !== last) [last, lastChange] = [depth, Date.now()];
      if (Date.now() - lastChange > 120_000) throw new Error(`the inbox is stuck at ${depth} deliveries`);
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `inbox: ${backlog} deliveries applied by ${WORKERS} worker processes in ${seconds.toFixed(1)} s ` +
      `(${(backlog / seconds).toFixed(0)}/s, including their start) (load ${load()})`,
  );
}

// ---------------------------------------------------------------------------
// Signed orders/paid deliveries.
// ---------------------------------------------------------------------------
const ORDER_ID = "6817362940512877913";
const CUSTOMER_ID = "7302485617390244561";
const template = readFileSync(new URL("../tests/fixtures/shopify/orders-paid.json", import.meta.url), "utf8");
const orderId = (i: number) => String(5_000_000_000_000_000_000n + BigInt(i));
const customerOf = (i: number) => i % CUSTOMERS;
const customerId = (c: number) => String(6_000_000_000_000_000_000n + BigInt(c));

/** When each delivery was first built: a retry sends the same body again. */
const sentAt = new Map<number, string>();

function delivery(i: number): { body: string; headers: Record<string, string> } {
  const now = sentAt.get(i) ?? new Date().toISOString();
  sentAt.set(i, now);
  const body = template
    .replaceAll(ORDER_ID, orderId(i))
    .replaceAll(CUSTOMER_ID, customerId(customerOf(i)))
    .replaceAll("maren.okafor@example.com", `c${customerOf(i)}@example.com`)
    .replaceAll("2025-11-14T10:21:37+01:00", now)
    .replaceAll("2025-11-14T10:21:41+01:00", now);
  return {
    body,
    // Shopify's headers, and what a load balancer in front of the app adds.
    headers: {
      ...LOAD_BALANCER_HEADERS,
      "content-type": "application/json",
      "x-shopify-topic": "orders/paid",
      "x-shopify-hmac-sha256": createHmac("sha256", DEMO_APP.apiSecret).update(body).digest("base64"),
      "x-shopify-shop-domain": SHOP,
      "x-shopify-api-version": ADMIN_API_VERSION,
      "x-shopify-webhook-id": `bench-${run}-${i}`,
      "x-shopify-event-id": `bench-event-${run}-${i}`,
      "x-shopify-triggered-at": now,
    },
  };
}

/** What a step measured (bench/wrk.ts), as printed. */
interface Step extends WrkResult {
  label: string;
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");
function report(kind: string, step: Step) {
  const rate = step.ok / step.duration;
  console.log(
    `${kind} ${step.label.padStart(4)}/s: ${step.ok} answered 2xx in ${fmt(step.duration)} s = ${rate.toFixed(0)}/s, ` +
      `p50 ${fmt(step.p50)} ms, p99 ${fmt(step.p99)} ms, max ${fmt(step.max)} ms` +
      (step.answered > step.ok || step.errors || step.timeouts
        ? `, non-2xx ${step.answered - step.ok}, errors ${step.errors}, timeouts ${step.timeouts}`
        : "") +
      (step.late
        ? `, ${step.late} sent late (worst ${fmt(step.worstLateMs)} ms: the rate was not held)`
        : "") +
      ` (load ${load()})`,
  );
  return rate;
}

let next = 0;
/** Deliveries sent at least once (by a step, the warm-up or a redelivery). */
const sent = new Set<number>();

/**
 * One step of deliveries: at a fixed rate, sent steadily, or as fast as
 * BENCH_CONNECTIONS connections go (built for 1,500/s; past that a
 * delivery would be sent twice, which the step reports).
 */
async function webhookStep(origin: string, label: string): Promise<Step> {
  const rate = label === "max" ? undefined : Number(label);
  const first = next;
  const count = (rate ?? 1500) * SECONDS;
  next += count;
  const requests: PreparedRequest[] = Array.from({ length: count }, (_, k) => ({
    method: "POST",
    path: "/webhooks/orders/paid",
    ...delivery(first + k),
  }));
  const result = await runWrk({
    origin,
    requests,
    rate,
    seconds: SECONDS,
    connections: rate ? STEADY_CONNECTIONS : CONNECTIONS,
  });
  for (const k of result.sent) sent.add(first + k);
  return { label, ...result };
}

/** The same server's GET /healthz (one `SELECT 1`) as fast as it goes: the HTTP stack's own ceiling here. */
async function healthStep(origin: string): Promise<Step> {
  const requests = Array.from({ length: 1000 }, (): PreparedRequest => ({ method: "GET", path: "/healthz" }));
  return {
    label: "max",
    ...(await runWrk({ origin, requests, seconds: SECONDS, connections: CONNECTIONS })),
  };
}

/** A GET /proxy/status for a customer, signed as Shopify signs proxied requests. */
function proxyRequest(customer: number): PreparedRequest {
  const params = new URLSearchParams({
    shop: SHOP,
    logged_in_customer_id: customerId(customer),
    path_prefix: "/apps/regulars",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  params.set("signature", signProxyQuery(params, DEMO_APP.apiSecret));
  return { method: "GET", path: `/proxy/status?${params}` };
}

/** GET /proxy/status for the customers of the run, at a steady rate. */
async function proxyStep(origin: string, customers: number[]): Promise<Step> {
  // Warm-up, as for the deliveries: the route's first answers compile its code and queries
  // (about 50 ms each for the first few dozen on this machine), once per process.
  for (let k = 0; k < 50; k++) {
    const res = await fetch(`${origin}${proxyRequest(customers[k % customers.length]!).path}`);
    if (!res.ok) throw new Error(`warm-up proxy request answered ${res.status}`);
    await res.arrayBuffer();
  }
  const requests = Array.from({ length: PROXY_RATE * SECONDS }, (_, k) =>
    proxyRequest(customers[k % customers.length]!),
  );
  const result = await runWrk({
    origin,
    requests,
    rate: PROXY_RATE,
    seconds: SECONDS,
    connections: STEADY_CONNECTIONS,
    expect: '"points"',
  });
  if (result.unexpected > 0) console.log(`proxy: ${result.unexpected} answers were not a member's status`);
  return { label: String(PROXY_RATE), ...result };
}

/** Points a customer's k-th order (0-based) earns under the default program: 126.00 eligible each. */
function orderPoints(k: number): number {
  const spentBefore = 126 * k;
  if (spentBefore >= 1000) return Math.floor(126 * 5 * 1.5);
  if (spentBefore >= 250) return Math.floor(126 * 5 * 1.25);
  return 126 * 5;
}

/** The deliveries (by index) the inbox holds. */
async function storedDeliveries(): Promise<Set<number>> {
  const { rows } = await admin.query(
    `SELECT "webhookId" FROM "${schema}"."WebhookDelivery" WHERE shop = $1 AND "webhookId" LIKE $2`,
    [SHOP, `bench-${run}-%`],
  );
  return new Set(rows.map((r: { webhookId: string }) => Number(r.webhookId.slice(`bench-${run}-`.length))));
}

/**
 * What Shopify does for a delivery that got no 2xx (a step ended with it in
 * flight, or it timed out): sends it again, same webhook id and body, until
 * it is acknowledged. A delivery is acknowledged once the inbox holds it
 * (the route answers 200 after the insert commits).
 */
async function redeliverUnacknowledged(origin: string): Promise<number> {
  let resent = 0;
  for (let pass = 0; pass < 5; pass++) {
    const stored = await storedDeliveries();
    const missing = [...sent].filter((i) => !stored.has(i));
    if (missing.length === 0) break;
    for (let k = 0; k < missing.length; k += 10) {
      await Promise.all(
        missing.slice(k, k + 10).map(async (i) => {
          const { body, headers } = delivery(i);
          const res = await fetch(`${origin}/webhooks/orders/paid`, { method: "POST", body, headers });
          await res.arrayBuffer();
          resent++;
        }),
      );
    }
  }
  return resent;
}

async function verifyLedger(): Promise<boolean> {
  const stored = await storedDeliveries();
  const ok = [...sent].filter((i) => stored.has(i));
  const perCustomer = new Map<number, number>();
  for (const i of ok) perCustomer.set(customerOf(i), (perCustomer.get(customerOf(i)) ?? 0) + 1);
  let expected = 0;
  const expectedBy = new Map<string, number>();
  for (const [c, n] of perCustomer) {
    let points = 0;
    for (let k = 0; k < n; k++) points += orderPoints(k);
    expected += points;
    expectedBy.set(`gid://shopify/Customer/${customerId(c)}`, points);
  }
  const q = async (sql: string) => (await admin.query(sql, [SHOP])).rows;
  const [orders] = await q(`SELECT count(*)::int AS n FROM "${schema}"."OrderRecord" WHERE shop = $1`);
  const [earns] = await q(
    `SELECT count(*)::int AS n, COALESCE(sum(points), 0)::bigint AS points FROM "${schema}"."LedgerEntry" WHERE shop = $1 AND kind = 'EARN'`,
  );
  const [deliveries] = await q(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE outcome = 'processed')::int AS processed FROM "${schema}"."WebhookDelivery" WHERE shop = $1`,
  );
  const members = await q(
    `SELECT m."customerGid" AS gid, m.balance, COALESCE(sum(l.points), 0)::int AS ledger
       FROM "${schema}"."Member" m LEFT JOIN "${schema}"."LedgerEntry" l ON l."memberId" = m.id
      WHERE m.shop = $1 GROUP BY m.id`,
  );
  let wrong = 0;
  let total = 0;
  for (const m of members) {
    total += Number(m.balance);
    if (Number(m.balance) !== Number(m.ledger) || Number(m.balance) !== (expectedBy.get(m.gid) ?? 0)) wrong++;
  }
  const [size] = (
    await admin.query(
      `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ($1, $2) AND c.relkind IN ('r', 'm')`,
      [schema, `${schema}_pgboss`],
    )
  ).rows;
  console.log(
    `storage: ${(Number(size.bytes) / 1e6).toFixed(1)} MB for ${orders.n} orders (app and job tables with indexes, ` +
      `${(Number(size.bytes) / Math.max(1, orders.n) / 1024).toFixed(1)} KB per order)`,
  );
  const unacked = sent.size - ok.length;
  console.log(
    `ledger check: ${sent.size} deliveries sent, ${ok.length} acknowledged (${unacked} never), ${orders.n} order records, ` +
      `${earns.n} awards, ${deliveries.processed}/${deliveries.n} deliveries processed; ` +
      `points ${total} credited, ${expected} expected by hand; ${wrong} of ${members.length} members off`,
  );
  return (
    unacked === 0 && orders.n === ok.length && earns.n === ok.length && total === expected && wrong === 0
  );
}

/**
 * bench/minimal-receiver.mjs on a copy of the inbox table, flat out with
 * deliveries of the same kind (new ids) and the same connections as the
 * app's "max" step. Returns its rate.
 */
async function minimalReceiverRate(): Promise<number> {
  const table = `"${schema}".minimal_inbox`;
  await admin.query(`CREATE TABLE ${table} (LIKE "${schema}"."WebhookDelivery" INCLUDING ALL)`);
  const port = await freePort();
  const child = spawn(process.execPath, [path.resolve("bench/minimal-receiver.mjs")], {
    env: {
      ...process.env,
      DATABASE_URL: base,
      TABLE: table,
      SECRET: DEMO_APP.apiSecret,
      PORT: String(port),
      POOL: String(POOL),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (c: Buffer) => c.toString().includes("listening") && resolve());
      child.once("exit", (code) => reject(new Error(`the minimal receiver exited (${code})`)));
    });
    const origin = `http://127.0.0.1:${port}`;
    const first = next;
    next += 40;
    for (let w = 0; w < 40; w++) {
      const { body, headers } = delivery(first + w);
      await (await fetch(`${origin}/webhooks/orders/paid`, { method: "POST", body, headers })).arrayBuffer();
    }
    const count = 1500 * SECONDS;
    const start = next;
    next += count;
    const requests: PreparedRequest[] = Array.from({ length: count }, (_, k) => ({
      method: "POST",
      path: "/webhooks/orders/paid",
      ...delivery(start + k),
    }));
    const step = await runWrk({ origin, requests, seconds: SECONDS, connections: CONNECTIONS });
    return report("minimal receiver   ", { label: "max", ...step });
  } finally {
    await stopChild(child);
    await admin.query(`DROP TABLE IF EXISTS ${table}`);
  }
}

// ---------------------------------------------------------------------------
const pgbenchTps = await pgbenchInsertRate();
console.log(
  `pgbench: ${pgbenchTps.toFixed(0)} single-row inserts/s (${POOL} clients, ${SECONDS} s, autocommit) (load ${load()})`,
);

const port = await freePort();
const server = await startServer(port);
let ledgerOk = false;
try {
  // The shop is installed (its deliveries are applied, not held) and has its offline session (the proxy loads it).
  await admin.query(
    `INSERT INTO "${schema}"."Shop" (domain, "installedAt", "updatedAt") VALUES ($1, now(), now())`,
    [SHOP],
  );
  await admin.query(
    `INSERT INTO "${schema}"."Session" (id, shop, state, "isOnline", scope, "accessToken", expires)
     VALUES ($1, $2, 'bench', false, 'read_customers,read_orders,write_customers,write_discounts', 'shpat_bench', now() + interval '1 day')`,
    [`offline_${SHOP}`, SHOP],
  );
  // Warm-up: the first delivery creates the shop's program; plans get cached.
  for (let w = 0; w < 40; w++) {
    const i = next++;
    const { body, headers } = delivery(i);
    const res = await fetch(`${server.origin}/webhooks/orders/paid`, { method: "POST", body, headers });
    sent.add(i);
    if (!res.ok) throw new Error(`warm-up delivery answered ${res.status}:\n${server.output()}`);
  }
  const sampleBody = delivery(0).body;
  const inboxTps = await pgbenchInboxRowRate(sampleBody);
  console.log(
    `pgbench: ${inboxTps.toFixed(0)} inbox-row inserts/s (a delivery's ${(Buffer.byteLength(sampleBody) / 1024).toFixed(1)} KB body into a copy of the inbox table) (load ${load()})`,
  );
  const healthRate = report("GET /healthz        ", await healthStep(server.origin));
  const steps: { label: string; rate: number; p99: number; late: number }[] = [];
  for (const label of RATES) {
    const step = await webhookStep(server.origin, label);
    steps.push({ label, rate: report("webhook orders/paid", step), p99: step.p99, late: step.late });
    await new Promise((r) => setTimeout(r, 2000)); // requests in flight finish between steps
  }
  await new Promise((r) => setTimeout(r, 5000)); // requests the last step left in flight finish
  const resent = await redeliverUnacknowledged(server.origin);
  if (resent)
    console.log(`redelivered ${resent} deliveries that got no 2xx in their step (as Shopify retries)`);
  if (WORKERS > 0) {
    await applyBacklog(port);
    ledgerOk = await verifyLedger();
  }

  const best = Math.max(...steps.map((s) => s.rate));
  const at500 = steps.find((s) => s.label === "500");
  console.log(
    `app/pgbench: ${best.toFixed(0)} / ${pgbenchTps.toFixed(0)} = ${(best / pgbenchTps).toFixed(3)} (goal >= 0.5: ${
      best / pgbenchTps >= 0.5 ? "met" : "not met"
    })`,
  );
  console.log(
    `app/pgbench with the inbox's own row: ${best.toFixed(0)} / ${inboxTps.toFixed(0)} = ${(best / inboxTps).toFixed(3)}`,
  );
  console.log(
    `app/healthz: ${best.toFixed(0)} / ${healthRate.toFixed(0)} = ${(best / healthRate).toFixed(2)} ` +
      `(a delivery's answer against an empty route's on the same server)`,
  );
  if (at500) {
    console.log(
      `p99 at 500 deliveries/s: ${fmt(at500.p99)} ms (goal <= 25 ms: ${at500.p99 <= 25 && at500.rate >= 490 && at500.late === 0 ? "met" : "not met"})`,
    );
  }

  const minimal = await minimalReceiverRate();
  console.log(
    `app/minimal receiver: ${best.toFixed(0)} / ${minimal.toFixed(0)} = ${(best / minimal).toFixed(2)} (goal >= 0.8: ${
      best / minimal >= 0.8 ? "met" : "not met"
    })`,
  );

  const customers = [...new Set([...sent].map(customerOf))];
  await new Promise((r) => setTimeout(r, 2000));
  const proxy = await proxyStep(server.origin, customers);
  report("proxy /status", proxy);
  console.log(
    `proxy p99 at ${PROXY_RATE}/s: ${fmt(proxy.p99)} ms (goal <= 15 ms: ${
      proxy.p99 <= 15 &&
      proxy.ok / proxy.duration >= PROXY_RATE * 0.98 &&
      proxy.late === 0 &&
      proxy.unexpected === 0
        ? "met"
        : "not met"
    })`,
  );
  console.log(
    WORKERS > 0
      ? `ledger equals what was sent: ${ledgerOk ? "yes" : "NO"}`
      : "ledger not checked (BENCH_WORKERS=0: the backlog is not applied)",
  );
  console.log(`load average at end: ${load()}`);
} finally {
  await server.stop();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
  await admin.end();
}
process.exit(ledgerOk || WORKERS === 0 ? 0 : 1);
