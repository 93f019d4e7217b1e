/**
 * The production build as the end-to-end tests run it: copied to a folder of
 * the test file's own (a rebuild during the run cannot change it), started
 * with `npm start`'s server against devshop, and installed on the shop as the
 * admin installs it (token exchange, afterAuth). `startE2eStore` is the whole
 * set-up of a tests/e2e file: devshop with one shop, the app installed on it,
 * and Chromium.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, BrowserContextOptions } from "playwright-core";
import { inject } from "vitest";
import { BROWSER_USER_AGENT } from "../../devshop/admin-session";
import {
  appEnvironment,
  DEMO_APP,
  freePort,
  installApp,
  startApp,
  type RunningApp,
} from "../../devshop/launch";
import { startDevshop, type Devshop, type DevshopOptions } from "../../devshop/server";
import type { ShopState } from "../../devshop/state";
import { launchChromium } from "./chromium";

async function startInstalledApp(input: {
  devshop: Devshop;
  shop: string;
  port: number;
  appUrl: string;
  buildDir: string;
  dataDir: string;
}): Promise<RunningApp> {
  cpSync("build", input.buildDir, { recursive: true });
  const app = await startApp({
    port: input.port,
    quiet: true,
    buildDir: input.buildDir,
    env: appEnvironment({
      devshopUrl: input.devshop.url,
      appUrl: input.appUrl,
      port: input.port,
      dataDir: input.dataDir,
      scopes: input.devshop.config.scopes,
    }),
  });
  await installApp(input.devshop, input.appUrl, input.shop);
  return app;
}

/**
 * A desktop browser at 1280x900. Headless Chromium names itself HeadlessChrome, which Shopify's
 * library turns away as a bot (410): the context says it is a browser.
 */
export const DESKTOP: BrowserContextOptions = {
  viewport: { width: 1280, height: 900 },
  userAgent: BROWSER_USER_AGENT,
};

export interface E2eStore {
  devshop: Devshop;
  /** The shop the app is installed on. */
  shop: ShopState;
  app: RunningApp;
  appUrl: string;
  browser: Browser;
  /** A browser context with `context`'s options (DESKTOP unless given). */
  context: BrowserContext;
  /** Closes Chromium, stops the app and devshop, and removes the file's build and data folders. */
  stop(): Promise<void>;
}

/**
 * Devshop with one shop (`shop`, named `shopName`), the production build installed on it with a
 * database of its own (PGlite in a temporary folder, a copy of the one the build made on its
 * first start), and Chromium. Devshop retries webhooks on
 * a 250 ms base (Shopify's schedule scaled down) unless `devshop` says otherwise.
 */
export async function startE2eStore(input: {
  shop: string;
  shopName: string;
  /** devshop's options besides the app and its URL. */
  devshop?: Partial<Omit<DevshopOptions, "app" | "appUrl">>;
  /** Runs before devshop starts, with the app's URL (the UI extensions built for it, say). */
  beforeDevshop?: (appUrl: string) => void;
  /** The theme's state before the app is installed (the app embed on, the block added). */
  theme?: ShopState["theme"];
  /** The shop as it is before the app is installed: its time zone, orders from before. */
  beforeInstall?: (shop: ShopState, devshop: Devshop) => void;
  context?: BrowserContextOptions;
}): Promise<E2eStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "regulars-e2e-"));
  // The app's data folder as its first start left it (tests/setup/e2e-data-template.ts).
  cpSync(inject("e2eDataTemplate"), dataDir, { recursive: true });
  // Under .cache/ (not /tmp): the build's server resolves the app's node_modules from there.
  mkdirSync(".cache", { recursive: true });
  const buildDir = mkdtempSync(path.resolve(".cache/e2e-build-"));
  let devshop: Devshop | undefined;
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    await app?.stop();
    await devshop?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(buildDir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    input.beforeDevshop?.(appUrl);
    devshop = await startDevshop({ webhookRetryBaseMs: 250, ...input.devshop, app: DEMO_APP, appUrl });
    const shop = devshop.addShop(input.shop, input.shopName);
    if (input.theme) shop.theme = input.theme;
    input.beforeInstall?.(shop, devshop);
    app = await startInstalledApp({ devshop, shop: input.shop, port, appUrl, buildDir, dataDir });
    browser = await launchChromium();
    const context = await browser.newContext(input.context ?? DESKTOP);
    return { devshop, shop, app, appUrl, browser, context, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Polls `probe` every 200 ms until it gives a value, or fails naming `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | null | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
