/**
 * A member's part of the storefront status, in one statement on the
 * driver: balance, pending points and tier, their order figures since the
 * tier window's start (MEMBER_ACTIVITY_SQL, as tiers count them), their
 * live codes and their last few balance changes.
 * The app proxy answers this on every page a logged-in shopper opens; one
 * round trip and no Prisma query compilation keep it cheap.
 */
import type { PrismaClient } from "@prisma/client";
import { sqlOf } from "./connect.server";
import { MEMBER_ACTIVITY_SQL } from "./orders.server";

export interface MemberStatus {
  id: string;
  /** The member's referral link code, once given (app/services/referrals/). */
  referralCode: string | null;
  balance: number;
  pending: number;
  tierKey: string | null;
  /** The customer's tags as last known (exclusions). */
  tags: string[];
  activity: { spend: bigint; points: bigint; orders: bigint };
  /** Issued codes not yet ended, newest first. */
  codes: { code: string; rewardKey: string; title: string | null; endsAt: string }[];
  /**
   * The last HISTORY_SIZE changes to the balance, newest first; `orderName` ("#1001") is the
   * name of the order an entry came from (null when it came from none, or the order's name is
   * not known yet).
   */
  history: { kind: string; points: number; at: string; orderName: string | null }[];
  /** Their store credit as the member sync last read it from Shopify (docs/decisions/0025); null: never read. */
  storeCredit: { amountMilli: bigint; currencyCode: string; readAt: string } | null;
}

/** How many recent ledger entries the storefront shows (and the member metafield holds). */
const HISTORY_SIZE = 5;

/** null when the customer is not a member (yet). */
export async function readMemberStatus(
  db: PrismaClient,
  shop: string,
  customerGid: string,
  since: Date | null,
  now: Date,
): Promise<MemberStatus | null> {
  // Timestamps are UTC wall time (Prisma's DateTime): instants go in as ISO text.
  const { rows } = await sqlOf(db).executeSql(
    `WITH m AS (
       SELECT id, balance, pending, "tierKey", "referralCode", tags, "storeCreditMilli", "creditCurrency",
              "creditReadAt"
         FROM "Member" WHERE shop = $1 AND "customerGid" = $2
     )
     SELECT m.id, m."referralCode", m.balance, m.pending, m."tierKey", m.tags,
            m."storeCreditMilli"::text AS "storeCreditMilli", m."creditCurrency",
            to_char(m."creditReadAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "creditReadAt",
            a.spend::text AS spend, a.points::text AS points, a.orders::text AS orders,
            COALESCE((
              SELECT json_agg(json_build_object(
                       'code', r.code, 'rewardKey', r."rewardKey", 'title', r.reward->>'title',
                       'endsAt', to_char(r."endsAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                     ORDER BY r."createdAt" DESC)
                FROM "Redemption" r
               WHERE r.shop = $1 AND r."memberId" = m.id AND r.status = 'ISSUED'
                 AND r."endsAt" > ($4::timestamptz AT TIME ZONE 'UTC')
            ), '[]'::json) AS codes,
            COALESCE((
              SELECT json_agg(json_build_object(
                       'kind', l.kind, 'points', l.points,
                       'at', to_char(l."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'orderName', o.name)
                     ORDER BY l.id DESC)
                FROM (SELECT kind, points, "createdAt", id, "orderGid" FROM "LedgerEntry"
                       WHERE shop = $1 AND "memberId" = m.id AND points <> 0
                       ORDER BY id DESC LIMIT ${HISTORY_SIZE}) l
                LEFT JOIN "OrderRecord" o ON o.shop = $1 AND o."orderGid" = l."orderGid"
            ), '[]'::json) AS history
       FROM m
       CROSS JOIN LATERAL (${MEMBER_ACTIVITY_SQL}) a`,
    [shop, customerGid, (since ?? new Date(0)).toISOString(), now.toISOString()],
  );
  const row = rows[0] as
    | {
        id: string;
        referralCode: string | null;
        balance: number;
        pending: number;
        tierKey: string | null;
        tags: string[] | null;
        storeCreditMilli: string | null;
        creditCurrency: string | null;
        creditReadAt: string | null;
        spend: string;
        points: string;
        orders: string;
        codes: MemberStatus["codes"] | string;
        history: MemberStatus["history"] | string;
      }
    | undefined;
  if (!row) return null;
  return {
    id: row.id,
    referralCode: row.referralCode,
    balance: row.balance,
    pending: row.pending,
    tierKey: row.tierKey,
    tags: Array.isArray(row.tags) ? row.tags : [],
    activity: { spend: BigInt(row.spend), points: BigInt(row.points), orders: BigInt(row.orders) },
    codes: typeof row.codes === "string" ? JSON.parse(row.codes) : row.codes,
    history: typeof row.history === "string" ? JSON.parse(row.history) : row.history,
    storeCredit:
      row.storeCreditMilli !== null && row.creditCurrency !== null && row.creditReadAt !== null
        ? {
            amountMilli: BigInt(row.storeCreditMilli),
            currencyCode: row.creditCurrency,
            readAt: row.creditReadAt,
          }
        : null,
  };
}
