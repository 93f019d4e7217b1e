/**
 * Ways to earn beyond orders (app/loyalty/earn-rules.ts): the shop's saved rules, the review
 * API's sealed secret, and the awards of a rule a member has had (for its limit).
 */
import type { ActionApiSecret, EarnRule as EarnRuleRow } from "@prisma/client";
import { isEarnRuleKey, type EarnRule } from "../loyalty/earn-rules";
import type { Tx } from "./tx.server";

const ruleOf = (row: EarnRuleRow): EarnRule | null =>
  isEarnRuleKey(row.key)
    ? {
        key: row.key,
        enabled: row.enabled,
        points: row.points,
        limit: row.limit,
        url: row.url,
        enabledAt: row.enabledAt,
      }
    : null;

/** The rules the shop saved (a rule never saved has no row). */
export async function savedEarnRules(tx: Tx, shop: string): Promise<EarnRule[]> {
  const rows = await tx.earnRule.findMany({ where: { shop }, orderBy: { key: "asc" } });
  return rows.map(ruleOf).filter((rule): rule is EarnRule => rule !== null);
}

/** Locks the shop's saved rules while they are rewritten (a concurrent save waits). */
export async function lockEarnRules(tx: Tx, shop: string): Promise<EarnRule[]> {
  await tx.$queryRaw`SELECT 1 FROM "EarnRule" WHERE shop = ${shop} FOR UPDATE`;
  return savedEarnRules(tx, shop);
}

export async function saveEarnRule(tx: Tx, shop: string, rule: EarnRule): Promise<void> {
  const data = {
    enabled: rule.enabled,
    points: rule.points,
    limit: rule.limit,
    url: rule.url,
    enabledAt: rule.enabledAt,
  };
  await tx.earnRule.upsert({
    where: { shop_key: { shop, key: rule.key } },
    create: { shop, key: rule.key, ...data },
    update: data,
  });
}

/** When the member earned the rule before (every award), newest first. */
export async function pastAwards(tx: Tx, shop: string, memberId: string, action: string): Promise<Date[]> {
  const rows = await tx.ledgerEntry.findMany({
    where: { shop, memberId, action },
    select: { occurredAt: true },
    orderBy: { id: "desc" },
  });
  return rows.map((row) => row.occurredAt);
}

export function findActionApiSecret(tx: Tx, shop: string): Promise<ActionApiSecret | null> {
  return tx.actionApiSecret.findUnique({ where: { shop } });
}

export async function saveActionApiSecret(
  tx: Tx,
  shop: string,
  secret: { sealedSecret: string; hint: string },
): Promise<void> {
  await tx.actionApiSecret.upsert({ where: { shop }, create: { shop, ...secret }, update: secret });
}

/** Points given per way to earn (the ledger's `action`) for entries that occurred from `from` to `to`. */
export async function pointsByAction(
  tx: Tx,
  shop: string,
  from: Date,
  to: Date,
): Promise<{ action: string; points: number; awards: number }[]> {
  const rows = await tx.ledgerEntry.groupBy({
    by: ["action"],
    where: { shop, action: { not: null }, occurredAt: { gte: from, lte: to } },
    _sum: { points: true },
    _count: { _all: true },
  });
  return rows
    .filter((row) => row.action !== null)
    .map((row) => ({ action: row.action!, points: row._sum.points ?? 0, awards: row._count._all }))
    .sort((a, b) => b.points - a.points || a.action.localeCompare(b.action));
}

/** The customers of the shop's members with this email (any letter case), at most two. */
export async function customersWithEmail(tx: Tx, shop: string, email: string): Promise<string[]> {
  const rows = await tx.member.findMany({
    where: { shop, email: { equals: email, mode: "insensitive" } },
    select: { customerGid: true },
    take: 2,
  });
  return rows.map((row) => row.customerGid);
}

/** Awards of a rule the shop recorded since `since` (every member), for a rate limit. */
export function countRecentActionAwards(tx: Tx, shop: string, action: string, since: Date): Promise<number> {
  return tx.ledgerEntry.count({ where: { shop, action, occurredAt: { gte: since } } });
}
