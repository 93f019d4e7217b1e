/**
 * What happens to a shop's record when it installs, uninstalls, changes
 * scopes or asks to be forgotten. Each use case is idempotent: Shopify may
 * deliver the same webhook twice, late or out of order.
 */
import type { Db } from "../db/shops.server";
import { releaseHeldDeliveries } from "../db/deliveries.server";
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
  // Its installation is confirmed: deliveries that arrived before (orders
  // placed before the merchant first opened the app) go to the inbox.
  await releaseHeldDeliveries(db, input.shop);
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

/**
 * app/scopes_update: the granted scopes changed (e.g. an optional scope was
 * granted). The shop's offline session (the library names it
 * `offline_<shop>`: shopify-api's session.getOfflineId) records them too, so
 * the library does not ask for them again.
 */
export async function recordScopesUpdate(db: Db, input: { shop: string; scopes: string[] }): Promise<void> {
  const scope = input.scopes.join(",");
  await updateSessionScopes(db, input.shop, `offline_${input.shop}`, scope);
  await updateShopScopes(db, input.shop, scope);
}

/**
 * shop/redact (48 hours after uninstall): everything Regulars holds about
 * the shop goes, unless the shop has installed the app again since (its
 * latest install is after its latest uninstall, or it never uninstalled):
 * then the merchant is using it, and nothing is erased.
 * https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance#shop-redact
 */
export async function forgetShop(db: Db, input: { shop: string }): Promise<{ forgotten: boolean }> {
  const shop = await db.shop.findUnique({ where: { domain: input.shop } });
  const installedNow =
    shop?.installedAt != null && (shop.uninstalledAt == null || shop.installedAt > shop.uninstalledAt);
  if (installedNow) return { forgotten: false };
  await deleteShopData(db, input.shop);
  return { forgotten: true };
}
