/**
 * Every job queue Regulars runs, with its payload and retry policy. pg-boss
 * keeps the jobs in the database; "stately" lets one job per key wait and one
 * run, so a burst of changes to one member queues one sync, never two at once.
 * Retries back off exponentially (delay x 2^attempt); a job that has used its
 * retries stays `failed`: the dead-letter list the admin shows and retries.
 *
 * A running job is held under a short lease (pg-boss's expiry, JOB_LEASE_SECONDS)
 * that the worker's heartbeat renews (app/jobs/worker.server.ts), so the job of
 * a worker that died is run again within seconds; `maxRunSeconds` is the
 * longest one attempt may run, heartbeat or not, before pg-boss fails it by
 * timeout and retries it.
 */
import { z } from "zod";
import { LEASE_MS } from "./lease";

/** pg-boss's expiry of an active job: the lease a worker's heartbeat renews. */
export const JOB_LEASE_SECONDS = LEASE_MS / 1000;

/** A shop as Shopify names it. */
export const shopDomain = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "a *.myshopify.com domain");

export const QUEUES = {
  "member-sync": {
    payload: z.object({ shop: shopDomain, memberId: z.string().min(1) }),
    key: (data: { shop: string; memberId: string }) => `${data.shop}:${data.memberId}`,
    options: { policy: "stately", retryLimit: 10, retryDelay: 5, retryBackoff: true },
    maxRunSeconds: 300,
  },
  "code-issue": {
    payload: z.object({ shop: shopDomain, redemptionId: z.string().min(1) }),
    key: (data: { shop: string; redemptionId: string }) => `${data.shop}:${data.redemptionId}`,
    options: { policy: "stately", retryLimit: 10, retryDelay: 5, retryBackoff: true },
    maxRunSeconds: 300,
  },
  /** A win-back campaign's codes and tags, a batch per job; the job queues the next batch. */
  "campaign-issue": {
    payload: z.object({ shop: shopDomain, campaignId: z.string().min(1) }),
    key: (data: { shop: string; campaignId: string }) => `${data.shop}:${data.campaignId}`,
    options: { policy: "stately", retryLimit: 10, retryDelay: 5, retryBackoff: true },
    maxRunSeconds: 900,
  },
  "flow-send": {
    payload: z.object({ shop: shopDomain }),
    key: (data: { shop: string }) => data.shop,
    options: { policy: "stately", retryLimit: 10, retryDelay: 5, retryBackoff: true },
    maxRunSeconds: 900,
  },
  /**
   * The shop's notification emails (app/services/notifications/notification-send.server.ts), after
   * each flow-send. An SMTP server that refuses or is down fails the job: retried with backoff
   * (30 s, 1 min, 2 min, ... for about 8 hours), then a dead letter the Activity page retries.
   */
  "notification-send": {
    payload: z.object({ shop: shopDomain }),
    key: (data: { shop: string }) => data.shop,
    options: { policy: "stately", retryLimit: 10, retryDelay: 30, retryBackoff: true },
    maxRunSeconds: 900,
  },
  /**
   * The install's setup on Shopify (shop details, metafield definitions, program facts): once per
   * install, reinstall or change of granted scopes, not on every token exchange.
   */
  "shop-setup": {
    payload: z.object({ shop: shopDomain }),
    key: (data: { shop: string }) => data.shop,
    options: { policy: "stately", retryLimit: 10, retryDelay: 5, retryBackoff: true },
    maxRunSeconds: 300,
  },
  "program-sync": {
    payload: z.object({ shop: shopDomain }),
    key: (data: { shop: string }) => data.shop,
    options: { policy: "stately", retryLimit: 10, retryDelay: 5, retryBackoff: true },
    maxRunSeconds: 300,
  },
  /**
   * A shop's backfill of past orders, a step per job (start the bulk query, poll it, read a
   * slice of its file); the job queues the next step. One per shop, our choice (Shopify allows five
   * bulk queries per shop since API 2026-01; a busy answer is retried with backoff). Progress is in
   * the database, so a retry resumes where the last commit ended.
   */
  backfill: {
    payload: z.object({ shop: shopDomain, runId: z.string().min(1) }),
    key: (data: { shop: string; runId: string }) => data.shop,
    options: { policy: "stately", retryLimit: 10, retryDelay: 5, retryBackoff: true },
    maxRunSeconds: 600,
  },
  /** A shop's dashboard rollups: built on its first dashboard view, then every change folded. */
  "dashboard-rollups": {
    payload: z.object({ shop: shopDomain }),
    key: (data: { shop: string }) => data.shop,
    options: { policy: "stately", retryLimit: 5, retryDelay: 30, retryBackoff: true },
    maxRunSeconds: 3600,
  },
  /**
   * The referrals a paid order's code belongs to (app/services/referrals/referrals.server.ts):
   * tied at once, then the job queues itself for the instant the order's pending window ends, so
   * the referrer is paid on time; the hourly maintenance is the safety net. One per order.
   */
  "referral-settle": {
    payload: z.object({ shop: shopDomain, orderGid: z.string().min(1) }),
    key: (data: { shop: string; orderGid: string }) => `${data.shop}:${data.orderGid}`,
    options: { policy: "stately", retryLimit: 10, retryDelay: 5, retryBackoff: true },
    maxRunSeconds: 300,
  },
  /** A shop's scheduled work: hourly (pending points, code expiry) or daily (everything). */
  maintenance: {
    payload: z.object({ shop: shopDomain, kind: z.enum(["hourly", "daily"]) }),
    key: (data: { shop: string; kind: string }) => `${data.shop}:${data.kind}`,
    options: { policy: "stately", retryLimit: 5, retryDelay: 60, retryBackoff: true },
    maxRunSeconds: 3600,
  },
  /** Cron: fans `maintenance` out to every installed shop. */
  "schedule-hourly": {
    payload: z.object({}),
    key: () => "hourly",
    options: { policy: "stately", retryLimit: 3, retryDelay: 30, retryBackoff: true },
    maxRunSeconds: 600,
  },
  "schedule-daily": {
    payload: z.object({}),
    key: () => "daily",
    options: { policy: "stately", retryLimit: 3, retryDelay: 30, retryBackoff: true },
    maxRunSeconds: 600,
  },
  /** Cron, every minute: enqueues work whose nudge was lost (a crash between commit and send). */
  reconcile: {
    payload: z.object({}),
    key: () => "reconcile",
    options: { policy: "stately", retryLimit: 0, retryDelay: 0, retryBackoff: false },
    maxRunSeconds: 300,
  },
} as const;

export type QueueName = keyof typeof QUEUES;
export type JobData<Q extends QueueName> = z.output<(typeof QUEUES)[Q]["payload"]>;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

/** Crons (UTC): hourly at :07, daily at 04:17, reconcile every minute. */
export const SCHEDULES: { queue: QueueName; cron: string }[] = [
  { queue: "schedule-hourly", cron: "7 * * * *" },
  { queue: "schedule-daily", cron: "17 4 * * *" },
  { queue: "reconcile", cron: "* * * * *" },
];
