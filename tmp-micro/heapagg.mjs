import { readFileSync } from "node:fs";
const p = JSON.parse(readFileSync(process.argv[2], "utf8"));
const depth = Number(process.argv[3] ?? 6);
const bySite = new Map(); const byLeaf = new Map(); let total = 0;
function walk(n, stack) {
  const f = n.callFrame; const name = `${f.functionName || "(anon)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber}`;
  const st = [name, ...stack];
  if (n.selfSize) {
    total += n.selfSize;
    const key = st.slice(0, depth).join(" < ");
    bySite.set(key, (bySite.get(key) ?? 0) + n.selfSize);
    byLeaf.set(name, (byLeaf.get(name) ?? 0) + n.selfSize);
  }
  for (const c of n.children) walk(c, st);
}
walk(p.head, []);
console.log("total MB", (total / 1e6).toFixed(1));
console.log([...byLeaf].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1e6).toFixed(1).padStart(6)} MB ${k}`).join("\n"));
console.log("---");
console.log([...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1e6).toFixed(1).padStart(6)} MB ${k}`).join("\n"));
