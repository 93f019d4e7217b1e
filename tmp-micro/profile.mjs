import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
const s = new Session(); s.connect();
const after = Number(process.env.PROFILE_AFTER_MS ?? 0);
s.post("Profiler.enable");
s.post("Profiler.setSamplingInterval", { interval: 500 });
setTimeout(() => s.post("Profiler.start", () => process.stderr.write(`PROFILE START ${new Date().toISOString()} ${performance.now()}\n`)), after).unref();
let done = false;
function dump() {
  if (done) return; done = true;
  s.post("Profiler.stop", (err, { profile }) => {
    writeFileSync(`/tmp/prof-${process.pid}.cpuprofile`, JSON.stringify(profile));
    process.stderr.write(`PROFILE WRITTEN /tmp/prof-${process.pid}.cpuprofile\n`);
  });
}
process.on("SIGTERM", () => { dump(); });
process.on("exit", dump);
