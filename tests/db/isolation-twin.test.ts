/**
 * Each test file gets its own database (tests/setup/database.ts). This file
 * and isolation-twin.test.ts write the same keys at the same time; each must
 * see only its own rows.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { writeSameKeys } from "../support/same-keys";

describe("test database isolation", () => {
  it("the twin's writes never meet this file's", async () => {
    const seen = await writeSameKeys(prisma, "isolation-twin.test.ts");
    expect(seen).toEqual({ rows: 50, writers: ["isolation-twin.test.ts"] });
  });
});
