/** Shop records. Every function takes the shop's domain first. */
import type { PrismaClient, Shop } from "@prisma/client";
import { deleteShopRollups } from "./rollup-state.server";
import type { Tx } from "./tx.server";

export type Db = PrismaClient;

export function findShop(db: Db, shop: string): Promise<Shop | null> {
  return db.shop.findUnique({ where: { domain: shop } });
}

/**
 * Marks the shop installed (again); a reinstall clears uninstalledAt and the
 * setup done for the earlier installation. Says whether it was a reinstall.
 */
export async function upsertInstalledShop(
  db: Db,
  shop: string,
  { scopes, at }: { scopes: string | undefined; at: Date },
): Promise<{ shop: Shop; reinstalled: boolean }> {
  const before = await db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  const reinstalled = before?.uninstalledAt != null;
  const record = await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, scopes, installedAt: at },
    update: {
      scopes,
      installedAt: at,
      uninstalledAt: null,
      ...(reinstalled ? { setupScopes: null, setupAt: null, setupError: null } : {}),
    },
  });
  return { shop: record, reinstalled };
}

const scopeSet = (scopes: string | null) =>
  new Set(
    (scopes ?? "")
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
  );

/** Two scope lists grant the same, whatever their order. */
function sameScopes(a: string | null, b: string | null): boolean {
  const left = scopeSet(a);
  const right = scopeSet(b);
  return left.size === right.size && [...left].every((scope) => right.has(scope));
}

/**
 * The install's setup on Shopify is due: the shop holds granted scopes (it
 * was installed through token exchange) and its setup never completed for
 * this installation, or completed for other scopes.
 */
export function setupDue(shop: Pick<Shop, "scopes" | "setupAt" | "setupScopes">): boolean {
  return shop.scopes !== null && (shop.setupAt === null || !sameScopes(shop.setupScopes, shop.scopes));
}

/** The setup completed for these scopes (those the shop held when it started). */
export function markShopSetUp(db: Db, shop: string, { scopes, at }: { scopes: string | null; at: Date }) {
  return db.shop.updateMany({
    where: { domain: shop },
    data: { setupScopes: scopes, setupAt: at, setupError: null },
  });
}

export function recordSetupError(db: Db, shop: string, message: string) {
  return db.shop.updateMany({ where: { domain: shop }, data: { setupError: message.slice(0, 2000) } });
}

/**
 * Marks the shop uninstalled. Keeps the earliest uninstall time when Shopify
 * delivers app/uninstalled twice; does nothing for a shop it never saw.
 */
export async function markShopUninstalled(db: Db, shop: string, at: Date): Promise<number> {
  const { count } = await db.shop.updateMany({
    where: { domain: shop, uninstalledAt: null },
    data: { uninstalledAt: at },
  });
  return count;
}

export function updateShopDetails(
  db: Db,
  shop: string,
  details: { name: string; currencyCode: string; ianaTimezone: string; shopifyPlus: boolean },
): Promise<{ count: number }> {
  return db.shop.updateMany({ where: { domain: shop }, data: details });
}

export function updateShopScopes(db: Db, shop: string, scopes: string): Promise<{ count: number }> {
  return db.shop.updateMany({ where: { domain: shop }, data: { scopes } });
}

export async function deleteShopSessions(db: Db, shop: string): Promise<number> {
  const { count } = await db.session.deleteMany({ where: { shop } });
  return count;
}

export function updateSessionScopes(db: Db, shop: string, sessionId: string, scope: string) {
  return db.session.updateMany({ where: { shop, id: sessionId }, data: { scope } });
}

/** shop/redact: everything Regulars holds about the shop goes. */
export async function deleteShopData(db: Db, shop: string): Promise<void> {
  await db.$transaction([
    db.ledgerEntry.deleteMany({ where: { shop } }),
    db.member.deleteMany({ where: { shop } }),
    db.orderRefund.deleteMany({ where: { shop } }),
    db.orderRecord.deleteMany({ where: { shop } }),
    db.tier.deleteMany({ where: { shop } }),
    db.program.deleteMany({ where: { shop } }),
    db.redemption.deleteMany({ where: { shop } }),
    db.reward.deleteMany({ where: { shop } }),
    db.flowEvent.deleteMany({ where: { shop } }),
    db.flowTriggerUsage.deleteMany({ where: { shop } }),
    db.backfillOrder.deleteMany({ where: { shop } }),
    db.backfillRun.deleteMany({ where: { shop } }),
    db.campaignRecipient.deleteMany({ where: { shop } }),
    db.campaign.deleteMany({ where: { shop } }),
    db.webhookDelivery.deleteMany({ where: { shop } }),
    db.dataRequest.deleteMany({ where: { shop } }),
    db.staffLocale.deleteMany({ where: { shop } }),
    db.notificationEmail.deleteMany({ where: { shop } }),
    db.notificationContact.deleteMany({ where: { shop } }),
    db.notificationSettings.deleteMany({ where: { shop } }),
    db.referral.deleteMany({ where: { shop } }),
    db.referralVisit.deleteMany({ where: { shop } }),
    db.bonusEvent.deleteMany({ where: { shop } }),
    db.earnRule.deleteMany({ where: { shop } }),
    db.actionApiSecret.deleteMany({ where: { shop } }),
    db.session.deleteMany({ where: { shop } }),
    db.shop.deleteMany({ where: { domain: shop } }),
    // Last: the deletions above appended their changes to the rollups' change tables.
    ...deleteShopRollups(db, shop),
  ]);
}

/** Whether the shop has the app installed (known and not uninstalled). */
export async function isInstalled(db: Db, shop: string): Promise<boolean> {
  const record = await db.shop.findUnique({ where: { domain: shop }, select: { uninstalledAt: true } });
  return record !== null && record.uninstalledAt === null;
}

export async function installedShopDomains(db: Db): Promise<string[]> {
  const shops = await db.shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
  return shops.map((shop) => shop.domain);
}

/** The merchant hid the onboarding checklist for good; false when the shop is unknown. */
export async function markOnboardingDismissed(db: Db, shop: string, now: Date): Promise<boolean> {
  const { count } = await db.shop.updateMany({
    where: { domain: shop },
    data: { onboardingDismissedAt: now },
  });
  return count > 0;
}

/** What store credit needs from the shop: its granted scopes and its currency. */
export function shopStoreCreditTerms(tx: Tx, shop: string) {
  return tx.shop.findUnique({ where: { domain: shop }, select: { scopes: true, currencyCode: true } });
}
