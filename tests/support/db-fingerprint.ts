/**
 * What the database holds, read from the database itself: every base table
 * of the app's schema and of the job queue's schema (their names come from
 * information_schema, never from a hand list, so a new table is covered the
 * day it is added), each with its row count and a checksum of its rows.
 * Two fingerprints that differ name the tables something wrote to.
 */
import type { PrismaClient } from "@prisma/client";

export interface TableRef {
  schema: string;
  table: string;
}

export type Fingerprint = Record<string, { rows: number; checksum: string }>;

/**
 * pg-boss's own bookkeeping, which its supervisor updates on a timer
 * whatever requests do (when it last ran maintenance and monitoring). Every
 * other table of its schema (jobs, archive, queues, schedules) is covered.
 */
const BOOKKEEPING = new Set(["version"]);

async function listTables(prisma: PrismaClient, jobsSchema: string): Promise<TableRef[]> {
  const rows = await prisma.$queryRawUnsafe<{ schema: string; table: string }[]>(
    `SELECT table_schema::text AS schema, table_name::text AS table
       FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema IN (current_schema(), $1)
      ORDER BY 1, 2`,
    jobsSchema,
  );
  return rows.filter((row) => !(row.schema === jobsSchema && BOOKKEEPING.has(row.table)));
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** One statement for all tables: a request's writes cannot slip between two reads. */
function fingerprintQuery(tables: TableRef[]): string {
  return tables
    .map(
      ({ schema, table }) =>
        `SELECT '${`${schema}.${table}`.replaceAll("'", "''")}' AS name, count(*)::int AS rows,
                coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS checksum
           FROM ${quote(schema)}.${quote(table)} t`,
    )
    .join(" UNION ALL ");
}

async function fingerprint(prisma: PrismaClient, tables: TableRef[]): Promise<Fingerprint> {
  const rows = await prisma.$queryRawUnsafe<{ name: string; rows: number; checksum: string }[]>(
    fingerprintQuery(tables),
  );
  return Object.fromEntries(
    rows.map((row) => [row.name, { rows: Number(row.rows), checksum: row.checksum }]),
  );
}

/** The tables whose rows differ between two fingerprints. */
function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter(
      (name) => before[name]?.rows !== after[name]?.rows || before[name]?.checksum !== after[name]?.checksum,
    )
    .sort();
}

/**
 * One shop's rows only: tables with a `shop` column filtered on it, the Shop
 * table on its domain, the job queue's tables (job, archive) on the job's
 * data.shop. Tables that belong to no shop are taken whole. A change made by
 * another shop leaves this fingerprint as it was.
 */
export async function shopWatch(prisma: PrismaClient, jobsSchema: string, shop: string) {
  const tables = await listTables(prisma, jobsSchema);
  const columns = await prisma.$queryRawUnsafe<{ schema: string; table: string; column: string }[]>(
    `SELECT table_schema::text AS schema, table_name::text AS table, column_name::text AS column
       FROM information_schema.columns WHERE table_schema IN (current_schema(), $1)`,
    jobsSchema,
  );
  const has = (ref: TableRef, column: string) =>
    columns.some((c) => c.schema === ref.schema && c.table === ref.table && c.column === column);
  const filterOf = (ref: TableRef) => {
    if (ref.schema === jobsSchema) return has(ref, "data") ? `WHERE t.data->>'shop' = $1` : "";
    if (has(ref, "shop")) return `WHERE t.shop = $1`;
    if (ref.table === "Shop") return `WHERE t.domain = $1`;
    return "";
  };
  const query = tables
    .map(
      (ref) =>
        `SELECT '${`${ref.schema}.${ref.table}`.replaceAll("'", "''")}' AS name, count(*)::int AS rows,
                coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') AS checksum
           FROM ${quote(ref.schema)}.${quote(ref.table)} t ${filterOf(ref)}`,
    )
    .join(" UNION ALL ");
  const take = async (): Promise<Fingerprint> => {
    const rows = await prisma.$queryRawUnsafe<{ name: string; rows: number; checksum: string }[]>(
      query,
      shop,
    );
    return Object.fromEntries(
      rows.map((row) => [row.name, { rows: Number(row.rows), checksum: row.checksum }]),
    );
  };
  return {
    tables,
    take,
    changedSince: async (before: Fingerprint) => changedTables(before, await take()),
  };
}

/** A fingerprinter bound to this database's tables (listed once). */
export async function databaseWatch(prisma: PrismaClient, jobsSchema: string) {
  const tables = await listTables(prisma, jobsSchema);
  return {
    tables,
    take: () => fingerprint(prisma, tables),
    /** Tables written since `before`. */
    changedSince: async (before: Fingerprint) => changedTables(before, await fingerprint(prisma, tables)),
  };
}
