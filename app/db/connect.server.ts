/**
 * Opens the database Regulars runs on and brings its schema up to date.
 *   - `databaseUrl` set: PostgreSQL through @prisma/adapter-pg. A `?schema=`
 *     parameter (as in Prisma URLs) selects a PostgreSQL schema, created if
 *     missing; tests use it to give each file its own schema.
 *   - otherwise: the embedded PGlite database in `<dataDir>/pglite`, or in
 *     memory when dataDir is "memory://".
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, type Migration, type MigrationReport, type SqlSession } from "./migrations.server";

export type DatabaseKind = "pglite" | "postgresql";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  migrations: MigrationReport;
  /** Disconnects Prisma and closes the pool or the PGlite instance. Idempotent. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Defaults to prisma/migrations read from disk. */
  migrations?: Migration[];
  /** Largest number of PostgreSQL connections this process opens. */
  poolSize?: number;
}

export const MEMORY = "memory://";

export function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options)
    : openPGlite(options.dataDir, options);
}

/** Splits Prisma's `?schema=` parameter off a PostgreSQL URL. */
export function parseDatabaseUrl(databaseUrl: string): { connectionString: string; schema: string } {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get("schema") ?? "public";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
    throw new Error(`DATABASE_URL schema "${schema}" is not a plain identifier`);
  }
  url.searchParams.delete("schema");
  return { connectionString: url.toString(), schema };
}

async function openPostgres(databaseUrl: string, options: OpenDatabaseOptions): Promise<Database> {
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    options: `-c search_path="${schema}"`,
  });
  let migrations: MigrationReport;
  const client = await pool.connect();
  try {
    const session: SqlSession = {
      query: async (sql, params) => (await client.query(sql, params)).rows,
      exec: async (sql) => {
        await client.query(sql);
      },
    };
    migrations = await applyMigrations(session, options.migrations, { schema });
  } catch (error) {
    client.release();
    await pool.end();
    throw error;
  }
  client.release();
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { schema }) });
  return {
    kind: "postgresql",
    prisma,
    migrations,
    close: once(async () => {
      await prisma.$disconnect();
      await pool.end();
    }),
  };
}

async function openPGlite(dataDir: string, options: OpenDatabaseOptions): Promise<Database> {
  let location: string = MEMORY;
  if (dataDir !== MEMORY) {
    location = path.resolve(dataDir, "pglite");
    mkdirSync(location, { recursive: true });
  }
  const pglite = await PGlite.create(location);
  let migrations: MigrationReport;
  try {
    migrations = await applyMigrations(
      {
        query: async (sql, params) => (await pglite.query(sql, params)).rows as never[],
        exec: async (sql) => {
          await pglite.exec(sql);
        },
      },
      options.migrations,
    );
  } catch (error) {
    await pglite.close();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: "pglite",
    prisma,
    migrations,
    close: once(async () => {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    }),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
