import { readFileSync } from "node:fs";
const [file, ...names] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map(), self = new Map(); let busy = 0;
for (let i = 0; i < p.samples.length; i++) {
  const d = (p.timeDeltas[i + 1] ?? 0) / 1000;
  const leaf = byId.get(p.samples[i]);
  if (leaf.callFrame.functionName !== "(idle)") busy += d;
  const lk = `${leaf.callFrame.functionName || "(anon)"} ${leaf.callFrame.url.split("/").slice(-2).join("/")}:${leaf.callFrame.lineNumber}`;
  self.set(lk, (self.get(lk) ?? 0) + d);
  const seen = new Set();
  for (let id = leaf.id; id; id = parent.get(id)) {
    const f = byId.get(id).callFrame; const k = `${f.functionName || "(anon)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber}`;
    if (seen.has(k)) continue; seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + d);
  }
}
console.log("busy ms", busy.toFixed(0));
const rows = [...incl].filter(([k]) => names.some((n) => k.startsWith(n + " "))).sort((a, b) => b[1] - a[1]);
console.log(rows.map(([k, v]) => `${v.toFixed(0).padStart(6)} ms ${k}`).join("\n"));
console.log("--- self");
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${v.toFixed(0).padStart(6)} ms ${k}`).join("\n"));
