/**
 * CSV exports, streamed a page at a time (keyset on id) so a shop with a
 * million members is exported without holding it in memory: the next page
 * is read only when the reader took the previous one (text-stream.server.ts).
 */
import type { PrismaClient } from "@prisma/client";
import { recipientsPage } from "../../db/campaigns.server";
import { ledgerExportPage, memberContacts, membersPage } from "../../db/members.server";
import { csvLine } from "../../loyalty/csv";
import { formatMilli } from "../../loyalty/money";
import { textStream } from "./text-stream.server";

const PAGE = 1000;

function streamPages<Row extends { id: string | bigint }>(
  header: string[],
  page: (after: Row["id"] | null) => Promise<Row[]>,
  line: (row: Row) => (string | number | null)[],
): ReadableStream<Uint8Array> {
  return textStream(
    (async function* () {
      yield csvLine(header);
      let after: Row["id"] | null = null;
      for (;;) {
        const rows = await page(after);
        if (rows.length === 0) return;
        yield rows.map((row) => csvLine(line(row))).join("");
        after = rows[rows.length - 1]!.id;
      }
    })(),
  );
}

export const CSV_TYPE = "text/csv; charset=utf-8";

export function exportMembers(db: PrismaClient, shop: string) {
  return streamPages(
    [
      "customer_id",
      "email",
      "first_name",
      "last_name",
      "points",
      "pending_points",
      "tier",
      "orders",
      "spent",
      "last_order_at",
      "joined_at",
    ],
    (after: string | null) => membersPage(db, shop, after, PAGE),
    (m) => [
      m.customerGid.replace("gid://shopify/Customer/", ""),
      m.email,
      m.firstName,
      m.lastName,
      m.balance,
      m.pending,
      m.tierKey,
      m.orderCount,
      formatMilli(m.totalSpentMilli),
      m.lastOrderAt?.toISOString() ?? null,
      m.createdAt.toISOString(),
    ],
  );
}

const LEDGER_PAGE = 5000;

export function exportLedger(db: PrismaClient, shop: string) {
  return streamPages(
    [
      "entry_id",
      "customer_id",
      "kind",
      "points",
      "pending_points",
      "balance_after",
      "order_id",
      "order_name",
      "note",
      "staff_id",
      "created_at",
    ],
    async (after: bigint | null) => ledgerExportPage(db, shop, after, LEDGER_PAGE),
    (e) => [
      e.id.toString(),
      e.customerGid.replace("gid://shopify/Customer/", ""),
      e.kind,
      e.points,
      e.pendingPoints,
      e.balanceAfter,
      e.orderGid?.replace("gid://shopify/Order/", "") ?? null,
      e.orderName,
      e.note,
      e.staffId,
      e.createdAt.toISOString(),
    ],
  );
}

/**
 * A win-back campaign's codes, one line per customer in its segment (for an email tool that
 * sends each customer their own code). Scoped by shop and campaign.
 */
export function exportCampaignCodes(db: PrismaClient, shop: string, campaignId: string, endsAt: Date) {
  return streamPages(
    ["customer_id", "email", "first_name", "last_name", "code", "status", "expires_at"],
    async (after: string | null) => {
      const recipients = await recipientsPage(db, shop, campaignId, after, PAGE);
      const members = await memberContacts(
        db,
        shop,
        recipients.map((r) => r.customerGid),
      );
      const byCustomer = new Map(members.map((m) => [m.customerGid, m]));
      return recipients.map((r) => ({ ...r, member: byCustomer.get(r.customerGid) }));
    },
    (r) => [
      r.customerGid.replace("gid://shopify/Customer/", ""),
      r.member?.email ?? null,
      r.member?.firstName ?? null,
      r.member?.lastName ?? null,
      r.code,
      r.status,
      endsAt.toISOString(),
    ],
  );
}
