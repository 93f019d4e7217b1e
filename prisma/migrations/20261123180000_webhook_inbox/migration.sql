-- The webhook route now only verifies, checks and stores a delivery; workers
-- apply it from this inbox (app/services/webhook-inbox.server.ts).
ALTER TABLE "WebhookDelivery" ADD COLUMN "payload" TEXT,
ADD COLUMN "applyAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "applyAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- What the workers claim: deliveries waiting to be applied, oldest due first.
CREATE INDEX "WebhookDelivery_inbox_idx" ON "WebhookDelivery" ("applyAfter")
WHERE "outcome" = 'received' AND "payload" IS NOT NULL;
