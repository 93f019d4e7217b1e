/**
 * Leases: how long a worker holds what it took (inbox deliveries, a job, a
 * member or redemption it is writing to Shopify) before another worker may
 * take it over, and the heartbeat that keeps a live worker's lease from
 * running out.
 *
 * A lease is short so that a worker that dies (SIGKILL, out of memory, a lost
 * machine) gives its work back within seconds: its heartbeat stops, the lease
 * runs out LEASE_MS after the last beat, and another worker takes the work.
 * The heartbeat renews every HEARTBEAT_MS, so a live worker can miss two
 * beats in a row (a slow database, a long garbage-collection pause) and still
 * hold its lease: it is lost only when the process makes no progress for
 * more than LEASE_MS - HEARTBEAT_MS, about 7 s. The numbers give a dead
 * worker's work to another within 15 s: at most LEASE_MS after its last beat,
 * plus the time the others take to notice (an inbox poll, 250 ms; the job
 * queue's sweep, JOB_SWEEP_MS) and start it.
 * docs/decisions/0014-short-leases-with-a-heartbeat.md says why these numbers.
 */

/** How long a claim holds its work without a heartbeat. */
export const LEASE_MS = 10_000;
/** How often a worker renews the leases it holds. */
export const HEARTBEAT_MS = 3_000;

/**
 * Runs `work` and, while it runs, calls `renew` every `everyMs` (never two
 * at once). A renewal that throws is reported and the beat goes on: the
 * lease it failed to renew still has time left. When `work` ends, no further
 * renewal starts, and one in flight is waited for, so that whatever the
 * caller does next (release, finish) comes after the last renewal.
 */
export async function withHeartbeat<T>(
  renew: () => Promise<unknown>,
  work: () => Promise<T>,
  everyMs: number = HEARTBEAT_MS,
): Promise<T> {
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  let beating: Promise<void> | null = null;
  const schedule = () => {
    timer = setTimeout(() => {
      beating = renew()
        .then(
          () => undefined,
          (error: Error) => console.warn(`[lease] renewing a lease failed: ${error?.message ?? error}`),
        )
        .finally(() => {
          beating = null;
          if (!done) schedule();
        });
    }, everyMs);
  };
  schedule();
  try {
    return await work();
  } finally {
    done = true;
    clearTimeout(timer);
    if (beating) await beating;
  }
}

/**
 * A row a job claimed until a time (a member being synced, a redemption or
 * a campaign recipient whose code is being created): the claimed-until value
 * is the claim's identity, so renewing and releasing are compare-and-set on
 * it, and a holder whose claim ran out and was taken over by another attempt
 * touches nothing of the other's. Renewals and the release run one after
 * another, so a release never races a renewal in flight.
 */
export class RowClaim {
  private steps: Promise<unknown> = Promise.resolve();
  private released = false;

  constructor(
    /** The claimed-until value the row holds for this claim. */
    public until: Date,
    /**
     * Moves the row's claimed-until from `held` to `next` only where it still
     * is `held`, and says whether it did.
     */
    private readonly renew: (held: Date, next: Date) => Promise<boolean>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A claim made at `at`: claimed until LEASE_MS later. */
  static startingAt(
    at: Date,
    renew: (held: Date, next: Date) => Promise<boolean>,
    now?: () => Date,
  ): RowClaim {
    return new RowClaim(new Date(at.getTime() + LEASE_MS), renew, now);
  }

  /** Runs `work` renewing the claim every HEARTBEAT_MS. */
  hold<T>(work: () => Promise<T>): Promise<T> {
    return withHeartbeat(() => this.confirm(), work);
  }

  /** Renews the claim now; false when it is no longer this attempt's (it ran out and was taken over). */
  confirm(): Promise<boolean> {
    return this.inTurn(async () => {
      if (this.released) return false;
      const next = new Date(this.now().getTime() + LEASE_MS);
      if (!(await this.renew(this.until, next))) return false;
      this.until = next;
      return true;
    });
  }

  /**
   * Ends the claim: `end(held)` must clear the row's claim (with whatever
   * else it records) only where it still is `held`. Runs after a renewal in
   * flight; no renewal follows.
   */
  release<T>(end: (held: Date) => Promise<T>): Promise<T> {
    return this.inTurn(() => {
      this.released = true;
      return end(this.until);
    });
  }

  private inTurn<T>(step: () => Promise<T>): Promise<T> {
    const result = this.steps.then(step, step);
    this.steps = result.catch(() => undefined);
    return result;
  }
}
