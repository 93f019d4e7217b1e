#!/usr/bin/env node
/**
 * `npm start`: Regulars' production server (scripts/http-server.mjs) on the
 * build. Usage: node scripts/serve.mjs [build/server/index.js].
 *
 * WEB_CONCURRENCY=N (default 1) runs N server processes on one port
 * (node:cluster), so one instance uses N cores. Each process accepts its
 * own connections from the shared socket (SCHED_NONE): with node's default
 * round robin the primary accepts and hands each connection over, and one
 * handed to a process as it dies is never answered (the client waits for
 * its timeout); this way a connection the dying process has not accepted
 * is accepted by another. They share nothing but the database, as separate
 * instances behind a load balancer do, so N > 1 needs DATABASE_URL (the
 * embedded database belongs to one process). A process that dies after it
 * started serving is replaced; one that dies before (a bad environment)
 * stops them all with its exit code. SIGTERM or Ctrl-C stops every process.
 */
import cluster from "node:cluster";
import path from "node:path";

process.env.REGULARS_BUILD = path.resolve(process.argv[2] ?? "build/server/index.js");
const raw = process.env.WEB_CONCURRENCY || "1";
const processes = Number(raw);
if (!Number.isInteger(processes) || processes < 1 || processes > 64) {
  console.error(
    `Regulars cannot start:\n  - WEB_CONCURRENCY must be a whole number from 1 to 64 (got "${raw}")`,
  );
  process.exit(1);
}
if (processes > 1 && !process.env.DATABASE_URL) {
  console.error(
    "Regulars cannot start:\n  - WEB_CONCURRENCY > 1 needs DATABASE_URL (PostgreSQL): the embedded database belongs to one process",
  );
  process.exit(1);
}

if (processes === 1 || !cluster.isPrimary) {
  await import("./http-server.mjs");
} else {
  // Node's own NODE_CLUSTER_SCHED_POLICY=rr still chooses the round robin.
  if (!process.env.NODE_CLUSTER_SCHED_POLICY) cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping = false;
  const serving = new WeakSet();
  const start = () => {
    const worker = cluster.fork();
    worker.once("listening", () => serving.add(worker));
  };
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit();
      return;
    }
    if (!serving.has(worker)) {
      console.error(`A server process exited (${signal ?? code}) before it served: stopping.`);
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.kill("SIGTERM");
      process.exitCode = code || 1;
      return;
    }
    console.error(`Server process ${worker.process.pid} exited (${signal ?? code}): starting another.`);
    start();
  });
  for (let i = 0; i < processes; i++) start();
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
    });
  }
}
