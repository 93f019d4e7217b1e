import { PerformanceObserver } from "node:perf_hooks";
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  const lag = now - last - 5;
  if (lag > 15) process.stderr.write(`STALL ${new Date().toISOString()} ${lag.toFixed(1)}ms\n`);
  last = now;
}, 5).unref();
const kinds = {1:"minor",2:"major",4:"incremental",8:"weakcb"};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.duration > 5 || e.detail?.kind === 2)
    process.stderr.write(`GC ${new Date(performance.timeOrigin + e.startTime).toISOString()} ${kinds[e.detail?.kind] ?? e.detail?.kind} ${e.duration.toFixed(1)}ms\n`);
}).observe({ entryTypes: ["gc"] });
