import type { PrismaClient } from "@prisma/client";

/**
 * Writes 50 shops with fixed domains (the same keys in every caller), with
 * pauses so that concurrent callers overlap, then reports what it can see.
 */
export async function writeSameKeys(prisma: PrismaClient, writer: string) {
  for (let i = 0; i < 50; i++) {
    // A plain insert: a shared table would raise a unique violation here.
    await prisma.shop.create({ data: { domain: `same-${i}.myshopify.com`, name: writer } });
    if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const rows = await prisma.shop.findMany({ where: { domain: { startsWith: "same-" } } });
  return { rows: rows.length, writers: [...new Set(rows.map((row) => row.name))] };
}
