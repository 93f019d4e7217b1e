/** Members (a shop's customers in the program) and their ledger. */
import type { LedgerKind, Member, Prisma } from "@prisma/client";
import { noteFollowUp } from "../jobs/follow-ups.server";
import { FLOW_TRIGGERS, recordFlowEvent } from "./flow-events.server";
import type { Tx } from "./tx.server";

export interface Identity {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  tags?: string[];
  accountState?: string | null;
}

/** Keeps what is known: a null or missing field never erases a stored one. */
function known(identity: Identity) {
  return Object.fromEntries(
    Object.entries(identity).filter(([, value]) => value !== undefined && value !== null),
  ) as Identity;
}

export async function upsertMember(
  tx: Tx,
  shop: string,
  customerGid: string,
  identity: Identity,
): Promise<Member> {
  const data = known(identity);
  return tx.member.upsert({
    where: { shop_customerGid: { shop, customerGid } },
    create: { shop, customerGid, ...data },
    update: data,
  });
}

/** Locks the member row until the transaction ends; every balance change goes through here. */
export async function lockMember(tx: Tx, shop: string, memberId: string): Promise<Member> {
  const rows = await tx.$queryRaw<Member[]>`
    SELECT * FROM "Member" WHERE shop = ${shop} AND id = ${memberId} FOR UPDATE`;
  if (!rows[0]) throw new Error(`member ${memberId} of ${shop} not found`);
  return rows[0];
}

/** Records a member's tier evaluation: the tier, until when it is held, and when it changed. */
export async function setMemberTier(
  tx: Tx,
  memberId: string,
  tier: { tierKey: string | null; heldUntil: Date | null; changedAt?: Date },
): Promise<void> {
  await tx.member.update({
    where: { id: memberId },
    data: {
      tierKey: tier.tierKey,
      tierHeldUntil: tier.heldUntil,
      ...(tier.changedAt ? { tierChangedAt: tier.changedAt } : {}),
    },
  });
}

export interface EntryInput {
  kind: LedgerKind;
  points: number;
  pendingPoints?: number;
  sourceKey: string;
  orderGid?: string;
  rateE4?: number;
  multiplierE4?: number;
  note?: string;
  staffId?: string;
  /** The way to earn a BONUS entry records ("signup", "newsletter", ...: app/loyalty/earn-rules.ts). */
  action?: string;
  /** Counts as earning or redeeming activity (restarts the expiry clock). */
  activityAt?: Date;
  /** When what it records happened, if not when recorded (a backfilled order's paid date: entryOccurredAt). */
  occurredAt?: Date | null;
}

export async function ledgerEntryExists(tx: Tx, shop: string, sourceKey: string): Promise<boolean> {
  return (await tx.ledgerEntry.count({ where: { shop, sourceKey } })) > 0;
}

/** The shop's ledger entry with this source key, with its member's customer, or null. */
export function findLedgerEntry(tx: Tx, shop: string, sourceKey: string) {
  return tx.ledgerEntry.findUnique({
    where: { shop_sourceKey: { shop, sourceKey } },
    include: { member: { select: { customerGid: true } } },
  });
}

/** The shop's member for a customer, or null when the customer is not one (nothing is created). */
export function memberOfCustomer(tx: Tx, shop: string, customerGid: string): Promise<Member | null> {
  return tx.member.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
}

/**
 * Appends one ledger entry and moves the cached balances with it, in the
 * caller's transaction, on a member row the caller has locked.
 */
export async function appendEntry(tx: Tx, shop: string, member: Member, entry: EntryInput): Promise<Member> {
  const pendingPoints = entry.pendingPoints ?? 0;
  const balanceAfter = member.balance + entry.points;
  const pendingAfter = member.pending + pendingPoints;
  await tx.ledgerEntry.create({
    data: {
      shop,
      memberId: member.id,
      kind: entry.kind,
      points: entry.points,
      pendingPoints,
      balanceAfter,
      pendingAfter,
      sourceKey: entry.sourceKey,
      orderGid: entry.orderGid,
      rateE4: entry.rateE4,
      multiplierE4: entry.multiplierE4,
      note: entry.note,
      staffId: entry.staffId,
      action: entry.action,
      ...(entry.occurredAt ? { occurredAt: entry.occurredAt } : {}),
    },
  });
  const earned = entry.points + pendingPoints;
  if ((entry.kind === "EARN" || entry.kind === "BONUS") && earned > 0) {
    await recordFlowEvent(tx, shop, {
      trigger: FLOW_TRIGGERS.pointsEarned,
      dedupeKey: `earned:${entry.sourceKey}`,
      customerGid: member.customerGid,
      fields: {
        Points: earned,
        Balance: balanceAfter,
        "Pending points": pendingAfter,
        Reason: entry.note ?? entry.kind,
      },
    });
  }
  noteFollowUp({ queue: "member-sync", shop, memberId: member.id });
  return tx.member.update({
    where: { id: member.id },
    data: {
      balance: balanceAfter,
      pending: pendingAfter,
      syncVersion: { increment: 1 },
      ...(entry.activityAt ? { lastActivityAt: entry.activityAt, expiryWarnedAt: null } : {}),
    },
  });
}

