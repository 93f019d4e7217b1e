/**
 * Webhook delivery as Shopify does it: to the path each topic is subscribed
 * to in shopify.app.toml, signed with the app secret (X-Shopify-Hmac-Sha256,
 * base64), with Shopify's headers; 5 s to answer, any non-2xx is a failure,
 * retried 8 times with growing delays (Shopify spreads them over 4 hours; the
 * simulator scales the schedule down, `retryBaseMs`). Switches make it
 * harsher: every event sent N times (concurrently), held back, or sent in
 * reverse order in batches.
 */
import { createHmac, randomUUID } from "node:crypto";
import type { AppConfig } from "./app-config";
import type { ShopState } from "./state";

export interface DeliverySwitches {
  /** Copies of each event (same X-Shopify-Event-Id, distinct X-Shopify-Webhook-Id). */
  duplicates: number;
  /** Extra wait before each first attempt. */
  delayMs: number;
  /** Hold events and send each batch of this size newest first (0 = in order). */
  reorderBatch: number;
}

export interface DeliveryRecord {
  webhookId: string;
  eventId: string;
  shop: string;
  topic: string;
  attempts: number;
  status: "pending" | "delivered" | "failed";
  lastStatus: number | string | null;
  at: string;
}

const RETRIES = 8;
const TIMEOUT_MS = 5000;

export class WebhookDelivery {
  readonly switches: DeliverySwitches = { duplicates: 1, delayMs: 0, reorderBatch: 0 };
  readonly log: DeliveryRecord[] = [];
  private held: (() => void)[] = [];
  private inFlight = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly options: {
      config: AppConfig;
      appUrl: string;
      apiSecret: string;
      clock: () => Date;
      retryBaseMs?: number;
    },
  ) {}

  /** Hands an event to delivery (fire and forget, like Shopify). */
  send(shop: ShopState, topic: string, payload: unknown): void {
    const path = this.options.config.webhooks.get(topic);
    if (!path || (!shop.installation.installed && topic !== "shop/redact")) return;
    const body = JSON.stringify(payload);
    const eventId = randomUUID();
    const triggeredAt = this.options.clock().toISOString();
    for (let copy = 0; copy < Math.max(1, this.switches.duplicates); copy++) {
      const record: DeliveryRecord = {
        webhookId: randomUUID(),
        eventId,
        shop: shop.domain,
        topic,
        attempts: 0,
        status: "pending",
        lastStatus: null,
        at: triggeredAt,
      };
      this.log.push(record);
      if (this.log.length > 5000) this.log.splice(0, this.log.length - 5000);
      const start = () => void this.attempt(record, path, body, triggeredAt);
      this.inFlight++;
      if (this.switches.reorderBatch > 0) {
        this.held.push(start);
        if (this.held.length >= this.switches.reorderBatch) this.flush();
      } else if (this.switches.delayMs > 0) setTimeout(start, this.switches.delayMs);
      else start();
    }
  }

  /** Sends held (reordered) events now, newest first. */
  flush(): void {
    const batch = this.held.reverse();
    this.held = [];
    for (const start of batch) start();
  }

  /** Resolves once every event so far is delivered or has failed for good. */
  idle(): Promise<void> {
    this.flush();
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  private done(): void {
    this.inFlight--;
    if (this.inFlight === 0) for (const resolve of this.waiters.splice(0)) resolve();
  }

  private async attempt(
    record: DeliveryRecord,
    path: string,
    body: string,
    triggeredAt: string,
  ): Promise<void> {
    record.attempts++;
    try {
      const response = await fetch(`${this.options.appUrl}${path}`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "X-Shopify-Topic": record.topic,
          "X-Shopify-Hmac-Sha256": createHmac("sha256", this.options.apiSecret).update(body).digest("base64"),
          "X-Shopify-Shop-Domain": record.shop,
          "X-Shopify-API-Version": this.options.config.webhookApiVersion,
          "X-Shopify-Webhook-Id": record.webhookId,
          "X-Shopify-Event-Id": record.eventId,
          "X-Shopify-Triggered-At": triggeredAt,
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
      record.lastStatus = response.status;
      if (response.ok) {
        record.status = "delivered";
        this.done();
        return;
      }
    } catch (error) {
      record.lastStatus = (error as Error).name === "TimeoutError" ? "timeout" : "connection failed";
    }
    if (record.attempts > RETRIES) {
      record.status = "failed";
      this.done();
      return;
    }
    const delay = (this.options.retryBaseMs ?? 1000) * 2 ** (record.attempts - 1);
    setTimeout(() => void this.attempt(record, path, body, triggeredAt), delay).unref();
  }
}
