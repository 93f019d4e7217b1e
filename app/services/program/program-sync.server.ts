/**
 * Keeps Shopify's copy of the program (the app installation's
 * `loyalty.program` metafield) up to date. Coalesced like member syncs: a
 * change bumps Program.syncVersion; a sync writes the newest facts and records
 * the version it read first, so a burst of edits ends with the last one.
 * Runs one at a time per shop (the program-sync queue is singleton per shop).
 */
import type { PrismaClient } from "@prisma/client";
import { findProgram, markProgramSynced } from "../../db/program.server";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import { writeProgramMetafield } from "../../shopify/admin-api/program-metafields.server";
import { programExplainer } from "../storefront/status.server";

export async function syncProgram(
  db: PrismaClient,
  admin: AdminGraphql,
  shop: string,
): Promise<{ writes: number }> {
  let writes = 0;
  for (let round = 0; round < 3; round++) {
    const program = await findProgram(db, shop);
    if (!program || program.syncVersion <= program.syncedVersion) break;
    const { explainer, settings } = await programExplainer(db, shop);
    // Liquid's copy alone (not the status JSON) holds the excluded tags, lower-cased, so the theme
    // shows no program to a customer who carries one (extensions/regulars-theme/snippets/regulars-excluded.liquid).
    await writeProgramMetafield(admin, {
      ...explainer,
      excludedTags: settings.excludedTags.map((tag) => tag.trim().toLowerCase()),
    });
    writes++;
    await markProgramSynced(db, shop, program.syncVersion);
  }
  return { writes };
}
