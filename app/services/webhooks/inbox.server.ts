/**
 * Every webhook Regulars handles, in two halves.
 *
 * Receiving (the route, after the signature was verified): store the body
 * as it came in the inbox, in one statement shared with deliveries arriving
 * at the same moment (app/db/delivery-group-commit.server.ts). Only a
 * compliance body is read here, to check that it names the header's shop;
 * the others are read for their topic when applied, and one that cannot be
 * read then is a dead letter, kept with its reason. A copy of a delivery
 * already stored changes nothing. Shopify gets its 200 as soon as the
 * delivery is durable.
 *
 * Applying (a worker): claim due deliveries, apply each, record the outcome.
 * A try that throws is retried with backoff, then given up as `failed` (the
 * admin's activity page retries it). Effects are idempotent on their own
 * keys, so a delivery applied twice (a worker killed between its changes and
 * its outcome) still converges.
 */
import type { PrismaClient } from "@prisma/client";
import {
  claimDeliveries,
  deferDelivery,
  finishDelivery,
  NOT_JSON,
  type ClaimedDelivery,
  type DeliveryHeaders,
} from "../../db/deliveries.server";
import { storeDelivery } from "../../db/delivery-group-commit.server";
import { withFollowUps, type FollowUp } from "../../jobs/follow-ups.server";
import { parseLosslessJson } from "../../shopify/payloads/lossless-json";
import {
  parseCancelledOrderPayload,
  parseCustomerPayload,
  parseOrderPayload,
  parsePaidOrderPayload,
  parseRefundPayload,
  PayloadError,
} from "../../shopify/payloads/order-payload";
import { recordCustomer, recordDataRequest, redactCustomer } from "../privacy/customer-identity.server";
import { creditGuestOrders } from "../orders/guest-orders.server";
import { applyOrderEvent, type OrderEvent } from "../orders/order-points.server";
import {
  applyPaidDeliveries,
  deliveryDetailOf,
  paidOrderGroups,
  type PaidDelivery,
} from "../orders/inbox-paid-orders.server";
import { forgetShop } from "../shops/shop-lifecycle.server";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";

export interface WebhookInput extends DeliveryHeaders {
  shop: string;
  rawBody: string;
  /** When Regulars received it (its own clock), once it is in the inbox. */
  receivedAt?: Date;
}

export interface ReceiveResult {
  status: 200 | 400;
  /**
   * received: stored for the workers; held: stored until its shop's
   * installation is confirmed; duplicate: a copy of one already stored;
   * rejected (400): the body names another shop than the header.
   */
  outcome: "received" | "held" | "duplicate" | "rejected";
  detail?: string;
}

/** What applying a delivery did: a note for the log, and whether it was ignored on purpose. */
type Done = { detail: string | null; ignored?: boolean };
type Work = () => Promise<Done>;

const COMPLIANCE_TOPICS = new Set(["CUSTOMERS_REDACT", "CUSTOMERS_DATA_REQUEST", "SHOP_REDACT"]);

/**
 * Why a body names another shop than its delivery's header, or null. The
 * HMAC covers the body but not the headers, and the secret is one per app,
 * so a body captured from one shop could be replayed under another's header.
 * Compliance payloads name their shop (shop_domain,
 * https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance);
 * order and customer payloads do not, which docs/security.md discusses.
 */
function shopMismatch(topic: string, payload: unknown, shop: string): string | null {
  if (!COMPLIANCE_TOPICS.has(topic)) return null;
  return (payload as { shop_domain?: unknown } | null)?.shop_domain === shop
    ? null
    : "payload.shop_domain is not the shop that sent it";
}

function checkShopDomain(topic: string, payload: unknown, shop: string): void {
  const mismatch = shopMismatch(topic, payload, shop);
  if (mismatch) throw new PayloadError(mismatch);
}

