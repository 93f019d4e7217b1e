-- DropIndex
DROP INDEX "Member_shop_balance_id_idx";

-- DropIndex
DROP INDEX "Member_shop_totalSpentMilli_id_idx";

-- DropIndex
DROP INDEX "Member_shop_lastOrderAt_id_idx";

-- CreateIndex
CREATE INDEX "Member_shop_balance_id_idx" ON "Member"("shop", "balance" DESC, "id");

-- CreateIndex
CREATE INDEX "Member_shop_totalSpentMilli_id_idx" ON "Member"("shop", "totalSpentMilli" DESC, "id");

-- CreateIndex
CREATE INDEX "Member_shop_lastOrderAt_id_idx" ON "Member"("shop", "lastOrderAt" DESC, "id");

-- CreateIndex
CREATE INDEX "Member_shop_createdAt_id_idx" ON "Member"("shop", "createdAt" DESC, "id");

-- Search by any part of an email or a name: trigram GIN indexes, which need the pg_trgm
-- extension (PostgreSQL's contrib; PGlite loads it in app/db/connect.server.ts). Extensions
-- belong to the whole database: an existing pg_trgm is used wherever it lives, a new one goes in
-- "public" (never in the app's own schema, which may be one of several). Where pg_trgm cannot be
-- installed (not available, no privilege) the migration still succeeds without these indexes:
-- search then scans the shop's members, as it did before.
DO $$
DECLARE
  trgm text;
BEGIN
  SELECT n.nspname INTO trgm FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
   WHERE e.extname = 'pg_trgm';
  IF trgm IS NULL THEN
    SELECT COALESCE((SELECT nspname FROM pg_namespace WHERE nspname = 'public'), current_schema()) INTO trgm;
    BEGIN
      EXECUTE format('CREATE EXTENSION pg_trgm WITH SCHEMA %I', trgm);
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pg_trgm is not available (%): member search works without trigram indexes', SQLERRM;
      RETURN;
    END;
  END IF;
  EXECUTE format('CREATE INDEX "Member_email_trgm_idx" ON "Member" USING GIN ("email" %I.gin_trgm_ops)', trgm);
  EXECUTE format('CREATE INDEX "Member_firstName_trgm_idx" ON "Member" USING GIN ("firstName" %I.gin_trgm_ops)', trgm);
  EXECUTE format('CREATE INDEX "Member_lastName_trgm_idx" ON "Member" USING GIN ("lastName" %I.gin_trgm_ops)', trgm);
END $$;

-- CreateIndex
CREATE INDEX "OrderRefund_shop_orderId_idx" ON "OrderRefund"("shop", "orderId");

