/**
 * A database apart from the test file's own, opened with openDatabase as
 * the app does: in-memory PGlite, or a new PostgreSQL schema, per DB_TARGET.
 */
import { openDatabase, MEMORY, type Database } from "../../app/db/connect.server";
import type { Migration } from "../../app/db/migrations.server";
import { dropIsolatedSchema, isolatedSchemaUrl } from "./isolated-database";

export interface ScratchDatabase extends Database {
  url: string | undefined;
  destroy(): Promise<void>;
}

export function scratchDatabaseUrl(): string | undefined {
  return process.env.DB_TARGET === "postgres" ? isolatedSchemaUrl(process.env.TEST_DATABASE_URL!) : undefined;
}

export async function openScratchDatabase(
  options: { url?: string; migrations?: Migration[] } = {},
): Promise<ScratchDatabase> {
  const url = "url" in options ? options.url : scratchDatabaseUrl();
  const database = await openDatabase({ databaseUrl: url, dataDir: MEMORY, migrations: options.migrations });
  return {
    ...database,
    url,
    destroy: async () => {
      await database.close();
      if (url) await dropIsolatedSchema(url);
    },
  };
}