function customerGidFrom(payload: unknown): string {
  const id = (payload as { customer?: { id?: unknown } })?.customer?.id;
  if (typeof id !== "string" && typeof id !== "number")
    throw new PayloadError("payload.customer.id is missing");
  if (!/^\d+$/.test(String(id))) throw new PayloadError("payload.customer.id is not an id");
  return `gid://shopify/Customer/${id}`;
}

/** Parses the payload for the topic and returns the work to do; throws PayloadError. */
function plan(
  db: PrismaClient,
  input: WebhookInput,
  payload: unknown,
  now: Date,
  admin: AdminGraphql | null,
): Work {
  const { shop } = input;
  const order = (type: "paid" | "updated" | "cancelled"): Work => {
    // Each topic's own parser: an order body at another topic's address is refused.
    const parse =
      type === "paid"
        ? parsePaidOrderPayload
        : type === "cancelled"
          ? parseCancelledOrderPayload
          : parseOrderPayload;
    const event: OrderEvent = { type, snapshot: parse(payload) };
    return async () => {
      return deliveryDetailOf(await applyOrderEvent(db, shop, event, now, admin));
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
        return deliveryDetailOf(await applyOrderEvent(db, shop, event, now, admin));
      };
    }
    case "CUSTOMERS_CREATE":
    case "CUSTOMERS_UPDATE": {
      const customer = parseCustomerPayload(payload);
      return async () => {
        const { signupBonus, newsletter } = await recordCustomer(db, shop, customer, now);
        // Orders placed as a guest with this email, held until the customer existed (decision 0017).
        const guest = await creditGuestOrders(db, shop, customer, now, admin);
        const details = [
          ...(signupBonus ? [`signup bonus ${signupBonus}`] : []),
          ...(newsletter ? [`newsletter signup ${newsletter}`] : []),
          ...(guest.orders ? [`${guest.orders} guest order(s) credited, ${guest.points} points`] : []),
        ];
        return { detail: details.length ? details.join("; ") : null };
      };
    }
    case "CUSTOMERS_REDACT": {
      checkShopDomain(input.topic, payload, shop);
      const customerGid = customerGidFrom(payload);
      return async () => {
        await redactCustomer(db, shop, customerGid);
        return { detail: null };
      };
    }
    case "CUSTOMERS_DATA_REQUEST": {
      checkShopDomain(input.topic, payload, shop);
      const customerGid = customerGidFrom(payload);
      return async () => {
        // Requested when it reached Regulars, not when a worker got to it (a retry may come hours later).
        await recordDataRequest(db, shop, customerGid, input.receivedAt ?? now);
        return { detail: null };
      };
    }
    case "SHOP_REDACT":
      checkShopDomain(input.topic, payload, shop);
      return async () => {
        const { forgotten } = await forgetShop(db, { shop });
        return forgotten
          ? { detail: null }
          : { detail: "the shop has installed Regulars again since: nothing was erased", ignored: true };
      };
    default:
      throw new PayloadError(`topic ${input.topic} is not handled here`);
  }
}

/** The body as JSON; a PayloadError (NOT_JSON: ...) when it is not JSON. */
function jsonOf(rawBody: string): unknown {
  try {
    return parseLosslessJson(rawBody);
  } catch (error) {
    throw new PayloadError(`${NOT_JSON}: ${(error as Error).message}`);
  }
}

/** Parses the body for its topic; a PayloadError says what is wrong with it. */
function planFor(db: PrismaClient, input: WebhookInput, now: Date, admin: AdminGraphql | null): Work {
  return plan(db, input, jsonOf(input.rawBody), now, admin);
}

const isPayloadError = (error: unknown) => error instanceof PayloadError;

/**
 * The route's half: store the delivery, and nothing more that costs. Its
 * body is parsed when it is applied: one its topic's parser refuses then
 * becomes a dead letter (failed, with the reason, the body kept to retry
 * once the parser is fixed), since Shopify signed it; nothing it signed is
 * dropped. Only the compliance topics' bodies are read here: one that names
 * another shop than its header is refused (400) with nothing written.
 */
