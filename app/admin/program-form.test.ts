import { programErrors } from "./program-errors";
import { describe, expect, it } from "vitest";
import type { FieldErrors } from "../loyalty/field-error";
import { errorWriterFor } from "./field-error-words";
import { formatSettings } from "./format";
import { stringsFor } from "./strings-for";
import { DEFAULT_PROGRAM, DEFAULT_TIERS } from "../loyalty/program";
import { DEFAULT_REWARDS } from "../loyalty/rewards";
import { earnExample, NEW_REWARD, parseProgramForm, programFormOf } from "./program-form";

const saved = DEFAULT_REWARDS.map((reward, i) => ({ ...reward, id: `reward-${i}` }));
const form = () => programFormOf(DEFAULT_PROGRAM, DEFAULT_TIERS, saved);
/** What the page words errors with, for a staff member reading `locale`. */
const writer = (locale: string) => errorWriterFor(stringsFor(locale), formatSettings(locale, "UTC"));

describe("program form", () => {
  it("round-trips the defaults exactly", () => {
    expect(parseProgramForm(form())).toEqual({
      ok: true,
      settings: DEFAULT_PROGRAM,
      tiers: DEFAULT_TIERS.map((t) => ({ ...t, entryRewardKey: null })),
      rewards: saved,
    });
  });

  it("leaves the catalog alone when the form has no rewards", () => {
    const { rewards: _rewards, ...settingsOnly } = form();
    const parsed = parseProgramForm(settingsOnly);
    expect(parsed.ok && "rewards" in parsed).toBe(false);
  });

  it("reads each kind of reward; only the value its kind uses", () => {
    const withNew = form();
    withNew.rewards = [
      {
        ...NEW_REWARD,
        title: "12.5% off",
        type: "PERCENTAGE",
        pointsCost: "900",
        percent: "12.5",
        amount: "junk",
      },
      {
        ...NEW_REWARD,
        title: "Ship free",
        key: "ship",
        type: "FREE_SHIPPING",
        pointsCost: "300",
        percent: "x",
      },
      {
        ...NEW_REWARD,
        title: "7.50 off",
        pointsCost: "750",
        amount: "7.5",
        minimumSubtotal: "40.00",
        codeLifetimeDays: "14",
        tierKeys: ["gold"],
        enabled: false,
      },
    ];
    const parsed = parseProgramForm(withNew);
    expect(parsed.ok && parsed.rewards).toEqual([
      expect.objectContaining({
        id: null,
        key: "12-5-off",
        type: "PERCENTAGE",
        percentBps: 1250,
        amountMilli: null,
      }),
      expect.objectContaining({
        id: null,
        key: "ship",
        type: "FREE_SHIPPING",
        percentBps: null,
        amountMilli: null,
      }),
      expect.objectContaining({
        id: null,
        key: "7-50-off",
        amountMilli: 7_500n,
        minimumSubtotalMilli: 40_000n,
        codeLifetimeDays: 14,
        tierKeys: ["gold"],
        enabled: false,
      }),
    ]);
  });

  it("reports a reward's malformed fields by row, with the form's names", () => {
    const bad = form();
    bad.rewards = [
      bad.rewards[0]!,
      { ...bad.rewards[1]!, pointsCost: "1.5", amount: "ten", codeLifetimeDays: "", minimumSubtotal: "-3" },
      { ...NEW_REWARD, title: "Some off", type: "PERCENTAGE", pointsCost: "100", percent: "10.125" },
    ];
    expect(parseProgramForm(bad)).toMatchObject({
      ok: false,
      fieldErrors: {
        "rewards.1.pointsCost": { code: "wholeNumber" },
        "rewards.1.amount": { code: "amount", example: "5.00" },
        "rewards.1.codeLifetimeDays": { code: "wholeNumber" },
        // A negative number is told so, not that it is "not an amount".
        "rewards.1.minimumSubtotal": { code: "notNegative" },
        "rewards.2.percent": { code: "percent", example: "12.5" },
      },
    });
  });

  it("reports every malformed field at once, by the name the page shows", () => {
    const bad = { ...form(), earnRate: "five", pendingDays: "-1", expiryMonths: "soon" };
    bad.tiers = bad.tiers.map((tier, i) =>
      i === 1 ? { ...tier, threshold: "lots", multiplier: "x2" } : tier,
    );
    const parsed = parseProgramForm(bad);
    expect(parsed).toMatchObject({
      ok: false,
      fieldErrors: {
        earnRate: { code: "number", example: "5" },
        pendingDays: { code: "notNegative" },
        expiryMonths: { code: "wholeNumber" },
        "tiers.1.threshold": { code: "amount", example: "250.00" },
        "tiers.1.multiplier": { code: "number", example: "1.25" },
      },
    });
    // What could be read is kept, for the domain's checks of the other fields.
    expect(!parsed.ok && parsed.values.settings.signupBonus).toBe(Number(form().signupBonus));
  });

  const codes: FieldErrors = {
    "rewards.0.pointsCost": { code: "min", min: 1, unit: "points" },
    "tiers.1.threshold": { code: "abovePrevious" },
    signupBonus: { code: "max", max: 1_000_000, unit: "points" },
    earnRate: { code: "notNegative" },
    "tiers.2.name": { code: "required" },
  };
  const page = form();
  const unnamed = { ...page, tiers: page.tiers.map((tier, i) => (i === 2 ? { ...tier, name: "" } : tier)) };

  it("words each error as a sentence naming its field, in page order", () => {
    expect(programErrors(codes, unnamed, writer("en"))).toEqual([
      { key: "earnRate", sentence: "Points per 1.00 of eligible spend must be 0 or more." },
      { key: "signupBonus", sentence: "Points for creating an account must be at most 1,000,000 points." },
      {
        key: "tiers.1.threshold",
        sentence: "The Silver tier's threshold must be above the previous tier's.",
      },
      { key: "tiers.2.name", sentence: "Tier 3's name is required." },
      {
        key: "rewards.0.pointsCost",
        sentence: `The "${page.rewards[0]!.title}" reward's cost must be at least 1 point.`,
      },
    ]);
  });

  it("words the same codes in the staff member's language, numbers written its way", () => {
    expect(programErrors(codes, unnamed, writer("fr")).map((error) => error.sentence)).toEqual([
      "Points par 1,00 de montant éligible doit être supérieur ou égal à 0.",
      "Points pour la création d’un compte doit être d’au plus 1\u202f000\u202f000 points.",
      "Niveau « Silver » : le seuil doit être supérieur à celui du niveau précédent.",
      "Niveau 3 : le nom est obligatoire.",
      `Récompense « ${page.rewards[0]!.title} » : le coût doit être d’au moins 1 point.`,
    ]);
    expect(programErrors({ signupBonus: codes.signupBonus! }, unnamed, writer("de"))).toEqual([
      { key: "signupBonus", sentence: expect.stringContaining("darf höchstens 1.000.000 Punkte sein.") },
    ]);
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
    expect(earnExample(form())).toEqual({
      orderTotal: "80.00",
      points: 400,
      top: { name: "Gold", points: 600 },
    });
    expect(earnExample({ ...form(), earnRate: "?" })).toBe(null);
  });
});
