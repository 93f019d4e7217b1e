/**
 * Every field error code (app/loyalty/field-error.ts) has a sentence in each language of the
 * admin, with its values filled in and its numbers written the language's way; a code added
 * without a sample here fails the typecheck (SAMPLES is keyed by every code).
 */
import { describe, expect, it } from "vitest";
import {
  errorSentence,
  errorText,
  errorWriterFor,
  type ErrorWriter,
} from "../../app/admin/field-error-words";
import { formatNumber, formatSettings } from "../../app/admin/format";
import { stringsFor } from "../../app/admin/strings-for";
import {
  fieldErrorOf,
  fieldErrorsOf,
  issue,
  type FieldError,
  type FieldErrorCode,
} from "../../app/loyalty/field-error";
import { programSchema, DEFAULT_PROGRAM } from "../../app/loyalty/program";
import { DEFAULT_REFERRAL_SETTINGS, referralSettingsSchema } from "../../app/loyalty/referrals";

/** One error of each code, with values that show in the sentence. */
const SAMPLES: { [C in FieldErrorCode]: Extract<FieldError, { code: C }> } = {
  required: { code: "required" },
  invalid: { code: "invalid" },
  wholeNumber: { code: "wholeNumber" },
  notNegative: { code: "notNegative" },
  moreThanZero: { code: "moreThanZero" },
  notZero: { code: "notZero" },
  min: { code: "min", min: 1234, unit: "points" },
  max: { code: "max", max: 1_000_000, unit: "points" },
  range: { code: "range", min: 1, max: 3650, unit: "days" },
  multiple: { code: "multiple", of: 250, unit: "points" },
  decimals: { code: "decimals", max: 4 },
  amount: { code: "amount", example: "250.00" },
  number: { code: "number", example: "1.25" },
  percent: { code: "percent", example: "12.5" },
  host: { code: "host", example: "smtp.example.com" },
  https: { code: "https", example: "https://instagram.com/yourshop" },
  email: { code: "email", example: "rewards@example.com" },
  key: { code: "key" },
  comma: { code: "comma" },
  choice: { code: "choice" },
  taken: { code: "taken" },
  firstTier: { code: "firstTier" },
  abovePrevious: { code: "abovePrevious" },
  keyLocked: { code: "keyLocked" },
  keyRetired: { code: "keyRetired" },
  unknownTier: { code: "unknownTier", tier: "platinum" },
  tierTwice: { code: "tierTwice" },
  notInCatalog: { code: "notInCatalog" },
  chosenAmount: { code: "chosenAmount" },
  emptySegment: { code: "emptySegment" },
  beforeEnd: { code: "beforeEnd" },
  future: { code: "future" },
  past: { code: "past" },
  allOrders: { code: "allOrders", since: "2026-10-08" },
  stale: { code: "stale" },
  belowZero: { code: "belowZero", balance: 1250 },
  columns: { code: "columns", found: 2, expected: 3 },
  header: { code: "header" },
  repeated: { code: "repeated", line: 1042 },
  unknownEmail: { code: "unknownEmail" },
  sharedEmail: { code: "sharedEmail", count: 2 },
  csvQuote: { code: "csvQuote" },
  csvUnclosed: { code: "csvUnclosed" },
};

const LANGUAGES = ["en", "fr", "de", "es"] as const;

const writer = (locale: string): ErrorWriter =>
  errorWriterFor(stringsFor(locale), formatSettings(locale, "UTC"));

/** The values an error carries that must show in its sentence, written the language's way. */
function shown(error: FieldError, locale: string): string[] {
  const n = (value: number) => formatNumber(value, { locale });
  switch (error.code) {
    case "min":
      return [n(error.min)];
    case "max":
      return [n(error.max)];
    case "range":
      return [n(error.min), n(error.max)];
    case "amount":
    case "number":
    case "percent":
    case "host":
    case "https":
    case "email":
      return [error.example];
    case "unknownTier":
      return [error.tier];
    case "allOrders":
      return [
        new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" }).format(
          new Date(error.since),
        ),
      ];
    case "belowZero":
      return [n(error.balance)];
    case "columns":
      return [n(error.found), n(error.expected)];
    case "repeated":
      return [n(error.line)];
    case "sharedEmail":
      return [n(error.count)];
    default:
      return [];
  }
}

