/**
 * The app proxy's copy of each shop's program and catalog, kept for a few
 * seconds: every storefront status request reads them, and they change only
 * when the merchant saves. A save in this process forgets the shop's copy at
 * once (`forgetProgramExplainer`); other processes pick it up within
 * EXPLAINER_TTL_MS. Only what the storefront displays is cached: redeeming
 * reads the program and the reward afresh, and Shopify's copy (metafields)
 * is always written from the database.
 */
import type { PrismaClient } from "@prisma/client";
import { programExplainer } from "../storefront/status.server";

export const EXPLAINER_TTL_MS = 5_000;
/** Shops kept at once; the oldest entry goes first. */
const MAX_SHOPS = 1_000;

type Explained = Awaited<ReturnType<typeof programExplainer>>;
const cache = new Map<string, { loadedAt: number; value: Promise<Explained> }>();

/** The shop's program as the storefront shows it, at most EXPLAINER_TTL_MS old. */
export function cachedProgramExplainer(
  db: PrismaClient,
  shop: string,
  nowMs: number = Date.now(),
): Promise<Explained> {
  const hit = cache.get(shop);
  if (hit && nowMs - hit.loadedAt < EXPLAINER_TTL_MS) return hit.value;
  // Concurrent requests for the same shop share one load.
  const value = programExplainer(db, shop);
  const entry = { loadedAt: nowMs, value };
  cache.delete(shop);
  cache.set(shop, entry);
  if (cache.size > MAX_SHOPS) cache.delete(cache.keys().next().value!);
  value.catch(() => {
    if (cache.get(shop) === entry) cache.delete(shop);
  });
  return value;
}

/** Called where the program or the catalog is saved. */
export function forgetProgramExplainer(shop: string): void {
  cache.delete(shop);
}
