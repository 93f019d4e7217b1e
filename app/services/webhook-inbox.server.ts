/**
 * Every webhook Regulars handles, after its signature was verified:
 * parse (a malformed body is refused with 400 before anything is written),
 * log the delivery (a copy of one already processed returns at once), then
 * apply it. Effects are idempotent on their own keys, so copies that race
 * past the log still converge.
 */
import type { PrismaClient } from "@prisma/client";
import { finishDelivery, recordDelivery, type DeliveryHeaders } from "../db/deliveries.server";
import { parseLosslessJson } from "../shopify/lossless-json";
import {
  parseCustomerPayload,
  parseOrderPayload,
  parseRefundPayload,
  PayloadError,
} from "../shopify/order-payload";
import { recordCustomer, recordDataRequest, redactCustomer } from "./customer-identity.server";
import { applyOrderEvent, type OrderEvent, type OrderOutcome } from "./order-points.server";
import { forgetShop } from "./shop-lifecycle.server";

export interface WebhookInput extends DeliveryHeaders {
  shop: string;
  rawBody: string;
}

export interface WebhookResult {
  status: 200 | 400;
  outcome: "processed" | "ignored" | "duplicate" | "rejected";
  detail?: string;
}

/** What applying a delivery did: a note for the log, and whether it was ignored on purpose. */
type Done = { detail: string | null; ignored?: boolean };
type Work = () => Promise<Done>;

const fromOrder = (result: OrderOutcome): Done =>
  result.ignored
    ? { detail: result.ignored, ignored: true }
    : { detail: `${result.change >= 0 ? "+" : ""}${result.change} points` };

/**
 * Compliance payloads name their shop (shop_domain); the HMAC covers the body
 * but not the shop header, so a body for one shop is never applied to another.
 */
function checkShopDomain(payload: unknown, shop: string): void {
  if ((payload as { shop_domain?: unknown })?.shop_domain !== shop)
    throw new PayloadError("payload.shop_domain is not the shop that sent it");
}

function customerGidFrom(payload: unknown): string {
  const id = (payload as { customer?: { id?: unknown } })?.customer?.id;
  if (typeof id !== "string" && typeof id !== "number")
    throw new PayloadError("payload.customer.id is missing");
  if (!/^\d+$/.test(String(id))) throw new PayloadError("payload.customer.id is not an id");
  return `gid://shopify/Customer/${id}`;
}

/** Parses the payload for the topic and returns the work to do; throws PayloadError. */
function plan(db: PrismaClient, input: WebhookInput, payload: unknown, now: Date): Work {
  const { shop } = input;
  const order = (type: "paid" | "updated" | "cancelled"): Work => {
    const event: OrderEvent = { type, snapshot: parseOrderPayload(payload) };
    return async () => {
      return fromOrder(await applyOrderEvent(db, shop, event, now));
    };
  };
  switch (input.topic) {
    case "ORDERS_PAID":
      return order("paid");
    case "ORDERS_UPDATED":
      return order("updated");
    case "ORDERS_CANCELLED":
      return order("cancelled");
    case "REFUNDS_CREATE": {
      const event: OrderEvent = { type: "refund", refund: parseRefundPayload(payload) };
      return async () => {
        return fromOrder(await applyOrderEvent(db, shop, event, now));
      };
    }
    case "CUSTOMERS_CREATE":
    case "CUSTOMERS_UPDATE": {
      const customer = parseCustomerPayload(payload);
      return async () => {
        const { signupBonus } = await recordCustomer(db, shop, customer, now);
        return { detail: signupBonus ? `signup bonus ${signupBonus}` : null };
      };
    }
    case "CUSTOMERS_REDACT": {
      checkShopDomain(payload, shop);
      const customerGid = customerGidFrom(payload);
      return async () => {
        await redactCustomer(db, shop, customerGid);
        return { detail: null };
      };
    }
    case "CUSTOMERS_DATA_REQUEST": {
      checkShopDomain(payload, shop);
      const customerGid = customerGidFrom(payload);
      return async () => {
        await recordDataRequest(db, shop, customerGid, now);
        return { detail: null };
      };
    }
    case "SHOP_REDACT":
      checkShopDomain(payload, shop);
      return async () => {
        await forgetShop(db, { shop });
        return { detail: null };
      };
    default:
      throw new PayloadError(`topic ${input.topic} is not handled here`);
  }
}

export async function processWebhook(
  db: PrismaClient,
  input: WebhookInput,
  now: Date,
): Promise<WebhookResult> {
  let work: Work;
  try {
    work = plan(db, input, parseLosslessJson(input.rawBody), now);
  } catch (error) {
    if (error instanceof PayloadError || error instanceof SyntaxError) {
      return { status: 400, outcome: "rejected", detail: error.message };
    }
    throw error;
  }
  const delivery = await recordDelivery(db, input.shop, input);
  if (delivery.previousOutcome === "processed" || delivery.previousOutcome === "ignored") {
    return { status: 200, outcome: "duplicate" };
  }
  try {
    const { detail, ignored } = await work();
    const outcome = ignored ? "ignored" : "processed";
    await finishDelivery(db, input.shop, delivery.id, outcome, detail, new Date());
    return { status: 200, outcome, ...(detail ? { detail } : {}) };
  } catch (error) {
    await finishDelivery(db, input.shop, delivery.id, "failed", (error as Error).message, new Date());
    throw error;
  }
}
