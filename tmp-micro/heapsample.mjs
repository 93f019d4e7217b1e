import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
const s = new Session(); s.connect();
s.post("HeapProfiler.enable");
setTimeout(() => s.post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false }, (e) => process.stderr.write(`HEAPSAMPLE START ${e ? e.message : "ok"} ${new Date().toISOString()}\n`)), Number(process.env.PROFILE_AFTER_MS ?? 20000)).unref();
let done = false;
function dump() {
  if (done) return; done = true;
  s.post("HeapProfiler.getSamplingProfile", (err, r) => {
    writeFileSync(`/tmp/heap-${process.pid}.json`, JSON.stringify(r.profile));
    process.stderr.write(`HEAPSAMPLE WRITTEN ${err ? err.message : ""}\n`);
  });
}
process.on("SIGTERM", dump);
process.on("exit", dump);
