import type { PrismaClient } from "@prisma/client";

/** Stores the shop's offline session, as the Shopify library would after install. */
export async function storeOfflineSession(
  prisma: PrismaClient,
  shop: string,
  session: { accessToken: string; scope: string; expires?: Date | null; refreshToken?: string | null },
): Promise<void> {
  await prisma.session.create({
    data: {
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      accessToken: session.accessToken,
      scope: session.scope,
      expires: session.expires ?? null,
      refreshToken: session.refreshToken ?? null,
      refreshTokenExpires: session.refreshToken ? new Date(Date.now() + 86_400_000) : null,
    },
  });
}
