/**
 * The production build as the end-to-end tests run it: copied to a folder of
 * the test file's own (a rebuild during the run cannot change it), started
 * with `npm start`'s server against devshop, and installed on the shop as the
 * admin installs it (token exchange, afterAuth).
 */
import { cpSync } from "node:fs";
import type { Devshop } from "../../devshop/server";
import { appEnvironment, installApp, startApp, type RunningApp } from "../../devshop/launch";

export async function startInstalledApp(input: {
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
