/**
 * The admin's customer pages: a searchable, filterable list with keyset
 * (cursor) pagination, and one member's page. Every query is scoped by shop:
 * another shop's member is simply not found.
 */
import type { Prisma, PrismaClient } from "@prisma/client";
import { contactHidden, memberLabel } from "../../admin/member-label";
import {
  atRiskMembers,
  countListedMembers,
  findMember,
  memberListRows,
  recentLedgerEntries,
} from "../../db/members.server";
import { memberRedemptions } from "../../db/redemptions.server";
import { ensureProgram } from "../../db/program.server";
import { ensureRewards } from "../../db/rewards.server";
import { storefrontStatus } from "../storefront/status.server";
import { findShop } from "../../db/shops.server";
import { formatMilli } from "../../loyalty/money";
import { storeCreditOn } from "../../loyalty/rewards";
import { AdminApiError, type AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { storeCreditBalances } from "../../shopify/admin-api/store-credit.server";

export const MEMBER_SORTS = ["balance", "spend", "lastOrder", "newest"] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

export interface MemberListQuery {
  search?: string;
  tierKey?: string;
  hasBalance?: boolean;
  /** Prior buyers whose last order is older than this many days. */
  atRiskDays?: number;
  now?: Date;
  sort: MemberSort;
  /** Opaque: from the previous page's `nextCursor`. */
  cursor?: string;
  /** Opaque: from the next page's `previousCursor`; the page that ends just before it. */
  before?: string;
  limit?: number;
}

/** Sort value as JSON-safe text (bigints and dates as strings). */
type Cursor = { v: number | string | null; id: string };
const encode = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");
function decode(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Cursor;
    return typeof parsed.id === "string" && ["number", "string"].includes(typeof parsed.v) ? parsed : null;
  } catch {
    return null;
  }
}

export async function listMembers(db: PrismaClient, shop: string, query: MemberListQuery) {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 100);
  const where: Prisma.MemberWhereInput = { shop };
  const search = query.search?.trim();
  if (search) {
    where.OR = [
      { email: { contains: search, mode: "insensitive" } },
      { firstName: { contains: search, mode: "insensitive" } },
      { lastName: { contains: search, mode: "insensitive" } },
      // The customer's number in Shopify: how a member Shopify withholds the name of is found.
      ...(/^\d{1,20}$/.test(search) ? [{ customerGid: `gid://shopify/Customer/${search}` }] : []),
    ];
  }
  if (query.tierKey) where.tierKey = query.tierKey;
  if (query.hasBalance) where.balance = { gt: 0 };
  if (query.atRiskDays) {
    where.lastOrderAt = atRiskMembers(shop, {
      inactiveDays: query.atRiskDays,
      now: query.now ?? new Date(),
    }).lastOrderAt;
  }
  const page = keyset(query.sort, decode(query.before ?? query.cursor), query.before !== undefined);
  const find = (
    after: Prisma.MemberWhereInput,
    orderBy: Prisma.MemberOrderByWithRelationInput[],
    take: number,
  ) => memberListRows(db, { AND: [where, page.present, after] }, orderBy, take);
  // After a cursor, two exact index ranges rather than one OR (which PostgreSQL can only filter,
  // reading every row before the cursor): the rest of the cursor's value group, then lower values.
  // Before a cursor, the same in reverse (read backwards from the cursor, then turned round).
  const [firstRows, total] = await Promise.all([
    find(page.tie ?? {}, page.tie ? [{ id: page.backward ? "desc" : "asc" }] : page.orderBy, limit + 1),
    countListedMembers(db, { AND: [where, page.present] }),
  ]);
  let rows = firstRows;
  if (page.rest && rows.length <= limit) {
    rows = rows.concat(await find(page.rest, page.orderBy, limit + 1 - rows.length));
  }
  const more = rows.length > limit;
  const inOrder = rows.slice(0, limit);
  if (page.backward) inOrder.reverse();
  const members = inOrder.map((row) => ({
    ...row,
    label: memberLabel(row),
    contactHidden: contactHidden(row),
  }));
  const first = members[0];
  const last = members[members.length - 1];
  const cursorOf = (row: (typeof members)[number] | undefined) =>
    row ? encode({ v: page.valueOf(row), id: row.id }) : null;
  // Going forward, a page after a cursor has one before it; going back, the page before the cursor
  // has the cursor's page after it.
  const nextCursor = page.backward || more ? cursorOf(last) : null;
  const previousCursor = (page.backward ? more : page.from !== null) ? cursorOf(first) : null;
  return { members, nextCursor, previousCursor, total };
}

type Row = { balance: number; totalSpentMilli: bigint; lastOrderAt: Date | null; createdAt: Date };

/**
 * Order (value desc, id asc) and what comes strictly after the cursor, as two
 * conditions: `tie` (the cursor's value, a greater id) then `rest` (a lower
 * value). `backward`: what comes strictly before the cursor, nearest first
 * (the reverse order: a smaller id, then a greater value). Members with no
 * order are left out of the last-order sort.
 */
function keyset(sort: MemberSort, cursor: Cursor | null, backward: boolean) {
  const fitted = fittedCursor(sort, cursor);
  const order = fitted ? keysetFrom(sort, fitted, backward) : keysetFrom(sort, null, false);
  return { ...order, from: fitted, backward: fitted !== null && backward };
}

