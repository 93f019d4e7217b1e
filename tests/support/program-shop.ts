/**
 * A new shop with a program of the given settings and three tiers (Member,
 * Silver at x1.25, Gold at x1.5) at the given thresholds, for property tests
 * that run the same history through two paths.
 */
import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { ensureProgram, replaceTiers } from "~/db/program.server";

let n = 0;

export async function programShop(
  prefix: string,
  settings: Prisma.ProgramUpdateInput,
  [silver, gold]: readonly [bigint, bigint],
): Promise<string> {
  const shop = `${prefix}-${n++}-${process.pid}.myshopify.com`;
  await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
  await ensureProgram(prisma, shop);
  await prisma.program.update({ where: { shop }, data: settings });
  await replaceTiers(prisma, shop, [
    { key: "member", name: "Member", threshold: 0n, multiplierE4: 10_000 },
    { key: "silver", name: "Silver", threshold: silver, multiplierE4: 12_500 },
    { key: "gold", name: "Gold", threshold: gold, multiplierE4: 15_000 },
  ]);
  return shop;
}
