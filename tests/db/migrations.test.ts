import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma, database } from "~/db.server";
import { readMigrations, type Migration } from "~/db/migrations.server";
import { openDatabase, MEMORY } from "~/db/connect.server";
import { openScratchDatabase, scratchDatabaseUrl } from "../support/scratch-database";
import { dropIsolatedSchema } from "../support/isolated-database";

const migrationsDir = path.resolve(__dirname, "../../prisma/migrations");

function migration(name: string, sql: string): Migration {
  return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
}

describe("migrations at start-up", () => {
  it("a new database is migrated when it opens, with Prisma's own bookkeeping", async () => {
    const onDisk = readMigrations(migrationsDir);
    expect(onDisk.length).toBeGreaterThan(0);
    // A database of its own, empty before it opens (the file's own PGlite starts from the
    // copy tests/setup/pglite-template.ts migrated once for the run).
    const fresh = await openScratchDatabase();
    try {
      expect(fresh.migrations.applied).toEqual(onDisk.map((m) => m.name));
      for (const db of [fresh.prisma, prisma]) {
        const rows = await db.$queryRaw<
          { migration_name: string; checksum: string; finished_at: Date | null }[]
        >`
          SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
        expect(rows.map((row) => row.migration_name)).toEqual(onDisk.map((m) => m.name));
        for (const [i, row] of rows.entries()) {
          const file = readFileSync(path.join(migrationsDir, row.migration_name, "migration.sql"));
          expect(row.checksum).toBe(createHash("sha256").update(file).digest("hex"));
          expect(row.finished_at).not.toBeNull();
          expect(onDisk[i]!.checksum).toBe(row.checksum);
        }
      }
    } finally {
      await fresh.destroy();
    }
    // The app's database ran the migrator when it opened: everything is applied, by it or before.
    expect(database.migrations.applied.length + database.migrations.alreadyApplied).toBe(onDisk.length);
  });

  it("stores deliveries' bodies compressed with lz4 where the server has it (PostgreSQL), pglz elsewhere", async () => {
    const [column] = await prisma.$queryRaw<{ method: string }[]>`
      SELECT attcompression::text AS method FROM pg_attribute
       WHERE attrelid = '"WebhookDelivery"'::regclass AND attname = 'payload'`;
    // '' is the server's default (pglz); 'l' is lz4.
    expect(column!.method).toBe(database.kind === "postgresql" ? "l" : "");
  });

  it("opening an up-to-date database applies nothing", async () => {
    const url = scratchDatabaseUrl();
    const first = await openScratchDatabase({ url });
    if (url) {
      // PostgreSQL: reopen the same schema from a second client.
      const second = await openDatabase({ databaseUrl: url, dataDir: MEMORY });
      expect(second.migrations.applied).toEqual([]);
      expect(second.migrations.alreadyApplied).toBe(readMigrations().length);
      await second.close();
    }
    expect(first.migrations.applied.length).toBe(readMigrations().length);
    await first.destroy();
  });

  it("a failing migration is rolled back, reported by name, and later ones do not run", async () => {
    const broken = [
      migration("001_ok", `CREATE TABLE "a" (id int)`),
      migration("002_broken", `CREATE TABLE "b" (id int); SELECT * FROM "no_such_table"`),
      migration("003_after", `CREATE TABLE "c" (id int)`),
    ];
    const url = scratchDatabaseUrl();
    await expect(openDatabase({ databaseUrl: url, dataDir: MEMORY, migrations: broken })).rejects.toThrow(
      /Migration 002_broken failed and was rolled back/,
    );
    if (url) {
      // The schema holds 001 only: 002's table was rolled back, 003 never ran.
      const db = await openScratchDatabase({ url, migrations: broken.slice(0, 1) });
      const tables = await db.prisma.$queryRawUnsafe<{ table_name: string }[]>(
        `SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(["_prisma_migrations", "a"]);
      await db.destroy();
    }
  });

  it("two processes starting at once apply each migration once", async () => {
    const url = scratchDatabaseUrl();
    if (!url) return; // PGlite has one owner per data folder; nothing to race.
    const [a, b] = await Promise.all([
      openDatabase({ databaseUrl: url, dataDir: MEMORY }),
      openDatabase({ databaseUrl: url, dataDir: MEMORY }),
    ]);
    expect([...a.migrations.applied, ...b.migrations.applied].sort()).toEqual(
      readMigrations().map((m) => m.name),
    );
    await Promise.all([a.close(), b.close()]);
    await dropIsolatedSchema(url);
  });
});
