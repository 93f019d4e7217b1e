/**
 * vitest globalSetup of the PGlite projects: applies prisma/migrations once,
 * with the app's own migrator, to an in-memory PGlite and dumps its data
 * folder to a file. tests/setup/database.ts starts every test file's database
 * from that file (about 1 s of CPU instead of 5 s for a new PGlite and every
 * migration); the app still runs its migrator on it at start, which finds
 * nothing to apply. tests/db/migrations.test.ts and the migration tests still
 * migrate databases of their own from empty.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { MEMORY, PGLITE_EXTENSIONS } from "../../app/db/connect.server";
import { applyMigrations } from "../../app/db/migrations.server";

declare module "vitest" {
  export interface ProvidedContext {
    /** A file holding a migrated PGlite data folder (dumpDataDir, an uncompressed tar). */
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(tmpdir(), "regulars-pglite-template-"));
  const file = path.join(dir, "migrated.tar");
  const pglite = await PGlite.create(MEMORY, { extensions: PGLITE_EXTENSIONS });
  try {
    await applyMigrations({
      query: async (sql, params) => (await pglite.query(sql, params)).rows as never[],
      exec: async (sql) => {
        await pglite.exec(sql);
      },
    });
    writeFileSync(file, Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer()));
  } finally {
    await pglite.close();
  }
  project.provide("pgliteTemplate", file);
  return () => rmSync(dir, { recursive: true, force: true });
}
