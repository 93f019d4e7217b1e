/**
 * Applies webhook deliveries from the inbox (app/services/webhooks/inbox.server.ts):
 * claims a batch of due deliveries across shops, applies them a few at a time,
 * and polls again at once while there is work, every `pollMs` when idle.
 * A delivery received by this same process wakes it at once (`nudgeInbox`);
 * other processes' deliveries are found by the poll.
 *
 * A batch is held under a short lease renewed by a heartbeat while it is
 * applied (holdingDeliveries, app/jobs/lease.ts): if this process dies, its
 * batch comes due again within LEASE_MS and another worker's poll takes it.
 */
import type { PrismaClient } from "@prisma/client";
import { holdingDeliveries } from "../db/deliveries.server";
import { applyInboxBatch, type DrainReport } from "../services/webhooks/inbox.server";
import type { AdminGraphql } from "../shopify/admin-api/admin-client.server";
import type { FollowUp } from "./follow-ups.server";
import { HEARTBEAT_MS, LEASE_MS } from "./lease";
import { Nap } from "./nap";

const wakers = new Set<() => void>();

/** Tells this process's inbox worker, if it runs one, that a delivery is waiting. */
export function nudgeInbox(): void {
  for (const wake of wakers) wake();
}

export interface InboxWorkerOptions {
  batchSize?: number;
  concurrency?: number;
  pollMs?: number;
  /** How long a claim holds its batch without a heartbeat, and how often the heartbeat renews it. */
  leaseMs?: number;
  heartbeatMs?: number;
  /** A shop's Admin API client (bonus events limited to collections look an order's products up). */
  adminFor?: (shop: string) => AdminGraphql;
}

export class InboxWorker {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly nap = new Nap();

  constructor(
    private readonly db: PrismaClient,
    private readonly sendFollowUps: (followUps: FollowUp[]) => Promise<void>,
    private readonly options: InboxWorkerOptions = {},
  ) {}

  private readonly onNudge = () => this.nap.wake();

  start(): void {
    if (this.running) return;
    this.running = true;
    wakers.add(this.onNudge);
    this.loop = (async () => {
      while (this.running) {
        let report: DrainReport = { applied: 0, retried: 0, failed: 0 };
        try {
          report = await holdingDeliveries(
            this.db,
            () =>
              applyInboxBatch(this.db, {
                batchSize: this.options.batchSize ?? 100,
                concurrency: this.options.concurrency ?? 4,
                leaseMs: this.options.leaseMs ?? LEASE_MS,
                sendFollowUps: this.sendFollowUps,
                ...(this.options.adminFor ? { adminFor: this.options.adminFor } : {}),
                onError: (delivery, error) =>
                  console.warn(
                    `[inbox] ${delivery.topic} ${delivery.webhookId} for ${delivery.shop} (try ${delivery.applyAttempts}) failed: ${error.message}`,
                  ),
                onBatchError: (shop, deliveries, error, { applied }) =>
                  console.warn(
                    applied
                      ? `[inbox] ${deliveries} orders/paid deliveries for ${shop} were applied, but queuing their follow-ups failed (${error.message}); the reconcile job will find them`
                      : `[inbox] ${deliveries} orders/paid deliveries for ${shop} could not be applied together (${error.message}); applying them one by one`,
                  ),
              }),
            this.options.heartbeatMs ?? HEARTBEAT_MS,
          );
        } catch (error) {
          console.warn(`[inbox] claiming deliveries failed: ${(error as Error).message}`);
        }
        if (!this.running) break;
        if (report.applied + report.retried + report.failed === 0)
          await this.nap.take(this.options.pollMs ?? 250);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    wakers.delete(this.onNudge);
    this.nap.wake();
    await this.loop;
  }
}
