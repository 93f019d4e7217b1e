/**
 * `npm run bench:backfill`: a backfill of BENCH_ORDERS past orders (default
 * 1,000,000) from a bulk operation's JSONL file. The file (each order with 2
 * to 4 line items, some gift cards, refunds and cancellations; 1 customer per
 * 10 orders) is generated in a temp directory and served on loopback with
 * Range support; the Admin API stand-in runs the bulk operation
 * (CREATED -> RUNNING -> COMPLETED). The backfill runs as its job does
 * (runBackfillStep, slice after slice) against the embedded PGlite in a temp
 * directory, and against PostgreSQL when BENCH_DATABASE_URL is set (a
 * scratch schema, dropped afterwards). Prints elapsed seconds, orders/s, RSS
 * sampled every 200 ms (peak, and at 10/50/90% of the file), and the CPU
 * seconds of the app process and of its PostgreSQL backends (on a shared
 * machine, the CPU figures say more than the elapsed time).
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import { orderLines, serveJsonl } from "../tests/support/bulk-jsonl";
import { adminStandIn, allOrdersScopes } from "../tests/support/admin-stand-in";
import { DEMO_SESSION_ENCRYPTION_KEY } from "../devshop/launch";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);

const target = process.argv[2] ?? "pglite";
const schema = `bench_${randomBytes(4).toString("hex")}`;
const work = mkdtempSync(path.join(tmpdir(), "regulars-backfill-"));

Object.assign(process.env, {
  // The shops' tokens are encrypted at rest; a bench uses the demo's key (devshop/launch.ts).
  SESSION_ENCRYPTION_KEY: DEMO_SESSION_ENCRYPTION_KEY,
  SHOPIFY_API_KEY: API_KEY,
  SHOPIFY_API_SECRET: API_SECRET_KEY,
  SHOPIFY_APP_URL: APP_URL,
  SCOPES: "read_orders,read_all_orders",
  LOG_LEVEL: "error",
  DATA_DIR: path.join(work, "pglite"),
  JOB_WORKER: "off",
});
if (target === "postgres") {
  const base = process.env.BENCH_DATABASE_URL;
  if (!base) throw new Error("BENCH_DATABASE_URL is required for the postgres target");
  const url = new URL(base);
  url.searchParams.set("schema", schema);
  // Names the run's connections, to read their CPU time when PostgreSQL runs on this machine.
  url.searchParams.set("application_name", schema);
  process.env.DATABASE_URL = url.toString();
} else {
  delete process.env.DATABASE_URL;
}

/** Writes the JSONL file the way Shopify would: grouped, one order then its line items. */
async function writeFile(file: string): Promise<number> {
  const out = createWriteStream(file);
  const start = Date.UTC(2024, 0, 1);
  let bytes = 0;
  for (let i = 0; i < ORDERS; i++) {
    const cents = 1500 + ((i * 7919) % 30000);
    const lines = orderLines({
      id: 5_000_000_000_000 + i,
      customer: i % 50 === 49 ? null : 7_000_000_000_000 + (i % Math.max(1, Math.floor(ORDERS / 10))),
      subtotal: (cents / 100).toFixed(2),
      tax: ((cents * 0.2) / 100).toFixed(2),
      shipping: i % 3 === 0 ? "4.95" : "0.00",
      giftCard: i % 40 === 0 ? "10.00" : undefined,
      items: 2 + (i % 3),
      processedAt: new Date(start + Math.floor((i / ORDERS) * 700 * 86_400_000)),
      cancelled: i % 97 === 0,
      status: i % 23 === 0 ? "PARTIALLY_REFUNDED" : "PAID",
      refunds: i % 23 === 0 ? [9_000_000_000_000 + i] : [],
      discountCodes: i % 5 === 0 ? ["SPRING10"] : [],
    });
    const chunk = lines.join("\n") + "\n";
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return bytes;
}

const file = path.join(work, "orders.jsonl");
let t0 = performance.now();
const bytes = await writeFile(file);
console.log(
  `generated ${ORDERS} orders (${(bytes / 1e6).toFixed(0)} MB JSONL) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const { database, prisma } = await import("../app/db.server");
const { ensureProgram } = await import("../app/db/program.server");
const { findBackfill } = await import("../app/db/backfill-runs.server");
const { startBackfill, runBackfillStep, DEFAULT_BATCH } =
  await import("../app/services/orders/backfill.server");
/** Orders per transaction: the job's own default unless BENCH_BATCH says. */
const BATCH = Number(process.env.BENCH_BATCH ?? DEFAULT_BATCH);

const files = await serveJsonl();
files.put("orders.jsonl", { file });
// Three years of orders: the merchant granted access to all orders.
const shopify = adminStandIn({
  grantedScopes: allOrdersScopes(),
  bulk: { pollsUntilDone: 2, resultUrl: () => files.url("orders.jsonl"), rootObjectCount: ORDERS },
});
const shop = "bench-backfill.myshopify.com";
await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
await ensureProgram(prisma, shop);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
let peak = process.memoryUsage().rss;
const marks = new Map<number, number>();
let progress = 0;
let readSeconds = null as number | null;
const sample = () => {
  const rss = process.memoryUsage().rss;
  peak = Math.max(peak, rss);
  for (const mark of [10, 50, 90]) if (progress >= mark && !marks.has(mark)) marks.set(mark, rss);
};
// Also after each batch: PGlite runs in this thread, and the timer may not fire while it works.
const sampler = setInterval(sample, 200);
const startRss = process.memoryUsage().rss;

t0 = performance.now();
const cpu0 = process.cpuUsage();
const run = await startBackfill(prisma, shop, {
  from: new Date("2023-01-01T00:00:00Z"),
  to: new Date(),
  now: new Date(),
});
for (;;) {
  const step = await runBackfillStep(
    {
      db: prisma,
      admin: shopify.admin,
      now: () => new Date(),
      batchSize: BATCH,
      sliceMs: 60_000,
      // Progress over both passes: reading (staging) the file, then crediting it.
      onBatch: ({ ordersRead, ordersDone }) => {
        progress = ((ordersRead + ordersDone) / (2 * ORDERS)) * 100;
        if (ordersRead === ORDERS && readSeconds === null) readSeconds = (performance.now() - t0) / 1000;
        sample();
      },
    },
    shop,
    run.id,
  );
  if (step.next === "done") break;
}
const elapsed = (performance.now() - t0) / 1000;
const appCpu = process.cpuUsage(cpu0);
clearInterval(sampler);
const done = (await findBackfill(prisma, shop, run.id))!;
if (done.status !== "COMPLETED") throw new Error(`backfill ended ${done.status}: ${done.error}`);
const balance = await prisma.member.aggregate({ where: { shop }, _sum: { balance: true, pending: true } });
console.log(
  `backfill on ${database.kind}: ${done.ordersDone} orders (${done.ordersCredited} credited, ${done.pointsAwarded} points; ` +
    `balances ${(balance._sum.balance ?? 0) + (balance._sum.pending ?? 0)}) in ${elapsed.toFixed(1)} s, ` +
    `${(done.ordersDone / elapsed).toFixed(0)} orders/s, batches of ${BATCH}; ` +
    `the file read and staged in ${readSeconds?.toFixed(1) ?? "?"} s, credited in ${(elapsed - (readSeconds ?? 0)).toFixed(1)} s`,
);
console.log(
  `RSS: start ${mb(startRss)}, at 10% ${mb(marks.get(10) ?? 0)}, 50% ${mb(marks.get(50) ?? 0)}, ` +
    `90% ${mb(marks.get(90) ?? 0)}, peak ${mb(peak)} (sampled every 200 ms and after each batch)`,
);

console.log(
  `CPU: app ${((appCpu.user + appCpu.system) / 1e6).toFixed(1)} s` +
    (target === "postgres" ? `, PostgreSQL ${await databaseCpuSeconds()} s (its backends for this run)` : ""),
);

/** CPU seconds of this run's PostgreSQL backends, when PostgreSQL runs on this machine (Linux). */
async function databaseCpuSeconds(): Promise<string> {
  const { rows } = await database.sql.executeSql(
    `SELECT pid FROM pg_stat_activity WHERE application_name = $1`,
    [schema],
  );
  let ticks = 0;
  try {
    for (const { pid } of rows) {
      const stat = readFileSync(`/proc/${String(pid)}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime + stime
    }
  } catch {
    return "?";
  }
  return (ticks / 100).toFixed(1);
}

await files.close();
await database.close();
if (target === "postgres") {
  const client = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
  await client.end();
}
rmSync(work, { recursive: true, force: true });
