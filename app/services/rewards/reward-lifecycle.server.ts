/**
 * What happens to a code after it is issued: used by an order, given back
 * when that order is cancelled (setting, default on), revoked by staff
 * (deleted in Shopify, points back), or expired unused (points back is a
 * setting, default off). Points come back at most once per redemption.
 */
import type { PrismaClient, Redemption, RedemptionStatus } from "@prisma/client";
import { appendEntry, lockMember, markMemberChanged } from "../../db/members.server";
import { findProgram, type ProgramWithTiers } from "../../db/program.server";
import {
  expiredIssuedIds,
  findRedemption,
  getRedemption,
  markPointsReturned,
  markRedemptionExpired,
  markRedemptionUsed,
  redemptionsWithCodes,
} from "../../db/redemptions.server";
import { inTransaction, type Tx } from "../../db/tx.server";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { deleteRewardCode } from "../../shopify/admin-api/discount-codes.server";
import { storedText } from "../../db/stored-text";

/** Gives a redemption's points back (once) and sets its status, in the caller's transaction. */
export async function returnRedemptionPoints(
  tx: Tx,
  shop: string,
  redemption: Redemption,
  input: { status: RedemptionStatus; reason: string; now: Date; staffId?: string; error?: string },
): Promise<Redemption> {
  const member = await lockMember(tx, shop, redemption.memberId);
  const current = await getRedemption(tx, shop, redemption.id);
  if (current.pointsReturnedAt) return current;
  // A free code (a tier's entry reward) cost nothing: there is nothing to give back.
  if (current.pointsCost > 0) {
    await appendEntry(tx, shop, member, {
      kind: "REDEEM_REFUND",
      points: current.pointsCost,
      sourceKey: `redeem-refund:${current.id}`,
      note: input.reason.slice(0, 500),
      staffId: input.staffId,
    });
  } else {
    await markMemberChanged(tx, shop, member.id);
  }
  return markPointsReturned(tx, current.id, {
    status: input.status,
    now: input.now,
    error: input.error ? storedText(input.error) : undefined,
  });
}

/**
 * Called with every order snapshot: codes of ours on the order become USED;
 * if the order is cancelled, their points come back (when the program says so).
 */
export async function applyOrderCodes(
  tx: Tx,
  shop: string,
  order: { orderGid: string; discountCodes: string[]; cancelledAt: Date | null },
  program: ProgramWithTiers,
  now: Date,
): Promise<void> {
  if (order.discountCodes.length === 0) return;
  const redemptions = await redemptionsWithCodes(tx, shop, order.discountCodes);
  for (const redemption of redemptions) {
    const unused = redemption.status === "ISSUED" || redemption.status === "EXPIRED";
    if (unused) {
      await markRedemptionUsed(tx, redemption.id, order.orderGid, now);
      await markMemberChanged(tx, shop, redemption.memberId);
    }
    const usedByThisOrder =
      unused || (redemption.status === "USED" && redemption.usedOrderGid === order.orderGid);
    if (order.cancelledAt && usedByThisOrder && program.returnPointsOnCancel) {
      await returnRedemptionPoints(tx, shop, redemption, {
        status: "USED",
        reason: `Order ${order.orderGid} was cancelled`,
        now,
      });
    }
  }
}

export class RevokeError extends Error {
  constructor(readonly reason: "not found" | "not revocable") {
    super(reason);
    this.name = "RevokeError";
  }
}

/** Staff revokes an unused code: deleted in Shopify first, then the points come back. */
export async function revokeCode(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  input: { redemptionId: string; staffId: string },
  now: Date,
): Promise<Redemption> {
  const redemption = await findRedemption(db, shop, input.redemptionId);
  if (!redemption) throw new RevokeError("not found");
  if (redemption.status !== "ISSUED") throw new RevokeError("not revocable");
  // Transient failures propagate: nothing changes here until Shopify confirms.
  if (redemption.discountNodeId) await deleteRewardCode(admin, redemption.discountNodeId);
  return inTransaction(db, async (tx) => {
    const current = await getRedemption(tx, shop, redemption.id);
    if (current.status !== "ISSUED") return current; // used in the meantime: keep what happened
    return returnRedemptionPoints(tx, shop, current, {
      status: "REVOKED",
      reason: "Revoked by staff",
      now,
      staffId: input.staffId,
    });
  });
}

/** Marks issued codes past their end as expired; points come back if the program says so. */
export async function expireCodes(db: PrismaClient, shop: string, now: Date): Promise<number> {
  const program = await findProgram(db, shop);
  const due = await expiredIssuedIds(db, shop, now, 1000);
  for (const { id } of due) {
    await inTransaction(db, async (tx) => {
      const current = await getRedemption(tx, shop, id);
      if (current.status !== "ISSUED") return;
      if (program?.returnPointsOnExpiry) {
        await returnRedemptionPoints(tx, shop, current, {
          status: "EXPIRED",
          reason: "Code expired unused",
          now,
        });
      } else {
        await markRedemptionExpired(tx, id);
        await markMemberChanged(tx, shop, current.memberId);
      }
    });
  }
  return due.length;
}