/** Something Shopify shows about the member changed without a ledger entry (codes, tier). */
export async function markMemberChanged(tx: Tx, shop: string, memberId: string): Promise<void> {
  await tx.member.updateMany({ where: { shop, id: memberId }, data: { syncVersion: { increment: 1 } } });
  noteFollowUp({ queue: "member-sync", shop, memberId });
}

/**
 * Every member's copy in Shopify must be written again (a reinstall, a new
 * tier tag prefix, renamed tiers). The reconcile job picks them up.
 */
export async function markAllMembersChanged(tx: Tx, shop: string): Promise<number> {
  const { count } = await tx.member.updateMany({ where: { shop }, data: { syncVersion: { increment: 1 } } });
  return count;
}

/** How many members each tier holds (key null: not yet placed). */
export async function tierMemberCounts(tx: Tx, shop: string): Promise<Record<string, number>> {
  const groups = await tx.member.groupBy({ by: ["tierKey"], where: { shop }, _count: { _all: true } });
  return Object.fromEntries(groups.map((group) => [group.tierKey ?? "", group._count._all]));
}

/**
 * The at-risk segment (the customer list's filter, and win-back campaigns): members whose last
 * order (paid, not cancelled, not a test) is more than `inactiveDays` before `now`, with at least
 * `minOrders` orders. The dashboard's at-risk count is the same rule over recorded orders.
 */
export function atRiskMembers(
  shop: string,
  rule: { inactiveDays: number; minOrders?: number; now: Date },
): Prisma.MemberWhereInput & { lastOrderAt: { lt: Date } } {
  const cutoff = new Date(rule.now.getTime() - rule.inactiveDays * 86_400_000);
  return {
    shop,
    lastOrderAt: { lt: cutoff },
    ...(rule.minOrders && rule.minOrders > 1 ? { orderCount: { gte: rule.minOrders } } : {}),
  };
}

/** How many members the at-risk segment holds. */
export function countAtRiskMembers(
  tx: Tx,
  shop: string,
  rule: { inactiveDays: number; minOrders?: number; now: Date },
): Promise<number> {
  return tx.member.count({ where: atRiskMembers(shop, rule) });
}

/** The at-risk segment's customers, in member id order. */
export async function atRiskCustomers(
  tx: Tx,
  shop: string,
  rule: { inactiveDays: number; minOrders?: number; now: Date },
): Promise<string[]> {
  const members = await tx.member.findMany({
    where: atRiskMembers(shop, rule),
    select: { customerGid: true },
    orderBy: { id: "asc" },
  });
  return members.map((m) => m.customerGid);
}

/** The members' email addresses, by customer. */
export function memberEmails(tx: Tx, shop: string, customerGids: string[]) {
  return tx.member.findMany({
    where: { shop, customerGid: { in: customerGids } },
    select: { customerGid: true, email: true },
  });
}

