/**
 * The app as it runs in production, for tests/faults/*.e2e.test.ts: `npm
 * start`'s server (scripts/serve.mjs) on a private copy of the build (a
 * rebuild meanwhile cannot pull it away), with devshop as its Shopify and
 * one shop installed the way Shopify installs it (token exchange).
 */
import { cpSync, rmSync } from "node:fs";
import path from "node:path";
import {
  appEnvironment,
  DEMO_APP,
  freePort,
  installApp,
  startApp,
  type RunningApp,
} from "../../devshop/launch";
import { startDevshop, type Devshop } from "../../devshop/server";

export interface RealApp {
  devshop: Devshop;
  app: RunningApp;
  appUrl: string;
  port: number;
  /** The environment the app runs with. */
  env: Record<string, string>;
  /** Stops the app (SIGTERM: it closes its database) and starts it again with `env` changed. */
  restart(change?: Record<string, string | undefined>): Promise<RunningApp>;
  stop(): Promise<void>;
}

/** A copy of build/ for this test file; removed by the returned function. */
export function privateBuild(): { dir: string; remove: () => void } {
  const dir = path.resolve(`.cache/faults-build-${process.pid}-${Date.now()}`);
  cpSync("build", dir, { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startRealApp(input: {
  shop: string;
  buildDir: string;
  dataDir?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
}): Promise<RealApp> {
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const devshop = await startDevshop({ app: DEMO_APP, appUrl, webhookRetryBaseMs: 250 });
  devshop.addShop(input.shop, "Fault Outfitters");
  const env: Record<string, string> = {
    ...appEnvironment({
      devshopUrl: devshop.url,
      appUrl,
      port,
      dataDir: input.dataDir ?? "memory://",
      databaseUrl: input.databaseUrl,
      scopes: devshop.config.scopes,
    }),
    ...input.env,
  };
  const start = () => startApp({ port, quiet: true, buildDir: input.buildDir, env });
  const real: RealApp = {
    devshop,
    app: await start(),
    appUrl,
    port,
    env,
    async restart(change = {}) {
      await real.app.stop();
      for (const [name, value] of Object.entries(change)) {
        if (value === undefined) delete env[name];
        else env[name] = value;
      }
      real.app = await start();
      return real.app;
    },
    async stop() {
      await real.app.stop();
      await devshop.close();
    },
  };
  await installApp(devshop, appUrl, input.shop);
  return real;
}
