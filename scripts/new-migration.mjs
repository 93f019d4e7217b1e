#!/usr/bin/env node
// `npm run db:new-migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL that turns the committed schema (git HEAD, or --from <rev>) into the
// working prisma/schema.prisma. Offline and database-free: `prisma migrate diff`
// between two datamodels (the CLI still opens a throwaway in-memory PGlite
// through prisma.config.ts). Review the SQL, then commit it with the schema.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
const fromIndex = args.indexOf("--from");
const rev = fromIndex >= 0 ? args.splice(fromIndex, 2)[1] : "HEAD";
const name = args[0];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <snake_case_name> [--from <git-rev>]");
  process.exit(2);
}
const old = path.join(mkdtempSync(path.join(tmpdir(), "regulars-schema-")), "schema.prisma");
writeFileSync(old, execFileSync("git", ["show", `${rev}:prisma/schema.prisma`]));
const sql = execFileSync(
  path.join("node_modules", ".bin", "prisma"),
  [
    "migrate",
    "diff",
    "--from-schema-datamodel",
    old,
    "--to-schema-datamodel",
    "prisma/schema.prisma",
    "--script",
  ],
  {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, CHECKPOINT_DISABLE: "1", DATA_DIR: "memory://", DATABASE_URL: "" },
  },
);
if (!sql.trim() || /^-- This is an empty migration/m.test(sql)) {
  console.error("prisma/schema.prisma has no changes against", rev);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
console.log(`wrote ${dir}/migration.sql`);
