/**
 * What happens to a shop's record when it installs, uninstalls, changes
 * scopes or asks to be forgotten. Each use case is idempotent: Shopify may
 * deliver the same webhook twice, late or out of order.
 */
import type { Db } from "../db/shops.server";
import { markAllMembersChanged } from "../db/members.server";
import { ensureProgram, markProgramChanged } from "../db/program.server";
import { ensureMemberMetafieldDefinitions } from "../shopify/member-metafields.server";
import { fetchShopDetails } from "../shopify/shop-details.server";
import type { AdminGraphql } from "../shopify/admin-client.server";
import {
  deleteShopData,
  deleteShopSessions,
  markShopUninstalled,
  updateSessionScopes,
  updateShopDetails,
  updateShopScopes,
  upsertInstalledShop,
} from "../db/shops.server";

/**
 * The afterAuth hook: runs on install and whenever a new offline token is
 * stored. The shop is recorded first, so a failing Admin API call cannot
 * fail the install; its details and the metafield definitions are brought
 * up to date on every later authentication.
 */
export async function recordInstall(
  db: Db,
  admin: AdminGraphql,
  input: { shop: string; scopes: string | undefined; now: Date },
): Promise<{ detailsError?: Error }> {
  const { reinstalled } = await upsertInstalledShop(db, input.shop, { scopes: input.scopes, at: input.now });
  await ensureProgram(db, input.shop);
  // A new installation has no program metafield yet; after a reinstall every
  // member's metafields and tag are written again too.
  await markProgramChanged(db, input.shop);
  if (reinstalled) await markAllMembersChanged(db, input.shop);
  try {
    await updateShopDetails(db, input.shop, await fetchShopDetails(admin));
    // Typed, storefront-readable definitions for the $app:loyalty customer metafields.
    await ensureMemberMetafieldDefinitions(admin);
    return {};
  } catch (error) {
    return { detailsError: error as Error };
  }
}

/**
 * app/uninstalled. The shop's sessions are deleted (their tokens are dead) and
 * the shop is marked uninstalled; its loyalty data stays until shop/redact,
 * which Shopify sends 48 hours later, so a quick reinstall loses nothing.
 * A delivery that arrives after a reinstall (a late retry) must not undo it:
 * it is ignored when the shop was installed after the event was triggered.
 */
export async function recordUninstall(
  db: Db,
  input: { shop: string; triggeredAt: Date; now: Date },
): Promise<{ sessionsDeleted: number; marked: boolean; staleEvent: boolean }> {
  const existing = await db.shop.findUnique({ where: { domain: input.shop } });
  if (existing?.installedAt && existing.installedAt > input.triggeredAt) {
    return { sessionsDeleted: 0, marked: false, staleEvent: true };
  }
  const sessionsDeleted = await deleteShopSessions(db, input.shop);
  const marked = (await markShopUninstalled(db, input.shop, input.now)) > 0;
  return { sessionsDeleted, marked, staleEvent: false };
}

/** app/scopes_update: the granted scopes changed (e.g. an optional scope was granted). */
export async function recordScopesUpdate(
  db: Db,
  input: { shop: string; sessionId: string | undefined; scopes: string[] },
): Promise<void> {
  const scope = input.scopes.join(",");
  if (input.sessionId) await updateSessionScopes(db, input.shop, input.sessionId, scope);
  await updateShopScopes(db, input.shop, scope);
}

/** shop/redact (48 hours after uninstall): everything Regulars holds about the shop goes. */
export async function forgetShop(db: Db, input: { shop: string }): Promise<void> {
  await deleteShopData(db, input.shop);
}
