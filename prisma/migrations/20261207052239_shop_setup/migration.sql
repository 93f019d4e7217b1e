-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "setupAt" TIMESTAMP(3),
ADD COLUMN     "setupError" TEXT,
ADD COLUMN     "setupScopes" TEXT;


-- Installed shops were set up on every token exchange until now: their setup stands for the
-- scopes they hold, so the deploy does not set every shop up again at once.
UPDATE "Shop" SET "setupScopes" = "scopes", "setupAt" = "installedAt"
 WHERE "installedAt" IS NOT NULL AND "uninstalledAt" IS NULL AND "scopes" IS NOT NULL;
