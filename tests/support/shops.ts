import type { PrismaClient } from "@prisma/client";

/**
 * A shop whose installation is confirmed (its token exchange recorded it, as
 * app/services/shops/shop-lifecycle.server.ts recordInstall does): the inbox
 * applies its deliveries. A shop without it has its deliveries held.
 */
export async function installShop(db: PrismaClient, shop: string, at = new Date()): Promise<void> {
  await db.shop.upsert({
    where: { domain: shop },
    create: { domain: shop, installedAt: at },
    update: { installedAt: at, uninstalledAt: null },
  });
}
