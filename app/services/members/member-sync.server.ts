/**
 * Keeps Shopify's copy of a member (customer metafields and the tier tag) up to date,
 * coalesced: every change bumps the member's syncVersion; a sync claims the
 * member (one sync per member at a time), reads the newest state with its
 * version, writes it, and records that version only if it is newer than the
 * one recorded. A burst of changes costs a handful of writes, and the last
 * write is always the newest state: syncs of one member do not overlap. The
 * claim is short and renewed while the sync runs (app/jobs/lease.ts), so a
 * dead worker's member is synced again within seconds; a sync that stalled
 * past its claim, which another sync then took, does not write (it confirms
 * the claim first), and if it lost the claim while writing, the member is
 * made due again so that the newest state is written after its write.
 * metafieldsSet sets the values whether or not they existed, atomically
 * (https://shopify.dev/docs/api/admin-graphql/latest/mutations/metafieldsSet):
 * writing a state twice is harmless, only the order of two writes matters.
 */
import type { PrismaClient } from "@prisma/client";
import {
  claimMemberSync,
  findMember,
  getMember,
  markMemberChanged,
  recordStoreCredit,
  markMemberSynced,
  recordMemberSyncError,
  releaseMemberSyncClaim,
  renewMemberSyncClaim,
  setMemberTierTag,
} from "../../db/members.server";
import { ensureProgram } from "../../db/program.server";
import { findShop } from "../../db/shops.server";
import { storeCreditOn } from "../../loyalty/rewards";
import {
  AdminApiError,
  AdminTransientError,
  type AdminGraphql,
} from "../../shopify/admin-api/admin-client.server";
import { storeCreditBalances } from "../../shopify/admin-api/store-credit.server";
import { replaceTierTag, tierTag } from "../../shopify/admin-api/customer-tags.server";
import { writeMemberMetafields, type MemberState } from "../../shopify/admin-api/member-metafields.server";
import { RowClaim } from "../../jobs/lease";
import { storefrontStatus } from "../storefront/status.server";

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
    history: status.history,
    referralPath: status.referral?.path ?? null,
    storeCredit: status.storeCredit
      ? { cents: status.storeCredit.cents, currencyCode: status.storeCredit.currencyCode }
      : null,
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
    const member = await findMember(db, shop, memberId);
    if (!member || member.syncVersion <= member.syncedVersion) return { writes, tagChanges, deferred: false };
    // A short claim, held while this sync calls Shopify (app/jobs/lease.ts).
    const held = RowClaim.startingAt(
      at,
      (until, next) => renewMemberSyncClaim(db, shop, memberId, until, next),
      now,
    );
    if (!(await claimMemberSync(db, shop, memberId, at, held.until))) {
      return { writes, tagChanges, deferred: true };
    }
    let released = 0;
    const writesBefore = writes;
    try {
      await held.hold(async () => {
        // Read the version before the state: the state is at least that new.
        const { syncVersion, tierTag: taggedWith } = await getMember(db, shop, memberId);
        await refreshStoreCredit(db, admin, shop, memberId, member.customerGid, at);
        const state = await memberState(db, shop, member.customerGid, at);
        // This sync stalled past its claim and another took the member: that one writes.
        if (!(await held.confirm())) return;
        await writeMemberMetafields(admin, member.customerGid, state);
        writes++;
        const tag = tierTag((await ensureProgram(db, shop)).tierTagPrefix, state.tier);
        if (tag !== taggedWith) {
          await replaceTierTag(admin, member.customerGid, taggedWith, tag);
          await setMemberTierTag(db, shop, memberId, tag);
          tagChanges++;
        }
        await markMemberSynced(db, shop, memberId, syncVersion);
      });
    } catch (error) {
      await recordMemberSyncError(db, shop, memberId, (error as Error).message.slice(0, 2000));
      throw error;
    } finally {
      // Only this sync's claim: one that outlived it may belong to another sync by now.
      ({ count: released } = await held.release((until) =>
        releaseMemberSyncClaim(db, shop, memberId, until),
      ));
    }
    // The claim was taken over while this sync wrote (it stalled past it): its write may have
    // landed after the other's, so the member is due again and the newest state is written last.
    if (released === 0) {
      if (writes > writesBefore) await markMemberChanged(db, shop, memberId);
      return { writes, tagChanges, deferred: false };
    }
  }
  return { writes, tagChanges, deferred: true };
}

/**
 * The member's store credit in the shop's currency, read from Shopify with each sync while the
 * shop grants the store credit scopes (`customer.storeCreditAccounts`, which needs
 * read_store_credit_accounts: https://shopify.dev/docs/api/admin-graphql/latest/objects/StoreCreditAccount),
 * and kept on the member for the storefront and the other surfaces (docs/decisions/0025). No
 * account in that currency: zero. Without the scopes, or when Shopify refuses the read (the
 * scope was taken back: ACCESS_DENIED), it is forgotten and nothing is shown; a transient failure
 * fails the sync, which is retried.
 */
async function refreshStoreCredit(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  memberId: string,
  customerGid: string,
  at: Date,
) {
  const shopRow = await findShop(db, shop);
  const currencyCode = shopRow?.currencyCode;
  if (!currencyCode || !storeCreditOn(shopRow.scopes)) return recordStoreCredit(db, shop, memberId, null, at);
  let balances;
  try {
    balances = await storeCreditBalances(admin, customerGid);
  } catch (error) {
    if (error instanceof AdminApiError && !(error instanceof AdminTransientError))
      return recordStoreCredit(db, shop, memberId, null, at);
    throw error;
  }
  const balance = balances?.find((account) => account.currencyCode === currencyCode);
  await recordStoreCredit(db, shop, memberId, { amountMilli: balance?.amountMilli ?? 0n, currencyCode }, at);
}
