/**
 * Test projects:
 *   unit      pure code (app/loyalty and other modules without I/O), tests/unit
 *   pglite    database and route tests on an in-memory PGlite per test file
 *   postgres  the same files on PostgreSQL, one schema per test file; only
 *             when TEST_DATABASE_URL is set (CI sets it)
 *   browser   storefront tests in Debian's Chromium (/usr/bin/chromium)
 *   e2e       only with E2E=1 (npm run test:e2e): devshop + the production
 *             build + Chromium, the merchant and the shopper end to end; and
 *             tests/faults/*.e2e.test.ts, attacks on `npm start`'s server
 * Each test file runs in its own process with its own database, so files
 * run in parallel without sharing rows; PGlite files start from one copy
 * migrated per run (tests/setup/pglite-template.ts, decision 0026).
 */
import { availableParallelism } from "node:os";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

const databaseFiles = [
  "tests/db/**/*.test.ts",
  "tests/jobs/**/*.test.ts",
  "tests/routes/**/*.test.ts",
  "tests/faults/**/*.test.ts",
];

const databaseProject = (name: string, target: "pglite" | "postgres"): TestProjectInlineConfiguration => ({
  extends: true,
  test: {
    name,
    include: databaseFiles,
    // Fault tests through the real server (tests/faults/*.e2e.test.ts) run in the e2e project.
    exclude: ["**/*.e2e.test.ts", "**/node_modules/**"],
    env: { DB_TARGET: target },
    globalSetup: target === "pglite" ? ["tests/setup/pglite-template.ts"] : [],
    setupFiles: ["tests/setup/console.ts", "tests/setup/database.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

const projects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: {
      name: "unit",
      include: ["app/**/*.test.ts", "tests/unit/**/*.test.ts"],
      setupFiles: ["tests/setup/console.ts", "tests/setup/app-env.ts"],
      testTimeout: 20_000,
    },
  },
  databaseProject("pglite", "pglite"),
  {
    // Debian's Chromium (playwright-core) against the app on an in-memory PGlite.
    extends: true,
    test: {
      name: "browser",
      include: ["tests/browser/**/*.test.ts"],
      env: { DB_TARGET: "pglite" },
      globalSetup: ["tests/setup/pglite-template.ts"],
      setupFiles: ["tests/setup/console.ts", "tests/setup/database.ts"],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  },
];
if (process.env.TEST_DATABASE_URL) projects.push(databaseProject("postgres", "postgres"));
// Past one machine (tests/scale): two web processes and two workers on one
// PostgreSQL schema, devshop in front. The processes run the sources through
// tsx, so no build is needed; PostgreSQL only (PGlite is single-process).
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    extends: true,
    test: {
      name: "scale",
      include: ["tests/scale/**/*.test.ts"],
      env: { DB_TARGET: "postgres" },
      setupFiles: ["tests/setup/console.ts", "tests/setup/database.ts"],
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  });
}
// End to end (npm run test:e2e, after npm run build): devshop, the production
// build as a child process and Chromium; two files at a time (maxWorkers below).
// Each file's app starts on a copy of the data folder of one first start of the
// build (tests/setup/e2e-data-template.ts).
if (process.env.E2E) {
  projects.push({
    extends: true,
    test: {
      name: "e2e",
      include: ["tests/e2e/**/*.e2e.test.ts", "tests/faults/**/*.e2e.test.ts"],
      globalSetup: ["tests/setup/e2e-data-template.ts"],
      setupFiles: ["tests/setup/console.ts"],
      testTimeout: 90_000,
      hookTimeout: 180_000,
    },
  });
}

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    pool: "forks",
    // vitest runs availableParallelism() - 1 files at a time: one on CI's two cores, which
    // left a core idle (decision 0026). Each file has its own process and database. An e2e
    // file runs the app's server, devshop and Chromium, and waits on them much of the time:
    // two at a time on any machine.
    maxWorkers: process.env.E2E ? 2 : Math.max(2, availableParallelism() - 1),
    projects,
  },
});
