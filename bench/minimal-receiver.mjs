#!/usr/bin/env node
/**
 * The least a correct webhook receiver does, as bench:load's yardstick for
 * the app: node:http, the body read whole, its HMAC checked (node:crypto,
 * constant-time), one INSERT of the same inbox row the app stores (into
 * TABLE, a copy of the app's WebhookDelivery table with its indexes), 200.
 * Nothing else: no verification of the topic or the payload, no limits, no
 * shop binding, no group commit.
 *
 * Usage: DATABASE_URL=... TABLE='"schema"."table"' SECRET=... PORT=... POOL=10 node bench/minimal-receiver.mjs
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import pg from "pg";

const { DATABASE_URL, TABLE, SECRET, PORT } = process.env;
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: Number(process.env.POOL ?? 10) });
const insert = `INSERT INTO ${TABLE} (id, shop, "webhookId", topic, "eventId", "apiVersion", "triggeredAt", payload)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (shop, "webhookId") DO NOTHING`;

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", async () => {
    const body = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""));
    const expected = Buffer.from(createHmac("sha256", SECRET).update(body).digest("base64"));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    try {
      await pool.query({
        name: "insert-delivery",
        text: insert,
        values: [
          randomUUID(),
          req.headers["x-shopify-shop-domain"],
          req.headers["x-shopify-webhook-id"],
          req.headers["x-shopify-topic"],
          req.headers["x-shopify-event-id"] ?? null,
          req.headers["x-shopify-api-version"] ?? null,
          req.headers["x-shopify-triggered-at"] ?? null,
          body.toString("utf8"),
        ],
      });
      res.writeHead(200).end();
    } catch (error) {
      console.error(error);
      res.writeHead(500).end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(PORT), "127.0.0.1", () => console.log(`[minimal] listening on ${PORT}`));
process.on("SIGTERM", () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
