import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Nap } from "~/jobs/nap";

describe("a polling loop's nap", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const settled = async (promise: Promise<void>) => {
    let done = false;
    void promise.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    return () => done;
  };

  it("waits its time when nobody wakes it", async () => {
    const done = await settled(new Nap().take(1000));
    await vi.advanceTimersByTimeAsync(999);
    expect(done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done()).toBe(true);
  });

  it("ends at once when woken", async () => {
    const nap = new Nap();
    const done = await settled(nap.take(1000));
    expect(done()).toBe(false);
    nap.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(done()).toBe(true);
  });

  it("keeps a wake that came while the loop was busy, once", async () => {
    const nap = new Nap();
    nap.wake();
    nap.wake();
    expect((await settled(nap.take(1000)))()).toBe(true);
    const second = await settled(nap.take(1000));
    expect(second()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(second()).toBe(true);
  });
});