/** Members whose Shopify copy is behind, without a recorded sync error, and not held by an attempt. */
export function membersDueForSync(tx: Tx, shop: string, now: Date, limit: number) {
  return tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Member"
     WHERE shop = ${shop} AND "syncVersion" > "syncedVersion" AND "syncError" IS NULL
       AND ("syncClaimedUntil" IS NULL OR "syncClaimedUntil" < ${now})
     LIMIT ${limit}`;
}

/** The shop's member with this id; null for another shop's. */
export function findMember(tx: Tx, shop: string, memberId: string): Promise<Member | null> {
  return tx.member.findFirst({ where: { shop, id: memberId } });
}

/** Sets the member's birthday unless one was set before; false when it was. */
export async function setBirthdayOnce(
  tx: Tx,
  shop: string,
  customerGid: string,
  birthday: { month: number; day: number },
  now: Date,
): Promise<boolean> {
  const { count } = await tx.member.updateMany({
    where: { shop, customerGid, birthdaySetAt: null },
    data: { birthdayMonth: birthday.month, birthdayDay: birthday.day, birthdaySetAt: now },
  });
  return count > 0;
}

/** The shop's members with one of these email addresses (any letter case). */
export function membersByEmail(tx: Tx, shop: string, emails: string[]) {
  return tx.member.findMany({
    where: { shop, email: { in: emails, mode: "insensitive" } },
    select: { id: true, email: true },
  });
}

// The member-sync job's claim on a member while it writes Shopify's copy.

/** A member's row by its id alone (one the caller just wrote). */
export function readMember(tx: Tx, memberId: string): Promise<Member> {
  return tx.member.findUniqueOrThrow({ where: { id: memberId } });
}

export function getMember(tx: Tx, shop: string, memberId: string): Promise<Member> {
  return tx.member.findFirstOrThrow({ where: { shop, id: memberId } });
}

/** Claims the member's sync until `until` when no other sync holds it at `at`. */
export async function claimMemberSync(tx: Tx, shop: string, memberId: string, at: Date, until: Date) {
  const claim = await tx.member.updateMany({
    where: { shop, id: memberId, OR: [{ syncClaimedUntil: null }, { syncClaimedUntil: { lt: at } }] },
    data: { syncClaimedUntil: until },
  });
  return claim.count > 0;
}

/** Moves a sync claim from `held` to `next`; false when the member is no longer held so. */
export async function renewMemberSyncClaim(tx: Tx, shop: string, memberId: string, held: Date, next: Date) {
  const { count } = await tx.member.updateMany({
    where: { shop, id: memberId, syncClaimedUntil: held },
    data: { syncClaimedUntil: next },
  });
  return count === 1;
}

/** Ends a sync claim held until `until`; nothing when another sync took the member over. */
export function releaseMemberSyncClaim(tx: Tx, shop: string, memberId: string, until: Date) {
  return tx.member.updateMany({
    where: { shop, id: memberId, syncClaimedUntil: until },
    data: { syncClaimedUntil: null },
  });
}

export async function setMemberTierTag(tx: Tx, shop: string, memberId: string, tag: string | null) {
  await tx.member.updateMany({ where: { shop, id: memberId }, data: { tierTag: tag } });
}

/** Shopify's copy now stands for `syncVersion` (never moving it back); clears the sync error. */
export async function markMemberSynced(tx: Tx, shop: string, memberId: string, syncVersion: number) {
  await tx.member.updateMany({
    where: { shop, id: memberId, syncedVersion: { lt: syncVersion } },
    data: { syncedVersion: syncVersion, syncError: null },
  });
}

/**
 * The member's store credit balance as Shopify answered it at `at` (the member sync:
 * docs/decisions/0025); null forgets it (the shop does not grant the scope to read it).
 */
export async function recordStoreCredit(
  tx: Tx,
  shop: string,
  memberId: string,
  credit: { amountMilli: bigint; currencyCode: string } | null,
  at: Date,
) {
  await tx.member.updateMany({
    where: { shop, id: memberId },
    data: credit
      ? { storeCreditMilli: credit.amountMilli, creditCurrency: credit.currencyCode, creditReadAt: at }
      : { storeCreditMilli: null, creditCurrency: null, creditReadAt: null },
  });
}

export async function recordMemberSyncError(tx: Tx, shop: string, memberId: string, error: string) {
  await tx.member.updateMany({ where: { shop, id: memberId }, data: { syncError: error } });
}

// The daily maintenance's passes over members.

/** A page of the shop's member ids in id order, after `cursor` (an id) when given. */
export async function memberIdsPage(tx: Tx, shop: string, take: number, cursor?: string): Promise<string[]> {
  const members = await tx.member.findMany({
    where: { shop },
    orderBy: { id: "asc" },
    take,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: { id: true },
  });
  return members.map((m) => m.id);
}

/** Members with a balance and some activity: the ones points can expire for. */
export async function membersWhosePointsCanExpire(tx: Tx, shop: string): Promise<string[]> {
  const members = await tx.member.findMany({
    where: { shop, balance: { gt: 0 }, lastActivityAt: { not: null } },
    select: { id: true },
  });
  return members.map((m) => m.id);
}

/** Members whose birthday month has come this year (up to `month`) and who got no bonus this year. */
export async function membersDueABirthdayBonus(tx: Tx, shop: string, month: number, year: number) {
  const members = await tx.member.findMany({
    where: {
      shop,
      birthdayMonth: { lte: month },
      OR: [{ lastBirthdayYear: null }, { lastBirthdayYear: { lt: year } }],
    },
    select: { id: true },
  });
  return members.map((m) => m.id);
}

export async function markExpiryWarned(tx: Tx, memberId: string, now: Date): Promise<void> {
  await tx.member.update({ where: { id: memberId }, data: { expiryWarnedAt: now } });
}

export async function markBirthdayBonusGiven(tx: Tx, memberId: string, year: number): Promise<void> {
  await tx.member.update({ where: { id: memberId }, data: { lastBirthdayYear: year } });
}

/** The members of these customers, with what a list of people shows. */
export function membersOfCustomers(tx: Tx, shop: string, customerGids: string[]) {
  return tx.member.findMany({
    where: { shop, customerGid: { in: customerGids } },
    select: { id: true, customerGid: true, email: true, firstName: true, lastName: true },
  });
}

// The admin's customer pages and exports.

const LISTED_MEMBER = {
  id: true,
  customerGid: true,
  email: true,
  firstName: true,
  lastName: true,
  balance: true,
  pending: true,
  tierKey: true,
  createdAt: true,
  orderCount: true,
  totalSpentMilli: true,
  lastOrderAt: true,
} as const;

/** Members matching `where`, in `orderBy`, with what the customer list shows. */
export function memberListRows(
  tx: Tx,
  where: Prisma.MemberWhereInput,
  orderBy: Prisma.MemberOrderByWithRelationInput[],
  take: number,
) {
  return tx.member.findMany({ where, orderBy, take, select: LISTED_MEMBER });
}

/** How many members match `where` (the customer list's total, across its pages). */
export function countListedMembers(tx: Tx, where: Prisma.MemberWhereInput) {
  return tx.member.count({ where });
}

/**
 * The member's latest ledger entries, newest first, each with the name of the order it is for
 * ("#1001"; null when it is for no order, or for one recorded before names were kept).
 */
export async function recentLedgerEntries(tx: Tx, shop: string, memberId: string, take: number) {
  const entries = await tx.ledgerEntry.findMany({ where: { shop, memberId }, orderBy: { id: "desc" }, take });
  const orderGids = [...new Set(entries.flatMap((entry) => (entry.orderGid ? [entry.orderGid] : [])))];
  const orders =
    orderGids.length === 0
      ? []
      : await tx.orderRecord.findMany({
          where: { shop, orderGid: { in: orderGids }, name: { not: null } },
          select: { orderGid: true, name: true },
        });
  const names = new Map(orders.map((order) => [order.orderGid, order.name]));
  return entries.map((entry) => ({
    ...entry,
    orderName: (entry.orderGid && names.get(entry.orderGid)) ?? null,
  }));
}

/** A page of the shop's members in id order, after `after` (an id). */
export function membersPage(tx: Tx, shop: string, after: string | null, take: number): Promise<Member[]> {
  return tx.member.findMany({
    where: { shop, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
  });
}

/** The members of these customers: how to reach them. */
export function memberContacts(tx: Tx, shop: string, customerGids: string[]) {
  return tx.member.findMany({
    where: { shop, customerGid: { in: customerGids } },
    select: { customerGid: true, email: true, firstName: true, lastName: true },
  });
}

export type LedgerExportLine = {
  id: bigint;
  customerGid: string;
  kind: string;
  points: number;
  pendingPoints: number;
  balanceAfter: number;
  orderGid: string | null;
  /** "#1001"; null for an entry for no order, or an order recorded before names were kept. */
  orderName: string | null;
  note: string | null;
  staffId: string | null;
  createdAt: Date;
};

/** A page of the shop's ledger in id order after `after`, each entry with its member's customer. */
export function ledgerExportPage(tx: Tx, shop: string, after: bigint | null, take: number) {
  // One statement a page, the member's customer joined in (the ledger is the longest export:
  // ten entries a member or more).
  return tx.$queryRaw<LedgerExportLine[]>`
    SELECT e.id, m."customerGid", e.kind::text AS kind, e.points, e."pendingPoints",
           e."balanceAfter", e."orderGid", o.name AS "orderName", e.note, e."staffId", e."createdAt"
    FROM "LedgerEntry" e JOIN "Member" m ON m.id = e."memberId" AND m.shop = e.shop
    LEFT JOIN "OrderRecord" o ON o.shop = e.shop AND o."orderGid" = e."orderGid"
    WHERE e.shop = ${shop} AND e.id > ${after ?? -1n}
    ORDER BY e.id
    LIMIT ${take}`;
}
