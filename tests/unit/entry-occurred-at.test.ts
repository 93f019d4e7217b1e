import { describe, expect, it } from "vitest";
import { entryOccurredAt } from "~/loyalty/order-credit";
import { snapshot } from "../support/order-events";

const now = new Date("2026-12-07T12:00:00Z");
const paid = new Date("2026-03-01T09:30:00Z");
const s = snapshot({
  orderGid: "gid://shopify/Order/1",
  customerGid: null,
  updatedAt: paid,
  merchandise: 0n,
});

describe("when an order's ledger entry happened", () => {
  it("a backfill's first award: the order's paid date, never later than now", () => {
    expect(entryOccurredAt({ type: "backfill", snapshot: s }, true, paid, now)).toEqual(paid);
    const future = new Date(now.getTime() + 1000);
    expect(entryOccurredAt({ type: "backfill", snapshot: s }, true, future, now)).toEqual(now);
  });

  it("anything else happened when it is recorded", () => {
    expect(entryOccurredAt({ type: "paid", snapshot: s }, true, paid, now)).toBeNull();
    expect(entryOccurredAt({ type: "backfill", snapshot: s }, false, paid, now)).toBeNull();
    expect(entryOccurredAt({ type: "backfill", snapshot: s }, true, null, now)).toBeNull();
    expect(
      entryOccurredAt({ type: "release", orderGid: "gid://shopify/Order/1" }, false, paid, now),
    ).toBeNull();
  });
});
