/**
 * Referrals' rows: members' link codes, visits, referrals and their review, and the dashboard's
 * referral figures. The shop first in every call.
 */
import type { Member, Prisma, Program, Referral } from "@prisma/client";
import type { ReferralSettings } from "../loyalty/referrals";
import type { Tx } from "./tx.server";

export function referralSettingsOf(program: Program): ReferralSettings {
  return {
    enabled: program.referralsEnabled,
    referrerPoints: program.referrerPoints,
    refereePercent: program.refereePercent,
    checkSelf: program.referralCheckSelf,
    checkAddress: program.referralCheckAddress,
    checkCard: program.referralCheckCard,
    checkNew: program.referralCheckNew,
    monthlyCap: program.referralMonthlyCap,
    rewardKey: program.referralRewardKey,
  };
}

export async function updateReferralSettings(
  tx: Tx,
  shop: string,
  settings: ReferralSettings,
): Promise<void> {
  await tx.program.update({
    where: { shop },
    data: {
      referralsEnabled: settings.enabled,
      referrerPoints: settings.referrerPoints,
      refereePercent: settings.refereePercent,
      referralCheckSelf: settings.checkSelf,
      referralCheckAddress: settings.checkAddress,
      referralCheckCard: settings.checkCard,
      referralCheckNew: settings.checkNew,
      referralMonthlyCap: settings.monthlyCap,
      referralRewardKey: settings.rewardKey,
    },
  });
}

/**
 * Gives the member `code` as their link code unless they have one; returns the code they have.
 * Null when `code` is taken by another member of the shop (the caller draws another).
 */
export async function assignReferralCode(tx: Tx, shop: string, memberId: string, code: string) {
  const taken = await tx.member.findUnique({ where: { shop_referralCode: { shop, referralCode: code } } });
  if (taken && taken.id !== memberId) return null;
  await tx.member.updateMany({
    where: { shop, id: memberId, referralCode: null },
    data: { referralCode: code },
  });
  const member = await tx.member.findFirstOrThrow({
    where: { shop, id: memberId },
    select: { referralCode: true },
  });
  return member.referralCode;
}

export function memberByReferralCode(tx: Tx, shop: string, code: string): Promise<Member | null> {
  return tx.member.findUnique({ where: { shop_referralCode: { shop, referralCode: code } } });
}

export async function recordReferralVisit(tx: Tx, shop: string, referrerId: string, at: Date): Promise<void> {
  await tx.referralVisit.create({ data: { shop, referrerId, createdAt: at } });
}

export function referralOfReferee(tx: Tx, shop: string, refereeEmail: string): Promise<Referral | null> {
  return tx.referral.findUnique({ where: { shop_refereeEmail: { shop, refereeEmail } } });
}

export function findReferral(tx: Tx, shop: string, id: string): Promise<Referral | null> {
  return tx.referral.findFirst({ where: { shop, id } });
}

/** Locks a referral's row for the transaction (settling and reviewing one never overlap). */
export async function lockReferral(tx: Tx, shop: string, id: string): Promise<Referral | null> {
  await tx.$queryRaw`SELECT id FROM "Referral" WHERE shop = ${shop} AND id = ${id} FOR UPDATE`;
  return findReferral(tx, shop, id);
}

