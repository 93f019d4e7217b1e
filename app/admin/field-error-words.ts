/**
 * Field errors in words, at the edge: a code with its values
 * (app/loyalty/field-error.ts), as the server answers it, becomes what is
 * wrong ("must be at most 365 days") in the staff member's language with its
 * numbers written the locale's way ("365 jours", "1 000 000 points"), and
 * then a full sentence after the field's name, as Shopify's admin writes
 * them ("Title can't be blank."). The words are `errors` in
 * app/admin/strings.ts and its translations.
 */
import type { ErrorUnit, FieldError } from "../loyalty/field-error";
import type { AdminStrings } from "./admin-strings";
import { type FormatSettings, formatDay, formatNumber } from "./format";

/** What wording needs: the language's words and its way of writing numbers (useFormat().number). */
export interface ErrorWriter {
  strings: AdminStrings;
  number: (value: number, digits?: { minimum?: number; maximum?: number }) => string;
  /** A calendar day (YYYY-MM-DD) as the locale writes it (useFormat().day). */
  day: (day: string) => string;
}

/** The writer for a language's words and a locale's way with numbers and days (useErrorWriter's). */
export function errorWriterFor(strings: AdminStrings, settings: FormatSettings): ErrorWriter {
  return {
    strings,
    number: (value, digits) => formatNumber(value, settings, digits),
    day: (day) => formatDay(day, settings),
  };
}

/** A number of a unit: "365 days", "1 000,00", "12,5 %". */
function quantity(value: number, unit: ErrorUnit | undefined, w: ErrorWriter): string {
  const units = w.strings.errors.units;
  switch (unit) {
    case undefined:
      return w.number(value, { maximum: 4 });
    case "money":
      return w.number(value, { minimum: 2, maximum: 2 });
    case "decimal":
      return w.number(value, { maximum: 4 });
    case "percent":
      return units.percent(value, w.number(value, { maximum: 2 }));
    case "points":
      return units.points(value, w.number(value, { maximum: 4 }));
    default:
      return units[unit](value, w.number(value));
  }
}

/** What is wrong with the field, in words: "must be at most 365 days". */
export function errorText(error: FieldError, w: ErrorWriter): string {
  const t = w.strings.errors;
  switch (error.code) {
    case "min":
      return t.min(quantity(error.min, error.unit, w));
    case "max":
      return t.max(quantity(error.max, error.unit, w));
    case "multiple":
      return t.multiple(quantity(error.of, error.unit, w));
    case "range":
      // The unit once, after the second number: "from 1 to 365 days".
      return t.range(
        error.unit === "money" || error.unit === undefined
          ? quantity(error.min, error.unit, w)
          : w.number(error.min),
        quantity(error.max, error.unit, w),
      );
    case "decimals":
      return t.decimals(error.max);
    case "amount":
    case "number":
    case "percent":
    case "host":
    case "https":
    case "email":
      return t[error.code](error.example);
    case "unknownTier":
      return t.unknownTier(error.tier);
    case "allOrders":
      return t.allOrders(w.day(error.since));
    case "belowZero":
      return t.belowZero(w.number(error.balance));
    case "columns":
      return t.columns(w.number(error.found), w.number(error.expected));
    case "repeated":
      return t.repeated(w.number(error.line));
    case "sharedEmail":
      return t.sharedEmail(error.count);
    default:
      return t[error.code];
  }
}

/** "Subject what is wrong." capitalized and ended with a full stop. */
function sentence(subject: string, text: string): string {
  const joined = `${subject} ${text}`.trim();
  return `${joined.charAt(0).toUpperCase()}${joined.slice(1)}${/[.!?]$/.test(joined) ? "" : "."}`;
}

/** The field's error as a full sentence naming it: "Days before points can be spent must be 0 or more." */
export function errorSentence(subject: string, error: FieldError, w: ErrorWriter): string {
  return sentence(subject, errorText(error, w));
}
