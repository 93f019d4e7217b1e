/** One PostgreSQL schema per test file (or per call), so nothing is shared. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { parseDatabaseUrl } from "../../app/db/connect.server";

export function isolatedSchemaUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set("schema", `test_${process.pid}_${randomBytes(4).toString("hex")}`);
  return url.toString();
}

export async function dropIsolatedSchema(schemaUrl: string): Promise<void> {
  const { connectionString, schema } = parseDatabaseUrl(schemaUrl);
  if (!schema.startsWith("test_")) throw new Error(`refusing to drop schema ${schema}`);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    // The job queue's schema beside it (app/jobs/job-queue.server.ts).
    await client.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
  } finally {
    await client.end();
  }
}
