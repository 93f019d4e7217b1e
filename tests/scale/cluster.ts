/**
 * A small deployment for tests/scale: Regulars web or worker processes
 * started from the sources (tests/scale/app-process.ts) on this test file's
 * PostgreSQL schema (DATABASE_URL, set by tests/setup/database.ts), the
 * network between a worker and devshop (an edge that can hold an answer
 * back), and installing a shop the way Shopify does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { withJobs } from "~/jobs.server";
import { recordInstall } from "~/services/shops/shop-lifecycle.server";
import { DEMO_SESSION_ENCRYPTION_KEY, freePort } from "../../devshop/launch";
import type { Devshop } from "../../devshop/server";
import { sessionToken } from "../../devshop/tokens";
import { storeOfflineSession } from "../support/sessions";

/** The app's credentials, as Shopify's test helpers sign with them (tests/setup/database.ts). */
export const APP = { apiKey: API_KEY, apiSecret: API_SECRET_KEY };

export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** The web process's port (0 for a worker) once it is ready. */
  port: number | null;
  /** The last 20,000 characters it wrote. */
  output: () => string;
}

/** Every process started here, for `tails` and `stopAll`. */
export const started: AppProcess[] = [];

/** Starts a web or worker process whose Admin API calls go to `shopifyOrigin`; resolves once it is ready. */
export async function startAppProcess(
  name: string,
  role: "web" | "worker",
  shopifyOrigin: string,
): Promise<AppProcess> {
  const port = await freePort(); // workers listen on nothing, but PORT must be valid
  const child = spawn(process.execPath, ["--import", "tsx", "tests/scale/app-process.ts"], {
    env: {
      ...process.env,
      ROLE: role,
      PORT: String(port),
      NODE_ENV: "production",
      SESSION_ENCRYPTION_KEY: DEMO_SESSION_ENCRYPTION_KEY,
      LOG_LEVEL: "warn",
      SHOPIFY_ADMIN_API_ORIGIN: shopifyOrigin,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const proc: AppProcess = { name, child, port: null, output: () => output };
  started.push(proc);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 90_000);
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      const ready = /^ready ?(\d*)$/m.exec(output);
      if (ready && proc.port === null) {
        proc.port = ready[1] ? Number(ready[1]) : 0;
        clearTimeout(timer);
        resolve(proc);
      }
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (proc.port === null) reject(new Error(`${name} exited (${code}):\n${output}`));
    });
  });
}

export const exited = (proc: AppProcess) =>
  proc.child.exitCode !== null || proc.child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => proc.child.once("exit", () => resolve()));

/** The end of every process's output, for a failure message. */
export const tails = () => started.map((p) => `--- ${p.name}\n${p.output().slice(-1500)}`).join("\n");

/** Polls `check` every 200 ms; fails after `ms` with what was `left` to do and the processes' output. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  ms = 40_000,
  left?: () => unknown,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const detail = left ? ` (left: ${JSON.stringify(left())})` : "";
      throw new Error(`${what}: not within ${ms} ms${detail}\n${tails()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SIGTERM to every process still running, then SIGKILL to those still up after 10 s. */
export async function stopAll(): Promise<void> {
  for (const proc of started) if (proc.child.exitCode === null) proc.child.kill("SIGTERM");
  await Promise.race([
    Promise.all(started.map(exited)),
    new Promise((resolve) => setTimeout(resolve, 10_000)),
  ]);
  for (const proc of started)
    if (proc.child.exitCode === null && !proc.child.signalCode) proc.child.kill("SIGKILL");
}

/**
 * The network between one worker and Shopify: forwards every call to
 * `target` and hands the answer to `decide`, which may hold it back for good
 * (the worker dies before it arrives; Shopify has done the work). Returns the
 * edge's origin, for the worker's SHOPIFY_ADMIN_API_ORIGIN.
 */
export async function startEdge(
  name: string,
  target: string,
  decide: (edge: string, requestBody: string) => "deliver" | "drop",
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers))
        if (typeof value === "string" && key !== "host" && key !== "connection") headers.set(key, value);
      const answer = await fetch(`${target}${req.url}`, {
        method: req.method,
        headers,
        ...(body.length ? { body } : {}),
      });
      const payload = Buffer.from(await answer.arrayBuffer());
      if (decide(name, body.toString()) === "drop") return;
      res.writeHead(answer.status, { "Content-Type": answer.headers.get("Content-Type") ?? "text/plain" });
      res.end(payload);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Install as Shopify does it: token exchange at devshop, the offline session stored, afterAuth. */
export async function installShop(devshop: Devshop, domain: string): Promise<void> {
  devshop.addShop(domain, domain.split(".")[0]!);
  const answer = await fetch(`${devshop.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      client_id: APP.apiKey,
      client_secret: APP.apiSecret,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: sessionToken(APP, domain, new Date()),
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
    }),
  });
  const token = (await answer.json()) as { access_token: string; scope: string };
  await storeOfflineSession(prisma, domain, { accessToken: token.access_token, scope: token.scope });
  // afterAuth records the install and queues its setup on Shopify; the workers run it.
  const { setupQueued } = await withJobs(() =>
    recordInstall(prisma, { shop: domain, scopes: token.scope, now: new Date() }),
  );
  expect(setupQueued).toBe(true);
}
