-- The storefront now reads more than it did (no column changes):
-- * the `history` customer metafield, whose storefront-readable definition the shop setup
--   creates: every installed shop is set up again (the reconcile job runs it within a minute;
--   the definitions that exist answer TAKEN, which is fine);
-- * new program facts in `loyalty.program` (signupBonus, birthdayBonus, each tier's
--   thresholdAmount): every program is synced again.
-- Members get `history` and the progress's amount with their next change; until then the
-- blocks show what they had.
UPDATE "Shop" SET "setupScopes" = NULL WHERE "setupAt" IS NOT NULL AND "uninstalledAt" IS NULL;
UPDATE "Program" SET "syncVersion" = "syncVersion" + 1;
