import { readFileSync } from "node:fs";
import { parseLosslessJson as next } from "../app/shopify/lossless-json";
import { parseLosslessJson as old } from "./lossless-old";
const text = readFileSync("tests/fixtures/shopify/orders-paid.json", "utf8");
console.log("bytes", text.length);
for (const [name, f] of [["old", old], ["new", next], ["JSON.parse", JSON.parse], ["old", old], ["new", next]] as const) {
  const N = 5000; const t = performance.now();
  for (let i = 0; i < N; i++) f(text);
  console.log(name, ((performance.now() - t) / N * 1000).toFixed(1), "us");
}
console.log(JSON.stringify(next(text)) === JSON.stringify(old(text)));
const compact = text.replace(/\n\s*/g, "").replace(/": /g, '":');
console.log("compact bytes", compact.length, JSON.stringify(next(compact)) === JSON.stringify(old(compact)));
for (const [name, f] of [["old", old], ["new", next], ["JSON.parse", JSON.parse], ["old", old], ["new", next]] as const) {
  const N = 5000; const t = performance.now();
  for (let i = 0; i < N; i++) f(compact);
  console.log(name, ((performance.now() - t) / N * 1000).toFixed(1), "us");
}
