/**
 * Attacks on the receiving path of `npm start`'s server (the production
 * build, scripts/serve.mjs), from outside, as a client on the network:
 *   - bodies without Shopify's headers are refused before they are read;
 *   - bodies over the limit are refused at the limit (declared or counted),
 *     and slow ones at their deadline, with the connection closed;
 *   - eight clients sending oversized bodies at once leave the process's
 *     memory within a stated bound while real deliveries keep being answered;
 *   - a signed body is bound to its shop (app/uninstalled replayed under
 *     another shop's header changes nothing), a shop that never installed
 *     gets nothing applied (its deliveries are held), and a signed body the
 *     parser refuses is kept as a dead letter.
 * The limits are app/http/request-limits.ts's; docs/security.md lists them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SESSION_ENCRYPTION_KEY, freePort } from "../../devshop/launch";
import { dropIsolatedSchema, isolatedSchemaUrl } from "../support/isolated-database";
import { parseDatabaseUrl } from "../../app/db/connect.server";

const SECRET = "e2e-secret";
const MiB = 1024 * 1024;
const running: ChildProcess[] = [];
const schemas: string[] = [];
afterAll(async () => {
  for (const child of running) if (child.exitCode === null) child.kill("SIGKILL");
  for (const url of schemas) await dropIsolatedSchema(url);
});

async function serve(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/serve.mjs", "build/server/index.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "e2e-key",
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_APP_URL: `http://localhost:${port}`,
      SCOPES: "read_orders",
      PORT: String(port),
      JOB_WORKER: "off",
      LOG_LEVEL: "warn",
      SESSION_ENCRYPTION_KEY: DEMO_SESSION_ENCRYPTION_KEY,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  for (const deadline = Date.now() + 60_000; !output.includes("[regulars] http");) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`The server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { port, child, output: () => output };
}

/** The process's resident memory, from /proc. */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

const ORDER = readFileSync("tests/fixtures/shopify/orders-paid.json", "utf8");

function shopifyHeaders(topic: string, shop: string, body: string | Buffer, secret = SECRET) {
  return {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-hmac-sha256": createHmac("sha256", secret).update(body).digest("base64"),
    "x-shopify-shop-domain": shop,
    "x-shopify-api-version": "2026-10",
    "x-shopify-webhook-id": randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
  };
}

/** POSTs a whole body; resolves with the status. */
function post(port: number, path: string, headers: Record<string, string>, body: string | Buffer) {
  return new Promise<number>((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * A client that sends up to `total` bytes as fast as the server takes them
 * (chunked, or with a declared length); resolves with the answer's status
 * (or the error's code if none came) and how much it managed to send.
 */
function flood(
  port: number,
  path: string,
  headers: Record<string, string>,
  total: number,
): Promise<{ status: number | string; sent: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    let sent = 0;
    let settled = false;
    const done = (status: number | string) => {
      if (settled) return;
      settled = true;
      req.destroy();
      resolve({ status, sent, ms: Date.now() - started });
    };
    const req = request(
      { host: "127.0.0.1", port, method: "POST", path, headers },
      (res: IncomingMessage) => {
        res.resume();
        done(res.statusCode!);
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!settled && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return;
      }
      if (sent >= total) req.end();
    };
    req.on("drain", pump);
    pump();
  });
}

/**
 * A refusal while the client is still sending closes the connection under
 * it: the client reads the 413, or (its next write failing first) sees the
 * connection reset. Either way the server read no further.
 */
const REFUSED = [413, "EPIPE", "ECONNRESET"];

/** A client that asks first (Expect: 100-continue): the server's answer comes before any body is sent. */
function askFirst(port: number, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; sentBody: boolean }>((resolve, reject) => {
    let sentBody = false;
    const req = request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path,
      headers: { ...headers, expect: "100-continue" },
    });
    req.on("continue", () => {
      sentBody = true;
      req.end(Buffer.alloc(1024));
    });
    req.on("response", (res) => {
      res.resume();
      resolve({ status: res.statusCode!, sentBody });
      req.destroy();
    });
    req.on("error", reject);
    req.flushHeaders();
  });
}

