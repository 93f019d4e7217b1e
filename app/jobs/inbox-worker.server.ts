/**
 * Applies webhook deliveries from the inbox (app/services/webhook-inbox.server.ts):
 * claims a batch of due deliveries across shops, applies them a few at a time,
 * and polls again at once while there is work, every `pollMs` when idle.
 * A delivery received by this same process wakes it at once (`nudgeInbox`);
 * other processes' deliveries are found by the poll.
 */
import type { PrismaClient } from "@prisma/client";
import { applyInboxBatch, type DrainReport } from "../services/webhook-inbox.server";
import type { FollowUp } from "./follow-ups.server";

const wakers = new Set<() => void>();

/** Tells this process's inbox worker, if it runs one, that a delivery is waiting. */
export function nudgeInbox(): void {
  for (const wake of wakers) wake();
}

export interface InboxWorkerOptions {
  batchSize?: number;
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
}

export class InboxWorker {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private pending = false;
  readonly totals: DrainReport = { applied: 0, retried: 0, failed: 0 };

  constructor(
    private readonly db: PrismaClient,
    private readonly sendFollowUps: (followUps: FollowUp[]) => Promise<void>,
    private readonly options: InboxWorkerOptions = {},
  ) {}

  private readonly onNudge = () => {
    this.pending = true;
    this.wake?.();
  };

  start(): void {
    if (this.running) return;
    this.running = true;
    wakers.add(this.onNudge);
    this.loop = (async () => {
      while (this.running) {
        this.pending = false;
        let report: DrainReport = { applied: 0, retried: 0, failed: 0 };
        try {
          report = await applyInboxBatch(this.db, {
            batchSize: this.options.batchSize ?? 20,
            concurrency: this.options.concurrency ?? 4,
            leaseMs: this.options.leaseMs,
            sendFollowUps: this.sendFollowUps,
            onError: (delivery, error) =>
              console.warn(
                `[inbox] ${delivery.topic} ${delivery.webhookId} for ${delivery.shop} (try ${delivery.applyAttempts}) failed: ${error.message}`,
              ),
          });
        } catch (error) {
          console.warn(`[inbox] claiming deliveries failed: ${(error as Error).message}`);
        }
        this.totals.applied += report.applied;
        this.totals.retried += report.retried;
        this.totals.failed += report.failed;
        if (!this.running) break;
        if (report.applied + report.retried + report.failed === 0 && !this.pending) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.options.pollMs ?? 250);
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = null;
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    wakers.delete(this.onNudge);
    this.wake?.();
    await this.loop;
  }
}
