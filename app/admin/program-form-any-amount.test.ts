import { describe, expect, it } from "vitest";
import { DEFAULT_PROGRAM, DEFAULT_TIERS } from "../loyalty/program";
import { parseMilli } from "../loyalty/money";
import { NEW_REWARD, parseProgramForm, programFormOf } from "./program-form";

describe("program form: store credit and spend any amount", () => {
  it("reads a store credit reward whose customers choose the points, and shows it back", () => {
    const form = programFormOf(DEFAULT_PROGRAM, DEFAULT_TIERS, []);
    form.rewards = [
      {
        ...NEW_REWARD,
        title: "Store credit",
        type: "STORE_CREDIT",
        pointsCost: "100",
        amount: "1.00",
        anyAmount: true,
        anyMin: "500",
        anyMax: "5000",
      },
    ];
    const parsed = parseProgramForm(form);
    expect(parsed.ok).toBe(true);
    const [reward] = parsed.ok && "rewards" in parsed ? parsed.rewards! : [];
    expect(reward).toMatchObject({
      type: "STORE_CREDIT",
      pointsCost: 100,
      amountMilli: parseMilli("1.00"),
      spendAnyAmount: { minPoints: 500, maxPoints: 5000 },
    });
    const shown = programFormOf(DEFAULT_PROGRAM, DEFAULT_TIERS, [{ ...reward!, id: "r1" }]).rewards[0]!;
    expect(shown).toMatchObject({ anyAmount: true, anyMin: "500", anyMax: "5000", amount: "1.00" });
  });

  it("says which limit is not a number, and ignores the limits of a kind without an amount", () => {
    const form = programFormOf(DEFAULT_PROGRAM, DEFAULT_TIERS, []);
    form.rewards = [
      { ...NEW_REWARD, title: "A", pointsCost: "100", amount: "1.00", anyAmount: true, anyMin: "x" },
    ];
    const parsed = parseProgramForm(form);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.fieldErrors).toMatchObject({
      "rewards.0.anyMin": { code: "wholeNumber" },
    });
    const shipping = programFormOf(DEFAULT_PROGRAM, DEFAULT_TIERS, []);
    shipping.rewards = [
      { ...NEW_REWARD, type: "FREE_SHIPPING", title: "Ship", pointsCost: "400", anyAmount: true },
    ];
    const free = parseProgramForm(shipping);
    expect(free.ok && "rewards" in free && free.rewards![0]!.spendAnyAmount).toBeFalsy();
  });
});
