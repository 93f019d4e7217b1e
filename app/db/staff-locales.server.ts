/** The admin language each staff member last loaded the app in. Every function takes the shop first. */
import type { PrismaClient } from "@prisma/client";

export type Db = PrismaClient;

/** The locale tag remembered for the staff member, null when none is. */
export async function findStaffLocale(db: Db, shop: string, staffId: string): Promise<string | null> {
  const row = await db.staffLocale.findUnique({
    where: { shop_staffId: { shop, staffId } },
    select: { locale: true },
  });
  return row?.locale ?? null;
}

/** Remembers the staff member's locale tag (a load in another language replaces it). */
export async function saveStaffLocale(db: Db, shop: string, staffId: string, locale: string): Promise<void> {
  await db.staffLocale.upsert({
    where: { shop_staffId: { shop, staffId } },
    create: { shop, staffId, locale },
    update: { locale },
  });
}
