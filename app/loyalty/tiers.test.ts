import { describe, expect, it } from "vitest";
import { DEFAULT_TIERS, tiersSchema } from "./program";
import { evaluateTier, graceEnd, windowStart } from "./tiers";
import { parseMilli } from "./money";
import { fieldErrorsOf } from "./field-error";

const at = (iso: string) => new Date(iso);
const evaluate = (
  value: string,
  current: { tierKey: string | null; heldUntil: Date | null },
  now: Date,
  grace = true,
) =>
  evaluateTier({
    tiers: DEFAULT_TIERS,
    window: "ROLLING_12_MONTHS",
    grace,
    value: parseMilli(value),
    current,
    now,
  });

describe("tiers", () => {
  it("reaching a threshold moves the member up", () => {
    const d = evaluate("250.00", { tierKey: "member", heldUntil: null }, at("2026-03-01T00:00:00Z"));
    expect(d).toMatchObject({ tierKey: "silver", changed: true, direction: "up" });
    expect(d.heldUntil).toEqual(at("2027-03-01T00:00:00Z"));
    expect(evaluate("999.99", { tierKey: "silver", heldUntil: d.heldUntil }, at("2026-04-01")).tierKey).toBe(
      "silver",
    );
    expect(evaluate("1000", { tierKey: "silver", heldUntil: d.heldUntil }, at("2026-04-01")).tierKey).toBe(
      "gold",
    );
  });

  it("with grace a member keeps the tier until the end of the next window", () => {
    const held = { tierKey: "gold", heldUntil: at("2027-01-10T00:00:00Z") };
    expect(evaluate("10.00", held, at("2026-12-01")).tierKey).toBe("gold");
    expect(evaluate("10.00", held, at("2027-01-10T00:00:01Z"))).toMatchObject({
      tierKey: "member",
      direction: "down",
    });
    expect(evaluate("300.00", held, at("2027-02-01"))).toMatchObject({
      tierKey: "silver",
      direction: "down",
    });
    // Without grace the drop is immediate.
    expect(evaluate("10.00", held, at("2026-12-01"), false).tierKey).toBe("member");
  });

  it("requalifying extends the grace period", () => {
    const held = { tierKey: "gold", heldUntil: at("2026-06-01T00:00:00Z") };
    expect(evaluate("1200.00", held, at("2026-05-01T00:00:00Z")).heldUntil).toEqual(
      at("2027-05-01T00:00:00Z"),
    );
  });

  it("windows", () => {
    expect(windowStart("ROLLING_12_MONTHS", at("2026-02-28T12:00:00Z"))).toEqual(at("2025-02-28T12:00:00Z"));
    expect(windowStart("CALENDAR_YEAR", at("2026-07-04T00:00:00Z"))).toEqual(at("2026-01-01T00:00:00Z"));
    expect(windowStart("LIFETIME", at("2026-07-04"))).toBeNull();
    expect(graceEnd("CALENDAR_YEAR", at("2026-07-04T00:00:00Z"))).toEqual(at("2028-01-01T00:00:00Z"));
    expect(graceEnd("ROLLING_12_MONTHS", at("2024-02-29T00:00:00Z"))).toEqual(at("2025-02-28T00:00:00Z"));
  });

  it("validates tier lists", () => {
    expect(tiersSchema.safeParse(DEFAULT_TIERS).success).toBe(true);
    const bad = tiersSchema.safeParse([
      { key: "a", name: "A", threshold: 10n, multiplierE4: 10_000 },
      { key: "b", name: "a", threshold: 5n, multiplierE4: 5_000 },
    ]);
    expect(bad.success).toBe(false);
    // Codes with values, in the merchant's terms (1), not the stored x10,000 (10000).
    expect(fieldErrorsOf(bad.error!.issues)).toEqual({
      "0.threshold": { code: "firstTier" },
      "1.threshold": { code: "abovePrevious" },
      "1.name": { code: "taken" },
      "1.multiplierE4": { code: "min", min: 1, unit: "decimal" },
    });
  });
});
