-- A delivery's body (10 to 30 KB of JSON) is compressed when it is stored.
-- PostgreSQL's default (pglz) cost about 0.1 ms more of the server's CPU per
-- delivery than lz4 (measured on 15 KB orders/paid bodies; docs/benchmarks.md).
-- Servers built without lz4 (PGlite among them) keep pglz.
DO $$
BEGIN
  ALTER TABLE "WebhookDelivery" ALTER COLUMN "payload" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL; -- pglz, as before
END
$$;
