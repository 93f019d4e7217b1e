-- Deliveries for a shop whose installation is not confirmed yet are held
-- (outcome 'unconfirmed') until its first token exchange releases them, or
-- dropped after a week (app/db/deliveries.server.ts). Few rows: a partial
-- index finds them by shop (release) and by age (the daily drop).
CREATE INDEX "WebhookDelivery_held_idx" ON "WebhookDelivery" ("shop", "receivedAt")
WHERE "outcome" = 'unconfirmed';
