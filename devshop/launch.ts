/**
 * Running the app's production build against devshop: the environment that
 * points it at the simulator (origins only: its code paths stay Shopify's),
 * starting the production server (scripts/serve.mjs) as a child process, and installing it on a shop the
 * way Shopify does (the admin loads the app with a session token; the app
 * exchanges it for an offline token).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { embeddedAppUrl } from "./admin-frame";
import { BROWSER_USER_AGENT } from "./admin-session";
import type { Devshop } from "./server";

export const DEMO_APP = { apiKey: "regulars-demo-api-key", apiSecret: "regulars-demo-api-secret" };
/**
 * The demo's SESSION_ENCRYPTION_KEY (production requires one): fixed, like the demo app's secret,
 * so `npm run demo` reads the tokens it stored in an earlier run. Never use it for a real store.
 */
export const DEMO_SESSION_ENCRYPTION_KEY = createHash("sha256")
  .update("regulars demo session encryption key")
  .digest("base64");

export function appEnvironment(input: {
  devshopUrl: string;
  appUrl: string;
  port: number;
  dataDir?: string;
  databaseUrl?: string;
  scopes: string;
  /** SESSION_ENCRYPTION_KEY (default the demo's key). */
  sessionEncryptionKey?: string;
}) {
  return {
    NODE_ENV: "production",
    PORT: String(input.port),
    SHOPIFY_API_KEY: DEMO_APP.apiKey,
    SHOPIFY_API_SECRET: DEMO_APP.apiSecret,
    SHOPIFY_APP_URL: input.appUrl,
    SCOPES: input.scopes,
    SHOPIFY_ADMIN_API_ORIGIN: input.devshopUrl,
    SHOPIFY_ADMIN_ORIGIN: input.devshopUrl,
    APP_BRIDGE_URL: `${input.devshopUrl}/cdn/app-bridge.js`,
    ...(input.databaseUrl ? { DATABASE_URL: input.databaseUrl } : { DATA_DIR: input.dataDir ?? "data" }),
    SESSION_ENCRYPTION_KEY: input.sessionEncryptionKey ?? DEMO_SESSION_ENCRYPTION_KEY,
    LOG_LEVEL: "warn",
  };
}

export interface RunningApp {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Resolves if nothing listens on the port (else the health check could answer for another server). */
async function ensurePortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", () =>
      reject(new Error(`Port ${port} is in use: stop what listens there or set PORT`)),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
}

/** A free port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts build/server with `npm start`'s server (scripts/serve.mjs) and waits for /healthz. */
export async function startApp(input: {
  port: number;
  env: Record<string, string>;
  quiet?: boolean;
  /** The build directory (default build/); a copy keeps a run safe from a rebuild. */
  buildDir?: string;
}): Promise<RunningApp> {
  const server = path.resolve(input.buildDir ?? "build", "server/index.js");
  if (!existsSync(server)) throw new Error("No production build: run `npm run build` first");
  await ensurePortFree(input.port);
  const serve = path.resolve("scripts/serve.mjs");
  const child = spawn(process.execPath, [serve, server], {
    env: { ...process.env, ...input.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Never leave the app running behind us, however we exit.
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  child.once("exit", () => process.off("exit", orphanGuard));
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (!input.quiet) process.stderr.write(chunk);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const url = `http://127.0.0.1:${input.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The app did not answer /healthz within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Opens the app as the admin would for a shop that has not installed it: token exchange, afterAuth. */
export async function installApp(devshop: Devshop, appUrl: string, shop: string): Promise<void> {
  const url = embeddedAppUrl({
    app: DEMO_APP,
    appUrl,
    shop,
    path: "/app",
    now: new Date(),
  });
  const response = await fetch(url, {
    headers: { Accept: "text/html", "User-Agent": BROWSER_USER_AGENT },
  });
  await response.text();
  if (!devshop.state.shop(shop).installation.installed) {
    throw new Error(
      `Installing on ${shop} failed: the app answered ${response.status} and asked for no token`,
    );
  }
}
