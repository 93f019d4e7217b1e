// Prisma CLI configuration (generate, migrate dev, migrate deploy, studio).
// The CLI talks to the database through the same driver adapters as the app,
// so it runs offline: no schema-engine or query-engine binary is downloaded.
//   DATABASE_URL set   -> PostgreSQL through @prisma/adapter-pg
//   DATABASE_URL unset -> the embedded PGlite database in $DATA_DIR (./data)
import path from "node:path";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (url) {
      // Same URL convention as the app: ?schema= selects a PostgreSQL schema.
      const { PrismaPg } = await import("@prisma/adapter-pg");
      const parsed = new URL(url);
      const schema = parsed.searchParams.get("schema") ?? "public";
      parsed.searchParams.delete("schema");
      return new PrismaPg(
        { connectionString: parsed.toString(), options: `-c search_path="${schema}"` },
        { schema },
      );
    }
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const dataDir = process.env.DATA_DIR ?? "data";
    if (dataDir === "memory://") return new PrismaPGlite(new PGlite());
    const { mkdirSync } = await import("node:fs");
    const dir = path.join(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    return new PrismaPGlite(new PGlite(dir));
  },
});