describe("receiving, bounded", () => {
  let app: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    app = await serve({ DATA_DIR: "memory://" });
  }, 90_000);
  afterAll(() => app?.child.kill("SIGTERM"));

  it("refuses a body without Shopify's headers, and one over 5 MiB, before or as it passes the limit", async () => {
    const before = rssOf(app.child.pid!);

    // No HMAC, no shop: 400 before a byte of the 300 MB is wanted.
    const bare = await flood(
      app.port,
      "/webhooks/orders/paid",
      { "content-type": "application/json" },
      300 * MiB,
    );
    expect([400, "EPIPE", "ECONNRESET"]).toContain(bare.status);
    expect(bare.sent).toBeLessThan(32 * MiB);
    // A client that asks first hears the 400 before it sends a byte.
    expect(
      await askFirst(app.port, "/webhooks/orders/paid", { "content-length": String(300 * MiB) }),
    ).toEqual({
      status: 400,
      sentBody: false,
    });

    // A declared length over the limit: refused at once.
    const declared = await flood(
      app.port,
      "/webhooks/orders/paid",
      { ...shopifyHeaders("orders/paid", "big.myshopify.com", "x"), "content-length": String(300 * MiB) },
      300 * MiB,
    );
    expect(REFUSED).toContain(declared.status);
    expect(declared.sent).toBeLessThan(32 * MiB);
    // A client that asks first hears 413 before it sends a byte.
    const asked = await askFirst(app.port, "/webhooks/orders/paid", {
      ...shopifyHeaders("orders/paid", "big.myshopify.com", "x"),
      "content-length": String(300 * MiB),
    });
    expect(asked).toEqual({ status: 413, sentBody: false });

    // Chunked (no length): 413 once 5 MiB have been counted, the rest never read.
    const counted = await flood(
      app.port,
      "/webhooks/orders/paid",
      shopifyHeaders("orders/paid", "big.myshopify.com", "x"),
      300 * MiB,
    );
    expect(REFUSED).toContain(counted.status);
    expect(counted.sent).toBeLessThan(48 * MiB);

    // The app proxy's bodies are small: 16 KiB.
    const proxy = await flood(app.port, "/proxy/redeem?shop=a.myshopify.com", {}, 1 * MiB);
    expect(REFUSED).toContain(proxy.status);

    expect(rssOf(app.child.pid!) - before).toBeLessThan(100 * MiB);
    // And the server answers as before.
    expect((await fetch(`http://127.0.0.1:${app.port}/healthz`)).status).toBe(200);
  });

  it("cuts a webhook body still arriving after its 10 s deadline (408)", async () => {
    const started = Date.now();
    const status = await new Promise<number | string>((resolve) => {
      const body = ORDER;
      const req = request(
        {
          host: "127.0.0.1",
          port: app.port,
          method: "POST",
          path: "/webhooks/orders/paid",
          headers: {
            ...shopifyHeaders("orders/paid", "slow.myshopify.com", body),
            "content-length": body.length,
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      // A byte a second: Shopify sends its whole delivery at once.
      let i = 0;
      const trickle = setInterval(() => {
        if (i < body.length) req.write(body[i++]!);
      }, 1000);
      req.on("close", () => clearInterval(trickle));
    });
    expect(status).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_500);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 40_000);

  it("eight clients sending oversized bodies at once: memory stays within 150 MB while real deliveries are answered", async () => {
    // Warm up: the first deliveries compile the route.
    for (let i = 0; i < 20; i++) {
      await post(
        app.port,
        "/webhooks/orders/paid",
        shopifyHeaders("orders/paid", "warm.myshopify.com", ORDER),
        ORDER,
      );
    }
    const before = rssOf(app.child.pid!);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(app.child.pid!))), 20);
    // Eight attackers, each with a forged HMAC and 200 MB to send, again and again.
    const attackers = Array.from({ length: 8 }, async () => {
      const results: (number | string)[] = [];
      for (let round = 0; round < 3; round++) {
        const forged = { ...shopifyHeaders("orders/paid", "victim.myshopify.com", "x", "not-the-secret") };
        results.push((await flood(app.port, "/webhooks/orders/paid", forged, 200 * MiB)).status);
      }
      return results;
    });
    // Meanwhile Shopify's deliveries keep coming.
    const real: number[] = [];
    const deliveries = (async () => {
      for (let i = 0; i < 100; i++) {
        real.push(
          await post(
            app.port,
            "/webhooks/orders/paid",
            shopifyHeaders("orders/paid", "real.myshopify.com", ORDER),
            ORDER,
          ),
        );
      }
    })();
    const refused = (await Promise.all(attackers)).flat();
    await deliveries;
    clearInterval(sampler);
    expect(refused).toHaveLength(24);
    for (const status of refused) expect(REFUSED).toContain(status);
    expect(real).toEqual(Array(100).fill(200));
    console.info(`receiving under attack: peak RSS ${((peak - before) / MiB).toFixed(1)} MiB over idle`);
    expect(peak - before).toBeLessThan(150 * MiB);
  }, 120_000);

  it("a client that gives up halfway through its body costs one log line, not a stack", async () => {
    const before = app.output().length;
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const req = request({
          host: "127.0.0.1",
          port: app.port,
          method: "POST",
          path: "/webhooks/orders/paid",
          headers: {
            ...shopifyHeaders("orders/paid", "gone.myshopify.com", ORDER),
            "content-length": ORDER.length,
          },
        });
        req.on("error", () => resolve());
        req.write(ORDER.slice(0, 100));
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 100);
      });
    }
    const since = () => app.output().slice(before);
    await expect.poll(() => since().match(/went away before its body had arrived/g)?.length ?? 0).toBe(5);
    expect(since()).not.toMatch(/\n\s+at /);
  });
});

const databaseUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!databaseUrl)("receiving, bound to the shop (PostgreSQL: TEST_DATABASE_URL)", () => {
  it("keeps a signed body to its shop, holds a shop that never installed, and keeps what it cannot parse", async () => {
    const url = isolatedSchemaUrl(databaseUrl!);
    schemas.push(url);
    // With its inbox worker: a body the parser refuses is found out when it is applied.
    const app = await serve({ DATABASE_URL: url, JOB_WORKER: "on" });
    const { connectionString, schema } = parseDatabaseUrl(url);
    const db = new pg.Client({ connectionString, options: `-c search_path="${schema}"` });
    await db.connect();
    try {
      const [A, B, NEVER] = ["shop-a.myshopify.com", "shop-b.myshopify.com", "never.myshopify.com"];
      for (const shop of [A, B]) {
        await db.query(`INSERT INTO "Shop" (domain, "installedAt", "updatedAt") VALUES ($1, now(), now())`, [
          shop,
        ]);
        await db.query(
          `INSERT INTO "Session" (id, shop, state, "isOnline", "accessToken") VALUES ($1, $2, '', false, 'enc')`,
          [`offline_${shop}`, shop],
        );
      }
      // A's app/uninstalled body (signed by Shopify) replayed with B's header: refused, B keeps its session.
      const uninstall = JSON.stringify({ id: 1, name: "A", domain: "a.example", myshopify_domain: A });
      expect(
        await post(
          app.port,
          "/webhooks/app/uninstalled",
          shopifyHeaders("app/uninstalled", B, uninstall),
          uninstall,
        ),
      ).toBe(400);
      expect(
        (await db.query(`SELECT count(*)::int AS n FROM "Session" WHERE shop = $1`, [B])).rows[0].n,
      ).toBe(1);
      // A's own is applied.
      expect(
        await post(
          app.port,
          "/webhooks/app/uninstalled",
          shopifyHeaders("app/uninstalled", A, uninstall),
          uninstall,
        ),
      ).toBe(200);
      expect(
        (await db.query(`SELECT count(*)::int AS n FROM "Session" WHERE shop = $1`, [A])).rows[0].n,
      ).toBe(0);

      // An order for a shop that never installed: 200, held, no member.
      expect(
        await post(app.port, "/webhooks/orders/paid", shopifyHeaders("orders/paid", NEVER, ORDER), ORDER),
      ).toBe(200);
      const held = await db.query(`SELECT outcome FROM "WebhookDelivery" WHERE shop = $1`, [NEVER]);
      expect(held.rows).toEqual([{ outcome: "unconfirmed" }]);
      expect((await db.query(`SELECT count(*)::int AS n FROM "Member"`)).rows[0].n).toBe(0);

      // A signed body orders/paid's parser refuses: 200, then kept as a dead letter with the reason.
      const broken = JSON.stringify({ id: 1 });
      expect(
        await post(app.port, "/webhooks/orders/paid", shopifyHeaders("orders/paid", B, broken), broken),
      ).toBe(200);
      const letter = async () =>
        (await db.query(`SELECT outcome, payload, detail FROM "WebhookDelivery" WHERE shop = $1`, [B])).rows;
      await expect
        .poll(letter, { timeout: 30_000 })
        .toEqual([{ outcome: "failed", payload: broken, detail: expect.stringMatching(/payload/) }]);
      expect((await db.query(`SELECT count(*)::int AS n FROM "Member"`)).rows[0].n).toBe(0);
    } finally {
      await db.end();
      app.child.kill("SIGTERM");
    }
  }, 90_000);
});
