/**
 * Opens the database Regulars runs on and brings its schema up to date.
 *   - `databaseUrl` set: PostgreSQL through @prisma/adapter-pg. A `?schema=`
 *     parameter (as in Prisma URLs) selects a PostgreSQL schema, created if
 *     missing; tests use it to give each file its own schema.
 *   - otherwise: the embedded PGlite database in `<dataDir>/pglite`, or in
 *     memory when dataDir is "memory://".
 */
import { chmodSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { ensurePrivateDir, PRIVATE_DIR_MODE, privateTree } from "./private-files.server";
import { applyMigrations, type Migration, type MigrationReport, type SqlSession } from "./migrations.server";
import { noteTransactionSession } from "./sql-in-transaction.server";

type DatabaseKind = "pglite" | "postgresql";

/**
 * Plain SQL on the same database, for the job queue (pg-boss's `db` option):
 * one statement with parameters, or a script of several without.
 */
export interface SqlExecutor {
  executeSql(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount: number }>;
  /**
   * Runs `work` while this process holds the database-wide lock `name`
   * (a PostgreSQL advisory lock on a connection of its own): one process at
   * a time, for set-up that processes starting together would race on.
   * PGlite has one process: `work` just runs.
   */
  underLock<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  migrations: MigrationReport;
  sql: SqlExecutor;
  /** The PostgreSQL schema the app's tables live in ("public" unless DATABASE_URL says). */
  schema: string;
  /** Runs before the database closes (the job queue stops first). */
  onClose(hook: () => Promise<void>): void;
  /** Runs the close hooks, disconnects Prisma, closes the pool or the PGlite instance. Idempotent. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  /** Defaults to prisma/migrations read from disk. */
  migrations?: Migration[];
  /** Largest number of PostgreSQL connections this process opens. */
  poolSize?: number;
  /**
   * PGlite only: start from this dump of a data folder (PGlite's `dumpDataDir`)
   * instead of an empty database; migrations still run and apply what it lacks.
   * The tests start each file from one copy migrated once per run.
   */
  loadDataDir?: Blob;
}

export const MEMORY = "memory://";

/** The PostgreSQL extensions PGlite loads; pg_trgm: the customers list's search indexes (prisma/migrations/*_customers_list_at_scale). */
export const PGLITE_EXTENSIONS = { pg_trgm };

const directSql = new WeakMap<PrismaClient, SqlExecutor>();

/**
 * The driver beneath a client made by openDatabase, for the hottest single
 * statements: Prisma compiles every query, raw ones included, in its query
 * compiler (about 1 ms of CPU each), which the webhook route cannot afford.
 */
export function sqlOf(prisma: PrismaClient): SqlExecutor {
  const sql = directSql.get(prisma);
  if (!sql) throw new Error("sqlOf: this client was not opened by openDatabase");
  return sql;
}

function withDirectSql(database: Database): Database {
  directSql.set(database.prisma, database.sql);
  return database;
}

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
  reportTransactionConnections(pool);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { schema }) });
  const hooks = closeHooks();
  return withDirectSql({
    kind: "postgresql",
    prisma,
    migrations,
    schema,
    sql: {
      async executeSql(text, values) {
        const result = await pool.query(text, values);
        // A script of several statements returns one result per statement.
        const last = Array.isArray(result) ? (result[result.length - 1] as pg.QueryResult) : result;
        return { rows: last?.rows ?? [], rowCount: last?.rowCount ?? 0 };
      },
      async underLock(name, work) {
        const client = await pool.connect();
        try {
          await client.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [name]);
          try {
            return await work();
          } finally {
            await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [name]);
          }
        } finally {
          client.release();
        }
      },
    },
    onClose: hooks.add,
    close: once(async () => {
      await hooks.run();
      await prisma.$disconnect();
      await pool.end();
    }),
  });
}

async function openPGlite(dataDir: string, options: OpenDatabaseOptions): Promise<Database> {
  let location: string = MEMORY;
  if (dataDir !== MEMORY) {
    // Only the app's user may enter the database's folder (it holds every shop's data), from before
    // PGlite writes its first file; an older install's folder is closed too.
    ensurePrivateDir(dataDir);
    location = path.resolve(dataDir, "pglite");
    ensurePrivateDir(location);
    chmodSync(location, PRIVATE_DIR_MODE);
  }
  const pglite = await PGlite.create(location, {
    extensions: PGLITE_EXTENSIONS,
    loadDataDir: options.loadDataDir,
  });
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
  // PGlite unpacks a new database with its files 0666 (and rewrites a cache file 0644 as it starts):
  // make them the app user's alone. The files PostgreSQL creates from here on are 0600 already.
  if (location !== MEMORY) privateTree(location);
  reportTransactions(pglite);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const hooks = closeHooks();
  return withDirectSql({
    kind: "pglite",
    prisma,
    migrations,
    schema: "public",
    sql: {
      // PGlite runs one statement at a time and waits for open transactions
      // (Prisma's included), so each call here is atomic on its own.
      async executeSql(text, values) {
        if (values && values.length > 0) {
          const result = await pglite.query<Record<string, unknown>>(text, values);
          return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
        }
        const results = await pglite.exec(text);
        const last = results[results.length - 1];
        return {
          rows: (last?.rows ?? []) as Record<string, unknown>[],
          rowCount: last?.affectedRows ?? last?.rows.length ?? 0,
        };
      },
      underLock: (_name, work) => work(),
    },
    onClose: hooks.add,
    close: once(async () => {
      await hooks.run();
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    }),
  });
}

/** Prisma's adapter takes a pool client for each transaction: transactionWithSql may use it too. */
function reportTransactionConnections(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  pool.connect = ((callback?: unknown) => {
    if (callback) return (pool.constructor as typeof pg.Pool).prototype.connect.call(pool, callback as never);
    return connect().then((client) => {
      noteTransactionSession({ query: async (text, values) => (await client.query(text, values)).rows });
      return client;
    });
  }) as typeof pool.connect;
}

/** Prisma's adapter runs each transaction in pglite.transaction: transactionWithSql may use it too. */
function reportTransactions(pglite: PGlite): void {
  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = ((callback: Parameters<PGlite["transaction"]>[0]) =>
    transaction((tx) => {
      noteTransactionSession({
        query: async (text, values) => (await tx.query(text, values)).rows as never[],
      });
      return callback(tx);
    })) as PGlite["transaction"];
}

function closeHooks() {
  const hooks: (() => Promise<void>)[] = [];
  return {
    add: (hook: () => Promise<void>) => void hooks.push(hook),
    run: async () => {
      for (const hook of hooks.reverse())
        await hook().catch((error) => console.warn("close hook failed", error));
    },
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/** Resolves when the database answers a query (the health check). */
export async function pingDatabase(db: PrismaClient): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
