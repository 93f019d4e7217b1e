/**
 * The heartbeat and row claims of app/jobs/lease.ts, on a row kept in
 * memory whose claimed-until value is changed compare-and-set, as the
 * database's conditional updates do.
 */
import { describe, expect, it } from "vitest";
import { LEASE_MS, RowClaim, withHeartbeat } from "~/jobs/lease";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A row with a claim; `slowMs` makes each renewal take that long (a slow database). */
function row(claimedUntil: Date | null, slowMs = 0) {
  const state = { claimedUntil, renewals: 0 };
  const renew = async (held: Date, next: Date) => {
    await sleep(slowMs);
    if (state.claimedUntil?.getTime() !== held.getTime()) return false;
    state.claimedUntil = next;
    state.renewals++;
    return true;
  };
  const release = async (held: Date) => {
    if (state.claimedUntil?.getTime() !== held.getTime()) return 0;
    state.claimedUntil = null;
    return 1;
  };
  return { state, renew, release };
}

describe("withHeartbeat", () => {
  it("renews while the work runs, never after, and a failing renewal does not stop the beat", async () => {
    const beats: number[] = [];
    let failures = 0;
    await withHeartbeat(
      async () => {
        beats.push(Date.now());
        if (beats.length === 1) {
          failures++;
          throw new Error("the database blinked");
        }
      },
      () => sleep(280),
      50,
    );
    const count = beats.length;
    expect(failures).toBe(1);
    expect(count).toBeGreaterThanOrEqual(3);
    await sleep(150);
    expect(beats.length).toBe(count);
  });

  it("returns only after a renewal in flight when the work ended has finished", async () => {
    let finished = false;
    await withHeartbeat(
      async () => {
        await sleep(200);
        finished = true;
      },
      () => sleep(80),
      50,
    );
    expect(finished).toBe(true);
  });
});

describe("RowClaim", () => {
  it("keeps renewing its row while held, and releases the value it last renewed to", async () => {
    const start = new Date();
    const data = row(null);
    const claim = RowClaim.startingAt(start, data.renew);
    data.state.claimedUntil = claim.until;
    expect(claim.until.getTime()).toBe(start.getTime() + LEASE_MS);
    // HEARTBEAT_MS is 3 s: hold the claim long enough for one renewal.
    await claim.hold(() => sleep(3_200));
    expect(data.state.renewals).toBe(1);
    expect(data.state.claimedUntil).toEqual(claim.until);
    expect(await claim.release(data.release)).toBe(1);
    expect(data.state.claimedUntil).toBeNull();
  }, 10_000);

  it("a release waits for a renewal in flight and uses what it renewed to", async () => {
    const data = row(null, 200);
    const claim = RowClaim.startingAt(new Date(), data.renew);
    data.state.claimedUntil = claim.until;
    const renewing = claim.confirm();
    const released = claim.release(data.release);
    expect(await renewing).toBe(true);
    expect(await released).toBe(1);
    expect(data.state.claimedUntil).toBeNull();
    // Released: no renewal follows.
    expect(await claim.confirm()).toBe(false);
  });

  it("a claim taken over by another attempt is neither renewed nor released", async () => {
    const data = row(null);
    const claim = RowClaim.startingAt(new Date(), data.renew);
    const theirs = new Date(Date.now() + 60_000);
    data.state.claimedUntil = theirs;
    expect(await claim.confirm()).toBe(false);
    expect(await claim.release(data.release)).toBe(0);
    expect(data.state.claimedUntil).toEqual(theirs);
  });
});
