/**
 * What is wrong with a field a merchant filled in, as a code with its values,
 * never as words: `{ code: "max", max: 365, unit: "days" }`. Every rule that
 * refuses a value (the program's and the catalog's schemas here, the admin's
 * form parsers, the services' checks) says it this way; the answer carries it
 * to the page as JSON, and only the page words it, in the staff member's
 * language with numbers written the locale's way
 * (app/admin/field-error-words.ts, the words in app/admin/strings.ts
 * `errors` and its translations). One code per concept: a new kind of error is
 * a new code here and a sentence in every language.
 */

/** What a number in an error counts. `money` and `decimal` are amounts written with their decimals. */
export type ErrorUnit =
  | "points"
  | "days"
  | "months"
  | "characters"
  | "tags"
  | "tiers"
  | "rewards"
  | "orders"
  | "events"
  | "collections"
  | "percent"
  | "money"
  | "decimal";

export type FieldError =
  /** Empty, or missing from the request. */
  | { code: "required" }
  /** Not a value of its kind at all (a bad request rather than a typo). */
  | { code: "invalid" }
  | { code: "wholeNumber" }
  | { code: "notNegative" }
  | { code: "moreThanZero" }
  | { code: "notZero" }
  | { code: "min"; min: number; unit?: ErrorUnit }
  | { code: "max"; max: number; unit?: ErrorUnit }
  | { code: "range"; min: number; max: number; unit?: ErrorUnit }
  /** Must be a multiple of `of` (spend any amount: whole steps of a reward's points). */
  | { code: "multiple"; of: number; unit?: ErrorUnit }
  | { code: "decimals"; max: number }
  /** Not written as an amount, a number or a percentage; `example` is one the field accepts, as typed. */
  | { code: "amount"; example: string }
  | { code: "number"; example: string }
  | { code: "percent"; example: string }
  | { code: "host"; example: string }
  /** Not an https link to the place the field is for (a social network); `example` is one that is. */
  | { code: "https"; example: string }
  | { code: "email"; example: string }
  /** A key (a tier's or a reward's): 1-40 lowercase letters, digits or dashes. */
  | { code: "key" }
  /** A comma in what becomes a Shopify tag (Shopify splits tags on commas). */
  | { code: "comma" }
  /** Not one of the choices the form offers. */
  | { code: "choice" }
  /** Another item of the form or of the shop already has it. */
  | { code: "taken" }
  | { code: "firstTier" }
  | { code: "abovePrevious" }
  /** A saved reward's key: codes and the storefront refer to it. */
  | { code: "keyLocked" }
  /** The key of a removed reward that issued codes. */
  | { code: "keyRetired" }
  | { code: "unknownTier"; tier: string }
  | { code: "tierTwice" }
  | { code: "notInCatalog" }
  /** A "spend any amount" reward, whose worth the shopper chooses: it cannot be given for free. */
  | { code: "chosenAmount" }
  | { code: "emptySegment" }
  /** A date range's first day on or after its last. */
  | { code: "beforeEnd" }
  | { code: "future" }
  /** A day before today (a bonus event's first or last day). */
  | { code: "past" }
  /** Orders before `since` (YYYY-MM-DD) need the access to all orders the merchant has not granted. */
  | { code: "allOrders"; since: string }
  /** The form's idempotency key: the page is out of date. */
  | { code: "stale" }
  | { code: "belowZero"; balance: number }
  /** Import: a row with a different number of fields than the header. */
  | { code: "columns"; found: number; expected: number }
  /** Import: the header lacks the "email" or the "points" column. */
  | { code: "header" }
  | { code: "repeated"; line: number }
  | { code: "unknownEmail" }
  | { code: "sharedEmail"; count: number }
  | { code: "csvQuote" }
  | { code: "csvUnclosed" };

export type FieldErrorCode = FieldError["code"];

/** Field errors keyed by the form's field ("earnRate", "tiers.1.threshold"). */
export type FieldErrors = Record<string, FieldError>;

/**
 * A FieldError as a zod issue's message: zod carries only text, so the code and
 * its values travel as JSON and `fieldErrorOf` reads them back.
 */
export const issue = (error: FieldError): string => JSON.stringify(error);

/** The FieldError a zod issue's message carries; a message of zod's own (a wrong type) is `invalid`. */
export function fieldErrorOf(message: string): FieldError {
  if (message.startsWith("{")) {
    try {
      const parsed = JSON.parse(message) as { code?: unknown };
      if (typeof parsed.code === "string") return parsed as FieldError;
    } catch {
      // Not ours: below.
    }
  }
  return { code: "invalid" };
}

/** A rule's refusals, each on its field (a zod error's issues, with a prefix such as "tiers."). */
export function fieldErrorsOf(issues: { path: PropertyKey[]; message: string }[], prefix = ""): FieldErrors {
  return Object.fromEntries(
    issues.map((each) => [`${prefix}${each.path.map(String).join(".")}`, fieldErrorOf(each.message)]),
  );
}
