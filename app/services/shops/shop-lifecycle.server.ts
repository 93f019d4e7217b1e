/**
 * What happens to a shop's record when it installs, uninstalls, changes
 * scopes or asks to be forgotten. Each use case is idempotent: Shopify may
 * deliver the same webhook twice, late or out of order.
 */
import type { Db } from "../../db/shops.server";
import { releaseHeldDeliveries } from "../../db/deliveries.server";
import { noteFollowUp } from "../../jobs/follow-ups.server";
import { markAllMembersChanged } from "../../db/members.server";
import { ensureProgram } from "../../db/program.server";
import {
  deleteShopData,
  deleteShopSessions,
  findShop,
  markShopUninstalled,
  setupDue,
  updateSessionScopes,
  updateShopScopes,
  upsertInstalledShop,
} from "../../db/shops.server";

/**
 * The afterAuth hook: runs on install and whenever a new offline token is
 * stored, which with expiring offline tokens is about hourly, during a page
 * load. It only writes to the database: the shop is recorded (so a failing
 * Admin API cannot fail the install), and the setup on Shopify
 * (services/shops/shop-setup.server.ts) is queued when this installation's setup is
 * due: a new install, a reinstall, or granted scopes that changed since it
 * ran. The caller enqueues the noted job after its transaction
 * (jobs/follow-ups.server.ts).
 */
export async function recordInstall(
  db: Db,
  input: { shop: string; scopes: string | undefined; now: Date },
): Promise<{ setupQueued: boolean }> {
  const { shop, reinstalled } = await upsertInstalledShop(db, input.shop, {
    scopes: input.scopes,
    at: input.now,
  });
  // Its installation is confirmed: deliveries that arrived before (orders
  // placed before the merchant first opened the app) go to the inbox.
  await releaseHeldDeliveries(db, input.shop);
  await ensureProgram(db, input.shop);
  // After a reinstall every member's metafields and tag are written again.
  if (reinstalled) await markAllMembersChanged(db, input.shop);
  // (Never set up covers an install whose token exchange named no scopes, which setupDue skips.)
  const setupQueued = shop.setupAt === null || setupDue(shop);
  if (setupQueued) noteFollowUp({ queue: "shop-setup", shop: input.shop });
  return { setupQueued };
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
  const existing = await findShop(db, input.shop);
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
 * the library does not ask for them again. The install's setup is due again
 * for them: queued here when the caller collects follow-ups, else found
 * within a minute by the reconcile job.
 */
export async function recordScopesUpdate(db: Db, input: { shop: string; scopes: string[] }): Promise<void> {
  const scope = input.scopes.join(",");
  await updateSessionScopes(db, input.shop, `offline_${input.shop}`, scope);
  await updateShopScopes(db, input.shop, scope);
  const shop = await findShop(db, input.shop);
  if (shop && shop.uninstalledAt === null && setupDue(shop)) {
    noteFollowUp({ queue: "shop-setup", shop: input.shop });
  }
}

/**
 * shop/redact (48 hours after uninstall): everything Regulars holds about
 * the shop goes, unless the shop has installed the app again since (its
 * latest install is after its latest uninstall, or it never uninstalled):
 * then the merchant is using it, and nothing is erased.
 * https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance#shop-redact
 */
export async function forgetShop(db: Db, input: { shop: string }): Promise<{ forgotten: boolean }> {
  const shop = await findShop(db, input.shop);
  const installedNow =
    shop?.installedAt != null && (shop.uninstalledAt == null || shop.installedAt > shop.uninstalledAt);
  if (installedNow) return { forgotten: false };
  await deleteShopData(db, input.shop);
  return { forgotten: true };
}