export async function receiveWebhook(db: PrismaClient, input: WebhookInput): Promise<ReceiveResult> {
  // No JSON text holds a raw NUL (JSON escapes it as \u0000), and no text column can store one.
  if (input.rawBody.includes("\u0000")) {
    return { status: 400, outcome: "rejected", detail: "the body holds a NUL character: it is not JSON" };
  }
  if (COMPLIANCE_TOPICS.has(input.topic)) {
    let payload: unknown;
    try {
      payload = parseLosslessJson(input.rawBody);
    } catch {
      payload = undefined; // not JSON: a dead letter when applied
    }
    const mismatch = payload === undefined ? null : shopMismatch(input.topic, payload, input.shop);
    if (mismatch) return { status: 400, outcome: "rejected", detail: mismatch };
  }
  const { rawBody, ...delivery } = input;
  const { stored, outcome } = await storeDelivery(db, { ...delivery, payload: rawBody });
  if (!stored) return { status: 200, outcome: "duplicate" };
  return { status: 200, outcome: outcome === "unconfirmed" ? "held" : "received" };
}

export type AppliedOutcome = "processed" | "ignored" | "failed";

/**
 * Applies one claimed delivery and records its outcome. A body the parser
 * refuses now (it was checked when received) is recorded as failed; any
 * other error is thrown for the caller to retry.
 */
export async function applyDelivery(
  db: PrismaClient,
  delivery: ClaimedDelivery,
  now: Date,
  /** For bonus events limited to collections (an order's products are looked up); null: none. */
  admin: AdminGraphql | null = null,
): Promise<{ outcome: AppliedOutcome; detail: string | null }> {
  let work: Work;
  try {
    work = planFor(db, { ...delivery, rawBody: delivery.payload }, now, admin);
  } catch (error) {
    if (!isPayloadError(error)) throw error;
    const detail = (error as Error).message;
    await finishDelivery(db, delivery.shop, delivery.id, "failed", detail, new Date());
    return { outcome: "failed", detail };
  }
  const { detail, ignored } = await work();
  const outcome = ignored ? "ignored" : "processed";
  await finishDelivery(db, delivery.shop, delivery.id, outcome, detail, new Date());
  return { outcome, detail };
}

/**
 * An error no retry can cure: an amount beyond what its column holds (an
 * order so large its points overflow a balance), PostgreSQL's 22003, which
 * Prisma reports as P2020 or passes on from the driver. The transaction
 * rolled back, so nothing was written; the delivery fails at once (kept, with
 * Retry, in the admin's activity) instead of being tried for hours.
 */
function isOutOfRange(error: unknown): boolean {
  const e = error as {
    code?: unknown;
    cause?: { code?: unknown; originalCode?: unknown };
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
  };
  return (
    e?.code === "P2020" ||
    e?.code === "22003" ||
    e?.cause?.code === "22003" ||
    e?.cause?.originalCode === "22003" ||
    e?.meta?.driverAdapterError?.cause?.originalCode === "22003"
  );
}

/** Tries to apply a delivery before it is given up as failed. */
export const MAX_APPLY_ATTEMPTS = 10;

/** The wait before try n + 1 after n failed: 5 s, 10 s, 20 s ... at most an hour. */
const retryDelayMs = (attempts: number) => Math.min(5_000 * 2 ** (attempts - 1), 3_600_000);

export interface DrainOptions {
  /** One shop's inbox (tests, the admin); every shop's by default (workers). */
  shop?: string;
  /** Deliveries claimed at once, and applied at once. */
  batchSize?: number;
  concurrency?: number;
  /** How long a claim holds its deliveries before another worker may take them. */
  leaseMs?: number;
  /** The clock the changes are dated by (when a delivery is due is the database's clock). */
  now?: () => Date;
  /** Enqueues the follow-ups each delivery's changes noted (member syncs, codes, Flow events). */
  sendFollowUps: (followUps: FollowUp[]) => Promise<void>;
  /**
   * A shop's Admin API client, from its offline session: an order in a bonus event limited to
   * collections has its products looked up before it is credited (decision 0022). Without it such
   * an order's delivery fails and is retried.
   */
  adminFor?: (shop: string) => AdminGraphql;
  onError?: (delivery: ClaimedDelivery, error: Error) => void;
  /**
   * A shop's orders/paid deliveries could not be applied together (they are
   * then applied one by one), or were (`applied`) but their follow-ups could
   * not be queued.
   */
  onBatchError?: (shop: string, deliveries: number, error: Error, state: { applied: boolean }) => void;
}

