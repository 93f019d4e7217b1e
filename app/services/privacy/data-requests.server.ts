/**
 * Customers' data requests as the merchant handles them: the ones waiting
 * (Home's attention list, the customer's page), the download of what
 * Regulars holds on the customer, and "Mark as delivered" with who and when.
 * Requests are recorded by customers/data_request (recordDataRequest in
 * customer-identity.server.ts). Every query is the shop's own.
 */
import type { PrismaClient } from "@prisma/client";
import {
  findDataRequest,
  markRequestDelivered,
  waitingRequestOf,
  waitingRequests,
} from "../../db/data-requests.server";
import { membersOfCustomers } from "../../db/members.server";
import { customerDataJson } from "./customer-data-export.server";
import type { DownloadFile } from "../exports/download-file";
import { textStream } from "../exports/text-stream.server";

/** Shopify asks apps to act on a compliance webhook within 30 days of receiving it
 * (https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance). */
const RESPOND_WITHIN_DAYS = 30;
const DAY = 86_400_000;
/** How many waiting requests Home lists (the rest are counted). */
const LISTED = 20;

export const respondBy = (requestedAt: Date) => new Date(requestedAt.getTime() + RESPOND_WITHIN_DAYS * DAY);

export interface WaitingRequest {
  id: string;
  customerId: string;
  memberId: string | null;
  name: string | null;
  email: string | null;
  requestedAt: string;
  respondBy: string;
  overdue: boolean;
}

const customerIdOf = (gid: string) => gid.replace("gid://shopify/Customer/", "");

async function describe(
  db: PrismaClient,
  shop: string,
  requests: { id: string; customerGid: string; requestedAt: Date }[],
  now: Date,
): Promise<WaitingRequest[]> {
  const members = await membersOfCustomers(
    db,
    shop,
    requests.map((r) => r.customerGid),
  );
  const byCustomer = new Map(members.map((m) => [m.customerGid, m]));
  return requests.map((r) => {
    const member = byCustomer.get(r.customerGid);
    const name = [member?.firstName, member?.lastName].filter(Boolean).join(" ");
    const due = respondBy(r.requestedAt);
    return {
      id: r.id,
      customerId: customerIdOf(r.customerGid),
      memberId: member?.id ?? null,
      name: name || null,
      email: member?.email ?? null,
      requestedAt: r.requestedAt.toISOString(),
      respondBy: due.toISOString(),
      overdue: due < now,
    };
  });
}

/** The shop's waiting requests, oldest (most urgent) first: the first LISTED and how many in all. */
export async function waitingDataRequests(db: PrismaClient, shop: string, now: Date) {
  const { total, requests } = await waitingRequests(db, shop, LISTED);
  return { total, requests: await describe(db, shop, requests, now) };
}

/** The customer's waiting request, if any (the customer's page). */
export async function waitingDataRequestOf(db: PrismaClient, shop: string, customerGid: string, now: Date) {
  const request = await waitingRequestOf(db, shop, customerGid);
  return request ? (await describe(db, shop, [request], now))[0]! : null;
}

/**
 * Marks the shop's request delivered by `staffId` now. A request already
 * delivered keeps who and when it was first; another shop's is not found (null).
 */
export async function markDataRequestDelivered(
  db: PrismaClient,
  shop: string,
  requestId: string,
  staffId: string,
  now: Date,
): Promise<{ delivered: "now" | "before" } | null> {
  if (await markRequestDelivered(db, shop, requestId, staffId, now)) return { delivered: "now" };
  return (await findDataRequest(db, shop, requestId)) ? { delivered: "before" } : null;
}

/** The download for a request: everything held on its customer, as JSON; null if not the shop's. */
export async function dataRequestFile(
  db: PrismaClient,
  shop: string,
  requestId: string,
): Promise<DownloadFile | null> {
  const request = await findDataRequest(db, shop, requestId);
  if (!request) return null;
  return {
    name: `regulars-customer-${customerIdOf(request.customerGid)}-data.json`,
    type: "application/json; charset=utf-8",
    open: () => textStream(customerDataJson(db, shop, request.customerGid, request, new Date())),
  };
}
