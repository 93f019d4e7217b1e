/**
 * `npm start`'s server (scripts/serve.mjs) on the production build:
 *   - static files: hashed assets cached for a year, gzipped when asked;
 *   - Remix answers: a short one sent as it is, a long text one gzipped;
 *   - SIGTERM: a request in flight finishes before the database closes;
 *   - WEB_CONCURRENCY=2 on PostgreSQL: two processes on one port, a killed
 *     one replaced (no connection left unanswered meanwhile: each fails at
 *     once or is answered by the other process), SIGTERM stops them all.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_SESSION_ENCRYPTION_KEY, freePort } from "../../devshop/launch";
import { dropIsolatedSchema, isolatedSchemaUrl } from "../support/isolated-database";

const running: ChildProcess[] = [];
afterAll(() => running.forEach((child) => child.exitCode === null && child.kill("SIGKILL")));

async function serve(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/serve.mjs", "build/server/index.js"], {
    env: {
      ...process.env,
      SHOPIFY_API_KEY: "e2e-key",
      SHOPIFY_API_SECRET: "e2e-secret",
      SHOPIFY_APP_URL: `http://localhost:${port}`,
      SCOPES: "read_orders",
      PORT: String(port),
      JOB_WORKER: "off",
      SESSION_ENCRYPTION_KEY: DEMO_SESSION_ENCRYPTION_KEY,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;
  const listening = () => (output.match(/\[regulars\] http/g) ?? []).length;
  const want = Number(env.WEB_CONCURRENCY ?? 1);
  await expect.poll(listening, { timeout: 60_000, interval: 200 }).toBe(want);
  return { origin, child, output: () => output, listening };
}

/** GET on a connection of its own: its status, the error's code, or "no answer" after `timeoutMs`. */
const freshGet = (url: string, timeoutMs: number) =>
  new Promise<string>((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve(String(res.statusCode)));
      res.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    req.on("timeout", () => {
      req.destroy();
      resolve("no answer");
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });

describe("npm start's server", () => {
  it("serves the build's assets from memory and gzips long text answers only", async () => {
    const app = await serve({ DATA_DIR: "memory://" });
    const asset = readdirSync("build/client/assets").find((name) => name.endsWith(".js"))!;
    const plain = await fetch(`${app.origin}/assets/${asset}`, {
      headers: { "accept-encoding": "identity" },
    });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(plain.headers.get("content-type")).toMatch(/^text\/javascript/);
    const source = Buffer.from(await plain.arrayBuffer());
    const zipped = await fetch(`${app.origin}/assets/${asset}`, { headers: { "accept-encoding": "gzip" } });
    if (source.length >= 1024) {
      expect(zipped.headers.get("content-encoding")).toBe("gzip");
    }
    // fetch decodes gzip itself: the bytes are the file's either way.
    expect(Buffer.from(await zipped.arrayBuffer()).equals(source)).toBe(true);

    // A short JSON answer goes out as it is; a 404 page for a missing asset is Remix's.
    const health = await fetch(`${app.origin}/healthz`, { headers: { "accept-encoding": "gzip" } });
    expect(health.headers.get("content-encoding")).toBeNull();
    expect(await health.json()).toEqual({ ok: true, database: "pglite" });
    const missing = await fetch(`${app.origin}/assets/nothing-here.js`);
    expect(missing.status).toBe(404);

    // A long text answer (the login page) is gzipped for a client that asks, and reads back whole.
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      import("node:http").then(({ get }) =>
        get(`${app.origin}/auth/login`, { headers: { "accept-encoding": "gzip" } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }),
          );
        }).on("error", reject),
      );
    });
    expect(raw.encoding).toBe("gzip");
    expect(gunzipSync(raw.body).toString()).toMatch(/<html/i);
    app.child.kill("SIGTERM");
  });

  it("on SIGTERM, finishes a request in flight before its database closes", async () => {
    const app = await serve({ DATA_DIR: "memory://" });
    const body = readFileSync("tests/fixtures/shopify/orders-paid.json");
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(`${app.origin}/webhooks/orders/paid`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": String(body.length),
          "x-shopify-topic": "orders/paid",
          "x-shopify-hmac-sha256": createHmac("sha256", "e2e-secret").update(body).digest("base64"),
          "x-shopify-shop-domain": "drain.myshopify.com",
          "x-shopify-api-version": "2026-10",
          "x-shopify-webhook-id": "drain-1",
          "x-shopify-event-id": "drain-event-1",
          "x-shopify-triggered-at": new Date().toISOString(),
        },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      // Half the body, the stop signal, then the rest: the request is in flight when it stops.
      req.write(body.subarray(0, body.length >> 1));
      setTimeout(() => app.child.kill("SIGTERM"), 300);
      setTimeout(() => req.end(body.subarray(body.length >> 1)), 1_000);
    });
    const exited = new Promise<number | null>((resolve) => app.child.once("exit", resolve));
    expect(await answer).toBe(200);
    // It exits once that request is answered, not at the 10 s drain limit.
    const answeredAt = Date.now();
    await exited;
    expect(Date.now() - answeredAt).toBeLessThan(5_000);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "runs WEB_CONCURRENCY processes, replaces one that dies, and stops them all on SIGTERM",
    async () => {
      const databaseUrl = isolatedSchemaUrl(process.env.TEST_DATABASE_URL!);
      try {
        const app = await serve({ WEB_CONCURRENCY: "2", DATABASE_URL: databaseUrl });
        const pids = [...app.output().matchAll(/\(process (\d+)\)/g)].map((m) => Number(m[1]));
        expect(new Set(pids).size).toBe(2);
        // New connections keep coming while one process is killed: none may be left unanswered.
        const outcomes: Promise<string>[] = [];
        for (let i = 0; i < 200; i++) {
          if (i === 20) process.kill(pids[0]!, "SIGKILL");
          outcomes.push(freshGet(`${app.origin}/healthz`, 10_000));
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        const counts: Record<string, number> = {};
        for (const outcome of await Promise.all(outcomes)) counts[outcome] = (counts[outcome] ?? 0) + 1;
        expect(counts["no answer"]).toBeUndefined();
        // Only what the killed process had already accepted fails, at once.
        expect(counts["200"]).toBeGreaterThanOrEqual(190);
        await expect.poll(app.listening, { timeout: 60_000, interval: 200 }).toBe(3);
        for (let i = 0; i < 20; i++) {
          const res = await fetch(`${app.origin}/healthz`, { signal: AbortSignal.timeout(5_000) });
          expect(res.status).toBe(200);
        }
        expect(app.output()).toMatch(/exited \(SIGKILL\): starting another/);
        const exited = new Promise<number | null>((resolve) => app.child.once("exit", resolve));
        app.child.kill("SIGTERM");
        expect(await exited).toBe(0);
        const alive = [...app.output().matchAll(/\(process (\d+)\)/g)]
          .map((m) => Number(m[1]))
          .filter((pid) => {
            try {
              process.kill(pid, 0);
              return true;
            } catch {
              return false;
            }
          });
        expect(alive).toEqual([]);
      } finally {
        await dropIsolatedSchema(databaseUrl);
      }
    },
  );
});
