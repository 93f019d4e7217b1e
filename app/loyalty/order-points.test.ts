import { describe, expect, it } from "vitest";
import { orderPoints, splitChange } from "./order-points";
import { E4 } from "./rates";

const base = {
  paid: true,
  cancelled: false,
  grossEligible: 100_000n,
  refundedEligible: 0n,
  rateE4: 5 * E4,
  multiplierE4: E4,
};

describe("order points", () => {
  it("are worth the net eligible amount at the recorded terms", () => {
    expect(orderPoints(base)).toBe(500);
    expect(orderPoints({ ...base, refundedEligible: 30_000n })).toBe(350);
    expect(orderPoints({ ...base, refundedEligible: 130_000n })).toBe(0);
    expect(orderPoints({ ...base, cancelled: true })).toBe(0);
    expect(orderPoints({ ...base, paid: false })).toBe(0);
  });

  it("reversals take pending points first, then spendable ones", () => {
    expect(splitChange(-30, 20, false)).toEqual({ pending: -20, available: -10 });
    expect(splitChange(-30, 0, true)).toEqual({ pending: -0, available: -30 });
    expect(splitChange(25, 0, false)).toEqual({ pending: 25, available: 0 });
    expect(splitChange(25, 0, true)).toEqual({ pending: 0, available: 25 });
  });
});
