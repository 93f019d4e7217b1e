/**
 * Customers' data requests (customers/data_request): one waiting request per
 * customer until the merchant marks it delivered. Every query is scoped by shop.
 */
import type { DataRequest } from "@prisma/client";
import type { Tx } from "./tx.server";

/** The customer's waiting request: the one recorded now, or the one already waiting. */
export async function recordWaitingRequest(
  tx: Tx,
  shop: string,
  customerGid: string,
  now: Date,
): Promise<DataRequest> {
  await tx.dataRequest.createMany({
    data: [{ shop, customerGid, requestedAt: now, waitingFor: customerGid }],
    skipDuplicates: true,
  });
  return tx.dataRequest.findUniqueOrThrow({ where: { shop_waitingFor: { shop, waitingFor: customerGid } } });
}

export function waitingRequestOf(tx: Tx, shop: string, customerGid: string): Promise<DataRequest | null> {
  return tx.dataRequest.findUnique({ where: { shop_waitingFor: { shop, waitingFor: customerGid } } });
}

/** How many requests wait, and the first `take`, oldest first. */
export async function waitingRequests(tx: Tx, shop: string, take: number) {
  const where = { shop, deliveredAt: null };
  const [total, requests] = await Promise.all([
    tx.dataRequest.count({ where }),
    tx.dataRequest.findMany({ where, orderBy: [{ requestedAt: "asc" }, { id: "asc" }], take }),
  ]);
  return { total, requests };
}

export function findDataRequest(tx: Tx, shop: string, id: string): Promise<DataRequest | null> {
  return tx.dataRequest.findFirst({ where: { shop, id } });
}

/** Marks a waiting request delivered by `staffId`; false when it was not waiting (or is not the shop's). */
export async function markRequestDelivered(
  tx: Tx,
  shop: string,
  id: string,
  staffId: string,
  now: Date,
): Promise<boolean> {
  const marked = await tx.dataRequest.updateMany({
    where: { shop, id, deliveredAt: null },
    data: { deliveredAt: now, deliveredBy: staffId, waitingFor: null },
  });
  return marked.count > 0;
}
