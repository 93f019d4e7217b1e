#!/usr/bin/env node
/**
 * `npm run worker`: a process that only runs jobs (no HTTP server), for
 * deployments on PostgreSQL that scale workers apart from web processes
 * (run the web processes with JOB_WORKER=off). Loads the production build,
 * whose server entry (app/entry.server.tsx) calls startJobWorkers(); SIGTERM or Ctrl-C
 * stops the worker after its running jobs, then closes the database.
 * The embedded database (no DATABASE_URL) belongs to one process: there the
 * app process runs its own worker and this command refuses to start.
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const build = path.resolve("build/server/index.js");
if (!existsSync(build)) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}
if (!process.env.DATABASE_URL) {
  console.error(
    "npm run worker needs DATABASE_URL (PostgreSQL). With the embedded database the app process runs the jobs itself.",
  );
  process.exit(1);
}
process.env.JOB_WORKER = "on";
await import(pathToFileURL(build).href);
console.log("Regulars worker running (Ctrl-C to stop).");
