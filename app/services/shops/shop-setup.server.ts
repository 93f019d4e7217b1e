/**
 * The install's setup on Shopify, run as a job (`shop-setup`) once per
 * install, reinstall or change of granted scopes: the shop's details (name,
 * currency, time zone, plan), the typed $app:loyalty customer metafield
 * definitions, and the program's facts (a program-sync follows). The afterAuth
 * hook only records the install and queues this: with expiring offline tokens
 * it runs on every token exchange, about hourly, during a page load.
 */
import type { PrismaClient } from "@prisma/client";
import { markProgramChanged } from "../../db/program.server";
import { findShop, markShopSetUp, recordSetupError, updateShopDetails } from "../../db/shops.server";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { ensureMemberMetafieldDefinitions } from "../../shopify/admin-api/member-metafields.server";
import { fetchShopDetails } from "../../shopify/admin-api/shop-details.server";

export async function runShopSetup(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
  now: Date,
): Promise<{ scopes: string | null }> {
  // The scopes this setup stands for: a change while it runs (app/scopes_update) leaves it due again.
  const record = await findShop(db, shop);
  const scopes = record?.scopes ?? null;
  try {
    await updateShopDetails(db, shop, await fetchShopDetails(admin));
    // Typed, storefront-readable definitions for the $app:loyalty customer metafields.
    await ensureMemberMetafieldDefinitions(admin);
  } catch (error) {
    // Kept until an attempt succeeds; the job's retries (and the next token exchange) try again.
    await recordSetupError(db, shop, (error as Error).message);
    throw error;
  }
  // A new installation has no program metafield yet, nor has a reinstalled one.
  await markProgramChanged(db, shop);
  await markShopSetUp(db, shop, { scopes, at: now });
  return { scopes };
}
