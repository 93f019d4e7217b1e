/**
 * The migrations produce the schema Prisma expects: every model's table and
 * every scalar field's column exist after applying prisma/migrations. A model
 * change without its migration fails here, on both databases.
 */
import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";

describe("migrations match prisma/schema.prisma", () => {
  it("has every table and column", async () => {
    const rows = await prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
      SELECT table_name::text AS table_name, column_name::text AS column_name
      FROM information_schema.columns WHERE table_schema = current_schema()`;
    const actual = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    const missing: string[] = [];
    for (const model of Prisma.dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      for (const field of model.fields) {
        if (field.kind === "object") continue;
        const column = `${table}.${field.dbName ?? field.name}`;
        if (!actual.has(column)) missing.push(column);
      }
    }
    expect(missing).toEqual([]);
  });
});
