import { readFileSync } from "node:fs";
const [file, startIso, perfAtStart, fromIso, toIso] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, "utf8"));
// map profile time (us, monotonic) to wall: profile.startTime corresponds approx to PROFILE START
const wall0 = Date.parse(startIso);
const from = Date.parse(fromIso), to = Date.parse(toIso);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let t = p.startTime; const self = new Map(); const stacks = new Map(); let gaps = [];
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i];
  const wall = wall0 + (t - p.startTime) / 1000;
  if (wall < from || wall > to) continue;
  const d = p.timeDeltas[i + 1] ?? 0;
  if (d > 5000) gaps.push([new Date(wall).toISOString(), d / 1000]);
  const n = byId.get(p.samples[i]);
  const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").slice(-2).join("/")}:${n.callFrame.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + d / 1000);
  // stack
  let s = []; let id = n.id; while (id && s.length < 12) { const m = byId.get(id); s.push(m.callFrame.functionName || "(anon)"); id = parent.get(id); }
  const sk = s.slice(0, 8).join(" < ");
  stacks.set(sk, (stacks.get(sk) ?? 0) + d / 1000);
}
console.log("gaps>5ms", gaps.slice(0, 20));
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(1).padStart(7)} ms ${k}`).join("\n"));
console.log("--- stacks");
console.log([...stacks].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${v.toFixed(1).padStart(7)} ms ${k}`).join("\n"));
