/**
 * Keeps Shopify's copy of a member (customer metafields and the tier tag) up to date,
 * coalesced: every change bumps the member's syncVersion; a sync claims the
 * member (one sync per member at a time), reads the newest state with its
 * version, writes it, and records that version only if it is newer than the
 * one recorded. A burst of changes costs a handful of writes, the last write
 * is always the newest state, and a stale write can never land after a newer
 * one because syncs of one member never overlap.
 */
import type { PrismaClient } from "@prisma/client";
import type { AdminGraphql } from "../shopify/admin-client.server";
import { ensureProgram } from "../db/program.server";
import { replaceTierTag, tierTag } from "../shopify/customer-tags.server";
import { writeMemberMetafields, type MemberState } from "../shopify/member-metafields.server";
import { storefrontStatus } from "./storefront-status.server";

const CLAIM_MS = 60_000;

export async function memberState(
  db: PrismaClient,
  shop: string,
  customerGid: string,
  now: Date,
): Promise<MemberState> {
  const status = await storefrontStatus(db, shop, customerGid, now);
  if (!status.loggedIn) throw new Error("unreachable: a customer was given");
  return {
    points: status.points,
    pending: status.pending,
    tier: status.tier ?? status.program.tiers[0]?.name ?? "Member",
    nextTier: status.nextTier,
    codes: status.codes,
  };
}

/**
 * Syncs one member if it changed since the last sync. Returns the metafield
 * writes and tier tag changes made
 * and whether another sync held the member (then the caller tries again
 * later, so a change made during that sync's last round is not left behind).
 * Safe to call from any number of jobs at once.
 */
export async function syncMember(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  memberId: string,
  now: () => Date = () => new Date(),
): Promise<{ writes: number; tagChanges: number; deferred: boolean }> {
  let writes = 0;
  let tagChanges = 0;
  for (let round = 0; round < 5; round++) {
    const at = now();
    const member = await db.member.findFirst({ where: { shop, id: memberId } });
    if (!member || member.syncVersion <= member.syncedVersion) return { writes, tagChanges, deferred: false };
    const claim = await db.member.updateMany({
      where: { shop, id: memberId, OR: [{ syncClaimedUntil: null }, { syncClaimedUntil: { lt: at } }] },
      data: { syncClaimedUntil: new Date(at.getTime() + CLAIM_MS) },
    });
    if (claim.count === 0) return { writes, tagChanges, deferred: true };
    try {
      // Read the version before the state: the state is at least that new.
      const { syncVersion, tierTag: taggedWith } = await db.member.findFirstOrThrow({
        where: { shop, id: memberId },
      });
      const state = await memberState(db, shop, member.customerGid, at);
      await writeMemberMetafields(admin, member.customerGid, state);
      writes++;
      const tag = tierTag((await ensureProgram(db, shop)).tierTagPrefix, state.tier);
      if (tag !== taggedWith) {
        await replaceTierTag(admin, member.customerGid, taggedWith, tag);
        await db.member.updateMany({ where: { shop, id: memberId }, data: { tierTag: tag } });
        tagChanges++;
      }
      await db.member.updateMany({
        where: { shop, id: memberId, syncedVersion: { lt: syncVersion } },
        data: { syncedVersion: syncVersion, syncError: null },
      });
    } catch (error) {
      await db.member.updateMany({
        where: { shop, id: memberId },
        data: { syncError: (error as Error).message.slice(0, 2000) },
      });
      throw error;
    } finally {
      await db.member.updateMany({ where: { shop, id: memberId }, data: { syncClaimedUntil: null } });
    }
  }
  return { writes, tagChanges, deferred: true };
}
