import { describe, expect, it } from "vitest";
import { DEFAULT_PROGRAM, DEFAULT_TIERS } from "../loyalty/program";
import { earnExample, parseProgramForm, programFormOf } from "./program-form";

const form = () => programFormOf(DEFAULT_PROGRAM, DEFAULT_TIERS);

describe("program form", () => {
  it("round-trips the defaults exactly", () => {
    expect(parseProgramForm(form())).toEqual({
      ok: true,
      settings: DEFAULT_PROGRAM,
      tiers: DEFAULT_TIERS.map((t) => ({ ...t, entryRewardKey: null })),
    });
  });

  it("reports every malformed field at once, by the name the page shows", () => {
    const bad = { ...form(), earnRate: "five", pendingDays: "-1", expiryMonths: "soon" };
    bad.tiers = bad.tiers.map((tier, i) =>
      i === 1 ? { ...tier, threshold: "lots", multiplier: "x2" } : tier,
    );
    expect(parseProgramForm(bad)).toEqual({
      ok: false,
      fieldErrors: {
        earnRate: "must be a number of points, with at most 4 decimals",
        pendingDays: "must be a whole number",
        expiryMonths: "must be a whole number",
        "tiers.1.threshold": "must be an amount such as 250.00",
        "tiers.1.multiplier": "must be a number such as 1.25",
      },
    });
  });

  it("gives a new tier a key from its name; an empty expiry means never", () => {
    const withNew = { ...form(), expiryMonths: "" };
    withNew.tiers = [
      ...withNew.tiers,
      { key: "", name: "Platinum Club", threshold: "5000.00", multiplier: "2", entryRewardKey: "25-off" },
    ];
    const parsed = parseProgramForm(withNew);
    expect(parsed.ok && parsed.settings.expiryMonths).toBe(null);
    expect(parsed.ok && parsed.tiers[3]).toEqual({
      key: "platinum-club",
      name: "Platinum Club",
      threshold: 5_000_000n,
      multiplierE4: 20_000,
      entryRewardKey: "25-off",
    });
  });

  it("explains earning with a worked example", () => {
    expect(earnExample(form())).toBe("An order of 80.00 earns 400 points; a Gold member earns 600.");
    expect(earnExample({ ...form(), earnRate: "?" })).toBe(null);
  });
});
