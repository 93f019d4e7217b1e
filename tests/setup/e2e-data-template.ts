/**
 * vitest globalSetup of the e2e project: starts the production build once on
 * an empty data folder, as a merchant's first `npm start` does (PGlite's
 * initdb, every migration, the job queue's schema), and stops it. Each
 * tests/e2e file's app starts on a copy of that folder (startE2eStore):
 * about 2 s to /healthz instead of 6 to 8 (decision 0026). The first start
 * on an empty folder stays tested here, by the fault tests' and
 * production-server's apps on fresh databases, and by CI's smoke test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { appEnvironment, DEMO_APP, freePort, startApp } from "../../devshop/launch";
import { startDevshop } from "../../devshop/server";

declare module "vitest" {
  export interface ProvidedContext {
    /** A data folder the production build made on its first start, stopped since. */
    e2eDataTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "regulars-e2e-template-"));
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  const devshop = await startDevshop({ app: DEMO_APP, appUrl });
  try {
    const app = await startApp({
      port,
      quiet: true,
      env: appEnvironment({ devshopUrl: devshop.url, appUrl, port, dataDir, scopes: devshop.config.scopes }),
    });
    // SIGTERM: the app closes its database, so the folder is a cleanly shut down cluster.
    await app.stop();
  } catch (error) {
    remove();
    throw error;
  } finally {
    await devshop.close();
  }
  project.provide("e2eDataTemplate", dataDir);
  return remove;
}