describe.each(LANGUAGES)("field errors in %s", (locale) => {
  it.each(Object.values(SAMPLES))("$code has a sentence with its values", (error) => {
    const text = errorText(error, writer(locale));
    expect(text.trim()).not.toBe("");
    expect(text).not.toMatch(/undefined|NaN|\[object|\{|\}/);
    for (const value of shown(error, locale)) expect(text, error.code).toContain(value);
    const sentence = errorSentence("X", error, writer(locale));
    expect(sentence).toMatch(/^X .+\.$/);
  });

  if (locale !== "en") {
    it("is not English", () => {
      const same = Object.values(SAMPLES).filter(
        (error) => errorText(error, writer(locale)) === errorText(error, writer("en")),
      );
      expect(same.map((error) => error.code)).toEqual([]);
    });
  }
});

describe("numbers and units in the language's way", () => {
  it.each([
    ["en", "must be at most 1,000,000 points"],
    ["fr", "doit être d’au plus 1\u202f000\u202f000 points"],
    ["de", "darf höchstens 1.000.000 Punkte sein"],
    ["es", "debe ser como máximo 1.000.000 puntos"],
  ])("%s: %s", (locale, text) => {
    expect(errorText(SAMPLES.max, writer(locale))).toBe(text);
  });
  it("writes amounts with their decimals and percentages with the language's sign", () => {
    expect(errorText({ code: "min", min: 0.01, unit: "money" }, writer("fr"))).toBe(
      "doit être d’au moins 0,01",
    );
    expect(errorText({ code: "max", max: 100, unit: "percent" }, writer("de"))).toBe(
      "darf höchstens 100\u00a0% sein",
    );
    expect(errorText({ code: "range", min: 1, max: 1, unit: "days" }, writer("fr"))).toBe(
      "doit être compris entre 1 et 1 jour",
    );
  });
});

describe("a rule's code travels through zod", () => {
  it("comes back from a schema's issues as the code and values the rule gave", () => {
    const parsed = programSchema.safeParse({ ...DEFAULT_PROGRAM, pendingDays: 400, tierTagPrefix: "a,b" });
    expect(parsed.success).toBe(false);
    expect(fieldErrorsOf(parsed.error!.issues)).toEqual({
      pendingDays: { code: "max", max: 365, unit: "days" },
      tierTagPrefix: { code: "comma" },
    });
  });
  it("the referral settings' rules give codes too, a non-number as wholeNumber", () => {
    const parsed = referralSettingsSchema.safeParse({
      ...DEFAULT_REFERRAL_SETTINGS,
      referrerPoints: Number.NaN,
      refereePercent: 0,
      monthlyCap: -1,
    });
    expect(fieldErrorsOf(parsed.error!.issues)).toEqual({
      referrerPoints: { code: "wholeNumber" },
      refereePercent: { code: "min", min: 1, unit: "percent" },
      monthlyCap: { code: "notNegative" },
    });
    expect(
      errorSentence(
        stringsFor("fr").referrals.refereePercent,
        { code: "max", max: 100, unit: "percent" },
        writer("fr"),
      ),
    ).toBe("Réduction de l’ami sur une première commande (%) doit être d’au plus 100\u202f%.");
  });
  it("reads zod's own messages as invalid", () => {
    expect(fieldErrorOf("Invalid input: expected number, received string")).toEqual({ code: "invalid" });
    expect(fieldErrorOf("{not json")).toEqual({ code: "invalid" });
    expect(fieldErrorOf(issue({ code: "taken" }))).toEqual({ code: "taken" });
  });
});
