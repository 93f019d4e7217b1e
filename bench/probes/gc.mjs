/**
 * A probe for the server under bench:load (decision 0012): load it with
 *
 *   BENCH_SERVER_LOG=/tmp/server.log BENCH_NODE_OPTIONS="--import ./bench/probes/gc.mjs" npm run bench:load
 *
 * and the server's log gets, with wall-clock times:
 *   - STALL <time> <ms>: the event loop was blocked (or the process not scheduled) that long
 *     beyond a 5 ms timer, when over 15 ms;
 *   - GC <time> <kind> <ms>: each full (major) collection, and any other over 5 ms;
 *   - HEAP <time> <space>=<MB> ...: V8's heap spaces every 2 s (old= growing between full
 *     collections is garbage promoted out of the young generation).
 */
import { PerformanceObserver, constants } from "node:perf_hooks";
import { setInterval } from "node:timers";
import v8 from "node:v8";

const log = (line) => process.stderr.write(`${line}\n`);
const TICK_MS = 5;

let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const lag = now - last - TICK_MS;
  if (lag > 15) log(`STALL ${new Date().toISOString()} ${lag.toFixed(1)}ms`);
  last = now;
}, TICK_MS).unref();

const KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = entry.detail?.kind;
    if (entry.duration > 5 || kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      const at = new Date(performance.timeOrigin + entry.startTime).toISOString();
      log(`GC ${at} ${KINDS[kind] ?? kind} ${entry.duration.toFixed(1)}ms`);
    }
  }
}).observe({ entryTypes: ["gc"] });

setInterval(() => {
  const spaces = v8
    .getHeapSpaceStatistics()
    .map((s) => `${s.space_name.replace(/_space$/, "")}=${(s.space_used_size / 1e6).toFixed(1)}`);
  log(`HEAP ${new Date().toISOString()} ${spaces.join(" ")}`);
}, 2000).unref();
