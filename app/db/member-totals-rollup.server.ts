/**
 * Members and their unspent points (balance + pending) per tier: MemberTotals
 * plus the MemberTotalsChange rows the Member table's triggers append.
 */
import type { Tx } from "./tx.server";

/** Moves up to `limit` of the shop's changes into its totals; returns how many moved. */
export async function foldMemberTotals(tx: Tx, shop: string, limit: number): Promise<number> {
  const [row] = await tx.$queryRaw<{ moved: number }[]>`
    WITH moved AS (
      DELETE FROM "MemberTotalsChange" WHERE id IN (
        SELECT id FROM "MemberTotalsChange" WHERE shop = ${shop} ORDER BY id LIMIT ${limit})
      RETURNING "tierKey", members, unspent
    ), summed AS (
      INSERT INTO "MemberTotals" AS t (shop, "tierKey", members, unspent)
      SELECT ${shop}, "tierKey", sum(members), sum(unspent) FROM moved GROUP BY "tierKey" ORDER BY "tierKey"
      ON CONFLICT (shop, "tierKey") DO UPDATE SET
        members = t.members + excluded.members, unspent = t.unspent + excluded.unspent
    )
    SELECT count(*)::int AS moved FROM moved`;
  return row?.moved ?? 0;
}

/** (Re)builds the shop's totals from its members, dropping the changes that snapshot covers. */
export async function buildMemberTotals(tx: Tx, shop: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM "MemberTotals" WHERE shop = ${shop}`;
  await tx.$executeRaw`
    WITH covered AS (DELETE FROM "MemberTotalsChange" WHERE shop = ${shop})
    INSERT INTO "MemberTotals" (shop, "tierKey", members, unspent)
    SELECT ${shop}, COALESCE("tierKey", ''), count(*), sum(balance + pending)
      FROM "Member" WHERE shop = ${shop} GROUP BY 2`;
}

/** Members and unspent points per tier key ("" for not yet placed), from the rollup. */
export async function memberTotals(
  db: Tx,
  shop: string,
): Promise<{ byTier: Record<string, number>; members: number; unspent: bigint }> {
  const rows = await db.$queryRaw<{ tier: string; members: bigint; unspent: bigint }[]>`
    SELECT "tierKey" AS tier, sum(members)::bigint AS members, sum(unspent)::bigint AS unspent
      FROM (SELECT "tierKey", members, unspent FROM "MemberTotals" WHERE shop = ${shop}
            UNION ALL
            SELECT "tierKey", members, unspent FROM "MemberTotalsChange" WHERE shop = ${shop}) x
     GROUP BY "tierKey"`;
  const byTier: Record<string, number> = {};
  let members = 0;
  let unspent = 0n;
  for (const row of rows) {
    if (Number(row.members) !== 0) byTier[row.tier] = Number(row.members);
    members += Number(row.members);
    unspent += BigInt(row.unspent);
  }
  return { byTier, members, unspent };
}