function fittedCursor(sort: MemberSort, cursor: Cursor | null): Cursor | null {
  // A cursor whose value does not fit the sort (tampered, or from another sort) starts over.
  const fits =
    cursor !== null &&
    (sort === "balance"
      ? Number.isInteger(cursor.v)
      : sort === "spend"
        ? /^\d+$/.test(String(cursor.v))
        : !Number.isNaN(new Date(String(cursor.v)).getTime()));
  return fits ? cursor : null;
}

function keysetFrom(sort: MemberSort, after: Cursor | null, backward: boolean) {
  const id = backward ? { lt: after?.id ?? "" } : { gt: after?.id ?? "" };
  const desc = backward ? ("asc" as const) : ("desc" as const);
  const asc = backward ? ("desc" as const) : ("asc" as const);
  const beyond = <T>(v: T) => (backward ? { gt: v } : { lt: v });
  switch (sort) {
    case "balance": {
      const v = Number(after?.v);
      return {
        orderBy: [{ balance: desc }, { id: asc }],
        tie: after ? { balance: v, id } : null,
        rest: after ? { balance: beyond(v) } : null,
        present: {},
        valueOf: (row: Row) => row.balance,
      };
    }
    case "spend": {
      const v = after ? BigInt(String(after.v)) : 0n;
      return {
        orderBy: [{ totalSpentMilli: desc }, { id: asc }],
        tie: after ? { totalSpentMilli: v, id } : null,
        rest: after ? { totalSpentMilli: beyond(v) } : null,
        present: {},
        valueOf: (row: Row) => row.totalSpentMilli.toString(),
      };
    }
    case "lastOrder": {
      const v = new Date(String(after?.v));
      return {
        orderBy: [{ lastOrderAt: desc }, { id: asc }],
        tie: after ? { lastOrderAt: v, id } : null,
        rest: after ? { lastOrderAt: beyond(v) } : null,
        present: { lastOrderAt: { not: null } },
        valueOf: (row: Row) => row.lastOrderAt?.toISOString() ?? null,
      };
    }
    case "newest": {
      const v = new Date(String(after?.v));
      return {
        orderBy: [{ createdAt: desc }, { id: asc }],
        tie: after ? { createdAt: v, id } : null,
        rest: after ? { createdAt: beyond(v) } : null,
        present: {},
        valueOf: (row: Row) => row.createdAt.toISOString(),
      };
    }
  }
}

export async function memberPage(db: PrismaClient, shop: string, memberId: string, now: Date) {
  const member = await findMember(db, shop, memberId);
  if (!member) return null;
  const [status, entries, redemptions, program, rewards] = await Promise.all([
    storefrontStatus(db, shop, member.customerGid, now),
    recentLedgerEntries(db, shop, memberId, 200),
    memberRedemptions(db, shop, memberId, 100),
    ensureProgram(db, shop),
    ensureRewards(db, shop),
  ]);
  return {
    member: {
      id: member.id,
      customerGid: member.customerGid,
      email: member.email,
      name: [member.firstName, member.lastName].filter(Boolean).join(" ") || null,
      label: memberLabel(member),
      contactHidden: contactHidden(member),
      balance: member.balance,
      pending: member.pending,
      tier: program.tiers.find((tier) => tier.key === member.tierKey)?.name ?? null,
      nextTier: status.loggedIn ? status.nextTier : null,
    },
    entries: entries.map((entry) => ({
      id: entry.id.toString(),
      kind: entry.kind,
      points: entry.points,
      pendingPoints: entry.pendingPoints,
      balanceAfter: entry.balanceAfter,
      note: entry.note,
      orderGid: entry.orderGid,
      orderName: entry.orderName,
      staffId: entry.staffId,
      createdAt: entry.createdAt.toISOString(),
      /** When it happened: the admin dates the entry by this (a backfilled order's paid date). */
      occurredAt: entry.occurredAt.toISOString(),
    })),
    codes: redemptions.map((r) => ({
      id: r.id,
      code: r.code,
      title: (r.reward as { title?: string }).title ?? r.rewardKey,
      status: r.status,
      source: r.source,
      pointsCost: r.pointsCost,
      endsAt: r.endsAt.toISOString(),
    })),
    rewards: rewards
      .filter((reward) => reward.enabled)
      .map((reward) => ({ key: reward.key, title: reward.title, pointsCost: reward.pointsCost })),
  };
}

/**
 * The member's store credit in Shopify, one balance per currency, for their
 * page; null when the shop has not allowed store credit (no read scope) or
 * Shopify cannot answer now (the page shows the points without it).
 */
export async function memberStoreCredit(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  customerGid: string,
): Promise<{ amount: string; currencyCode: string }[] | null> {
  if (!storeCreditOn((await findShop(db, shop))?.scopes ?? null)) return null;
  try {
    const balances = await storeCreditBalances(admin, customerGid);
    return (balances ?? []).map((balance) => ({
      amount: formatMilli(balance.amountMilli),
      currencyCode: balance.currencyCode,
    }));
  } catch (error) {
    if (error instanceof AdminApiError) return null;
    throw error;
  }
}