/** A new referral; null when this referee already has one (one per referee, ever). */
export async function createReferral(
  tx: Tx,
  shop: string,
  data: {
    referrerId: string;
    refereeEmail: string;
    refereeCustomerGid: string | null;
    code: string;
    at: Date;
  },
): Promise<Referral | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Referral" (id, shop, "referrerId", "refereeEmail", "refereeCustomerGid", code, "createdAt", "updatedAt")
    VALUES (${`ref_${data.code}`}, ${shop}, ${data.referrerId}, ${data.refereeEmail}, ${data.refereeCustomerGid},
            ${data.code}, ${data.at}, ${data.at})
    ON CONFLICT DO NOTHING RETURNING id`;
  if (rows.length === 0) return null;
  return findReferral(tx, shop, rows[0]!.id);
}

export function updateReferral(
  tx: Tx,
  shop: string,
  id: string,
  data: Prisma.ReferralUpdateManyMutationInput,
) {
  return tx.referral.updateMany({ where: { shop, id }, data });
}

/** Referrals still waiting for a first order or its pending window, by id, with their codes. */
export function openReferrals(tx: Tx, shop: string, after: string | null, take: number) {
  return tx.referral.findMany({
    where: { shop, status: { in: ["ISSUED", "ORDERED"] }, ...(after ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
    select: { id: true, code: true },
  });
}

/**
 * The open referrals (waiting for a first order or its window) whose code is one of these, codes
 * compared without case (ours are upper case): the unique (shop, code) index answers it.
 */
export function openReferralsWithCodes(tx: Tx, shop: string, codes: readonly string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return tx.referral.findMany({
    where: {
      shop,
      status: { in: ["ISSUED", "ORDERED"] },
      code: { in: [...new Set(codes.map((code) => code.toUpperCase()))] },
    },
    orderBy: { id: "asc" },
    select: { id: true, code: true, orderGid: true },
  });
}

/**
 * For each of these codes, the first order (paid first, then created first) that used it; codes
 * compared without case, as Shopify does. One scan of the shop's orders that used any code,
 * which the partial index "OrderRecord_shop_with_codes_idx" (migration 20261207154947_referrals)
 * keeps to those few.
 */
export async function firstOrdersWithCodes(tx: Tx, shop: string, codes: readonly string[]) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await tx.$queryRaw<{ code: string; orderGid: string }[]>`
    SELECT DISTINCT ON (upper(c)) upper(c) AS code, o."orderGid"
    FROM "OrderRecord" o CROSS JOIN LATERAL unnest(o."discountCodes") c
    WHERE o.shop = ${shop} AND o."discountCodes" <> '{}' AND o.test = false
      AND upper(c) = ANY (${codes.map((code) => code.toUpperCase())}::text[])
    ORDER BY upper(c), COALESCE(o."paidAt", o."createdAt"), o.id`;
  return new Map(rows.map((row) => [row.code, row.orderGid]));
}

export function orderRecordOf(tx: Tx, shop: string, orderGid: string) {
  return tx.orderRecord.findUnique({ where: { shop_orderGid: { shop, orderGid } } });
}

/** Whether the customer (or email, for a guest) had a paid order before `before`, other than `orderGid`. */
export async function orderedBefore(
  tx: Tx,
  shop: string,
  who: { customerGid: string | null; email: string },
  orderGid: string,
  before: Date,
): Promise<boolean> {
  const found = await tx.orderRecord.findFirst({
    where: {
      shop,
      test: false,
      orderGid: { not: orderGid },
      paidAt: { lt: before },
      OR: [...(who.customerGid ? [{ customerGid: who.customerGid }] : []), { guestEmail: who.email }],
    },
    select: { id: true },
  });
  return found !== null;
}

/**
 * Where the referrer's own orders shipped (their keyed hashes: OrderRecord.shippingAddressHash),
 * other than `exceptOrderGid`, for the same-address check.
 */
export async function shippingAddressHashesOf(
  tx: Tx,
  shop: string,
  customerGid: string,
  exceptOrderGid: string,
): Promise<string[]> {
  const rows = await tx.orderRecord.findMany({
    where: { shop, customerGid, orderGid: { not: exceptOrderGid }, shippingAddressHash: { not: null } },
    select: { shippingAddressHash: true },
    distinct: ["shippingAddressHash"],
    take: 1000,
  });
  return rows.flatMap((row) => (row.shippingAddressHash ? [row.shippingAddressHash] : []));
}

export function paidReferralsSince(tx: Tx, shop: string, referrerId: string, since: Date): Promise<number> {
  return tx.referral.count({ where: { shop, referrerId, status: "PAID", paidAt: { gte: since } } });
}

/** The review queue: held referrals, oldest first, with their referrer. */
export async function heldReferrals(tx: Tx, shop: string, take: number) {
  const rows = await tx.referral.findMany({
    where: { shop, status: "HELD" },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take,
  });
  const referrers = await tx.member.findMany({
    where: { shop, id: { in: [...new Set(rows.map((r) => r.referrerId))] } },
    select: { id: true, email: true, firstName: true, lastName: true, customerGid: true },
  });
  const byId = new Map(referrers.map((m) => [m.id, m]));
  return rows.map((row) => ({ ...row, referrer: byId.get(row.referrerId) ?? null }));
}

/** The dashboard's referral figures since `since`. */
export async function referralFigures(tx: Tx, shop: string, since: Date) {
  const [visits, referees, ordered, paid, held, revenue] = await Promise.all([
    tx.referralVisit.count({ where: { shop, createdAt: { gte: since } } }),
    tx.referral.count({ where: { shop, createdAt: { gte: since } } }),
    tx.referral.count({ where: { shop, orderedAt: { gte: since } } }),
    tx.referral.aggregate({
      where: { shop, status: "PAID", paidAt: { gte: since } },
      _count: { _all: true },
      _sum: { rewardPoints: true },
    }),
    tx.referral.count({ where: { shop, status: "HELD" } }),
    tx.referral.aggregate({ where: { shop, orderedAt: { gte: since } }, _sum: { revenueMilli: true } }),
  ]);
  return {
    visits,
    referees,
    firstOrders: ordered,
    rewardsPaid: paid._count._all,
    pointsPaid: paid._sum.rewardPoints ?? 0,
    held,
    revenueMilli: revenue._sum.revenueMilli ?? 0n,
  };
}
