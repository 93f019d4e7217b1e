/**
 * Each test file gets its own database (tests/setup/database.ts). This file
 * and isolation-twin.test.ts write the same keys at the same time; each must
 * see only its own rows. The last test shows the same within one file.
 */
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { openScratchDatabase } from "../support/scratch-database";
import { writeSameKeys } from "../support/same-keys";

describe("test database isolation", () => {
  it("this file's writes to shared keys never meet its twin's", async () => {
    const seen = await writeSameKeys(prisma, "isolation.test.ts");
    expect(seen).toEqual({ rows: 50, writers: ["isolation.test.ts"] });
  });

  it("two databases opened side by side do not share rows", async () => {
    const [a, b] = await Promise.all([openScratchDatabase(), openScratchDatabase()]);
    const [seenA, seenB] = await Promise.all([writeSameKeys(a.prisma, "a"), writeSameKeys(b.prisma, "b")]);
    expect(seenA).toEqual({ rows: 50, writers: ["a"] });
    expect(seenB).toEqual({ rows: 50, writers: ["b"] });
    await Promise.all([a.destroy(), b.destroy()]);
  });
});
