import { PerformanceObserver } from "node:perf_hooks";
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const lag = now - last - 5;
  if (lag > 15) process.stderr.write(`STALL ${new Date().toISOString()} ${lag.toFixed(1)}ms\n`);
  last = now;
}, 5).unref();
const kinds = {1:"minor",4:"major",8:"incremental",16:"weakcb"};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.duration > 5 || e.detail?.kind === 4)
    process.stderr.write(`GC ${new Date(performance.timeOrigin + e.startTime).toISOString()} ${kinds[e.detail?.kind] ?? e.detail?.kind} ${e.duration.toFixed(1)}ms\n`);
}).observe({ entryTypes: ["gc"] });
import v8 from "node:v8";
setInterval(() => {
  const s = v8.getHeapSpaceStatistics().map((x) => `${x.space_name.replace("_space","")}=${(x.space_used_size/1e6).toFixed(1)}`).join(" ");
  process.stderr.write(`HEAP ${new Date().toISOString()} ${s}\n`);
}, 2000).unref();
