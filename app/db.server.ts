/**
 * The process's database: PGlite in DATA_DIR by default, PostgreSQL when
 * DATABASE_URL is set. Migrations are applied before the first query.
 * Import `prisma` from here; repositories in app/db/ take it as an argument.
 */
import { openDatabase, type Database } from "./db/connect.server";
import { env } from "./env.server";

declare global {
  // Survives Vite's module reloads in development, so one process keeps one
  // database (PGlite allows a single owner of its data folder).
  var __regularsDatabase: Promise<Database> | undefined;
}

globalThis.__regularsDatabase ??= openDatabase({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.DATA_DIR,
}).then((database) => {
  const shutdown = (signal: NodeJS.Signals) => {
    void database.close().finally(() => process.kill(process.pid, signal));
  };
  // Close PGlite cleanly (it flushes to disk) and let node exit.
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  return database;
});

export const database: Database = await globalThis.__regularsDatabase;
export const prisma = database.prisma;