export interface DrainReport {
  applied: number;
  /** Tries that threw: retried later, or given up after MAX_APPLY_ATTEMPTS. */
  retried: number;
  failed: number;
}

/**
 * Claims one batch of due deliveries and applies it: each shop's orders/paid
 * deliveries together (app/services/orders/inbox-paid-orders.server.ts), the others,
 * and those if that failed, one by one.
 */
export async function applyInboxBatch(db: PrismaClient, options: DrainOptions): Promise<DrainReport> {
  const now = options.now ?? (() => new Date());
  const batch = await claimDeliveries(db, {
    shop: options.shop,
    limit: options.batchSize ?? 20,
    leaseMs: options.leaseMs ?? 120_000,
  });
  const report: DrainReport = { applied: 0, retried: 0, failed: 0 };
  const concurrency = options.concurrency ?? 4;
  const { groups, rest: singles } = paidOrderGroups(batch);
  const applyGroup = async ([shop, group]: [string, PaidDelivery[]]) => {
    let committed = false;
    try {
      await withFollowUps(async () => {
        await applyPaidDeliveries(db, shop, group, now(), options.adminFor?.(shop) ?? null);
        committed = true;
      }, options.sendFollowUps);
    } catch (error) {
      options.onBatchError?.(shop, group.length, error as Error, { applied: committed });
      // Applied, but its follow-ups were not queued: the reconcile job finds them (follow-ups.server.ts).
      if (!committed) {
        singles.push(...group.map((g) => g.delivery));
        return;
      }
    }
    report.applied += group.length;
  };
  const shops = [...groups];
  for (let i = 0; i < shops.length; i += concurrency) {
    await Promise.all(shops.slice(i, i + concurrency).map(applyGroup));
  }
  singles.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());

  const applyOne = async (delivery: ClaimedDelivery) => {
    try {
      const { outcome } = await withFollowUps(
        () => applyDelivery(db, delivery, now(), options.adminFor?.(delivery.shop) ?? null),
        options.sendFollowUps,
      );
      if (outcome === "failed") report.failed++;
      else report.applied++;
    } catch (error) {
      options.onError?.(delivery, error as Error);
      const message = (error as Error).message ?? String(error);
      if (isOutOfRange(error)) {
        const detail = `an amount is out of range (${message.trim().split("\n").at(-1)}): not retried`;
        await finishDelivery(db, delivery.shop, delivery.id, "failed", detail, now());
        report.failed++;
      } else if (delivery.applyAttempts >= MAX_APPLY_ATTEMPTS) {
        await finishDelivery(db, delivery.shop, delivery.id, "failed", message, now());
        report.failed++;
      } else {
        await deferDelivery(db, delivery.shop, delivery.id, message, retryDelayMs(delivery.applyAttempts));
        report.retried++;
      }
    }
  };
  for (let i = 0; i < singles.length; i += concurrency) {
    await Promise.all(singles.slice(i, i + concurrency).map(applyOne));
  }
  return report;
}

/** Applies batches until none is due (deliveries waiting for a retry stay). */
export async function drainInbox(db: PrismaClient, options: DrainOptions): Promise<DrainReport> {
  const total: DrainReport = { applied: 0, retried: 0, failed: 0 };
  for (;;) {
    const report = await applyInboxBatch(db, options);
    total.applied += report.applied;
    total.retried += report.retried;
    total.failed += report.failed;
    if (report.applied + report.retried + report.failed === 0) return total;
  }
}
