/**
 * The win-back launch form: what the merchant types (text) and its checked
 * conversion to a campaign. Every bad field is reported at once, keyed by the
 * field's name, so the page can show each error next to its field; nothing
 * is launched unless every field is good.
 */
import { z } from "zod";
import type { FieldError } from "../loyalty/field-error";
import { MoneyFormatError, parseMilli, type Milli } from "../loyalty/money";
import type { AdminStrings } from "./admin-strings";
import { type ErrorWriter, errorSentence } from "./field-error-words";

/** The dashboard's and the customer list's at-risk setting: no order in this many days. */
const DEFAULT_INACTIVE_DAYS = 180;
const DEFAULT_MIN_ORDERS = 1;
const DEFAULT_VALID_DAYS = 7;

const OFFER_TYPES = ["PERCENTAGE", "FIXED_AMOUNT"] as const;
export type OfferType = (typeof OFFER_TYPES)[number];

export interface CampaignForm {
  name: string;
  inactiveDays: string;
  minOrders: string;
  offerType: string;
  value: string;
  validDays: string;
  minimumSubtotal: string;
  idempotencyKey: string;
}

export interface SegmentRule {
  /** Last order more than this many days ago. */
  inactiveDays: number;
  /** At least this many orders. */
  minOrders: number;
}

export interface CampaignInput extends SegmentRule {
  /** Empty: the launch date names the campaign. */
  name: string;
  offerType: OfferType;
  /** PERCENTAGE: percent x100 (10% = 1000). */
  percentBps: number | null;
  /** FIXED_AMOUNT: milli-units of the shop currency. */
  amountMilli: Milli | null;
  minimumSubtotalMilli: Milli | null;
  validDays: number;
  idempotencyKey: string;
}

export type FieldErrors = Partial<Record<keyof CampaignForm, FieldError>>;

export const campaignFormDefaults = (): Omit<CampaignForm, "idempotencyKey"> => ({
  name: "",
  inactiveDays: String(DEFAULT_INACTIVE_DAYS),
  minOrders: String(DEFAULT_MIN_ORDERS),
  offerType: "PERCENTAGE",
  value: "15",
  validDays: String(DEFAULT_VALID_DAYS),
  minimumSubtotal: "",
});

const MAX_AMOUNT: Milli = 1_000_000_000n; // 1,000,000.00

type Unit = "days" | "orders";

function wholeNumber(text: string, min: number, max: number, unit: Unit): number | FieldError {
  const trimmed = text.trim();
  const range: FieldError = { code: "range", min, max, unit };
  if (/^-\d+(\.\d*)?$/.test(trimmed)) return range;
  if (!/^\d{1,7}$/.test(trimmed)) return { code: "wholeNumber" };
  const value = Number(trimmed);
  if (value < min || value > max) return range;
  return value;
}

const NOT_AN_AMOUNT: FieldError = { code: "amount", example: "12.50" };
const TOO_LARGE: FieldError = { code: "max", max: Number(MAX_AMOUNT) / 1000, unit: "money" };

function money(text: string): Milli | FieldError {
  const trimmed = text.trim();
  if (/^-\d+(\.\d*)?$/.test(trimmed)) return { code: "moreThanZero" };
  if (!/^\d{1,10}(\.\d{1,3})?$/.test(trimmed)) return NOT_AN_AMOUNT;
  try {
    return parseMilli(trimmed);
  } catch (error) {
    if (error instanceof MoneyFormatError) return NOT_AN_AMOUNT;
    throw error;
  }
}

/** The segment part alone (the live count on the form uses it); bad values fall back to the defaults. */
export function segmentOf(input: { inactiveDays?: string | null; minOrders?: string | null }): SegmentRule {
  const days = wholeNumber(input.inactiveDays ?? "", 1, 3650, "days");
  const orders = wholeNumber(input.minOrders ?? "", 1, 1000, "orders");
  return {
    inactiveDays: typeof days === "number" ? days : DEFAULT_INACTIVE_DAYS,
    minOrders: typeof orders === "number" ? orders : DEFAULT_MIN_ORDERS,
  };
}

const shape = z.object({
  name: z.string().max(1000),
  inactiveDays: z.string().max(100),
  minOrders: z.string().max(100),
  offerType: z.string().max(100),
  value: z.string().max(100),
  validDays: z.string().max(100),
  minimumSubtotal: z.string().max(100).default(""),
  idempotencyKey: z.string().max(200),
});

export type ParsedCampaign = { ok: true; input: CampaignInput } | { ok: false; fieldErrors: FieldErrors };

/** Checks every field of a posted form; the input only when all are good. */
export function parseCampaignForm(body: unknown): ParsedCampaign {
  const parsed = shape.safeParse(body);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "name") as keyof CampaignForm;
      fieldErrors[field] ??= { code: "invalid" };
    }
    return { ok: false, fieldErrors };
  }
  const form = parsed.data;
  const errors: FieldErrors = {};

  const name = form.name.trim();
  if (name.length > 60) errors.name = { code: "max", max: 60, unit: "characters" };
  else if (name.includes(",")) errors.name = { code: "comma" };

  const inactiveDays = wholeNumber(form.inactiveDays, 1, 3650, "days");
  if (typeof inactiveDays !== "number") errors.inactiveDays = inactiveDays;
  const minOrders = wholeNumber(form.minOrders, 1, 1000, "orders");
  if (typeof minOrders !== "number") errors.minOrders = minOrders;
  const validDays = wholeNumber(form.validDays, 1, 365, "days");
  if (typeof validDays !== "number") errors.validDays = validDays;

  let offerType: OfferType | null = null;
  let percentBps: number | null = null;
  let amountMilli: Milli | null = null;
  if (!(OFFER_TYPES as readonly string[]).includes(form.offerType)) {
    errors.offerType = { code: "choice" };
  } else {
    offerType = form.offerType as OfferType;
    const value = form.value.trim();
    if (offerType === "PERCENTAGE") {
      const range: FieldError = { code: "range", min: 1, max: 100, unit: "percent" };
      if (/^-\d+(\.\d*)?$/.test(value)) errors.value = range;
      else if (!/^\d{1,3}(\.\d{1,2})?$/.test(value)) errors.value = { code: "percent", example: "12.5" };
      else {
        const bps = Math.round(Number(value) * 100);
        if (bps < 100 || bps > 10_000) errors.value = range;
        else percentBps = bps;
      }
    } else {
      const amount = money(value);
      if (typeof amount !== "bigint") errors.value = amount;
      else if (amount <= 0n) errors.value = { code: "moreThanZero" };
      else if (amount > MAX_AMOUNT) errors.value = TOO_LARGE;
      else amountMilli = amount;
    }
  }

  let minimumSubtotalMilli: Milli | null = null;
  if (form.minimumSubtotal.trim() !== "") {
    const minimum = money(form.minimumSubtotal);
    if (typeof minimum !== "bigint") errors.minimumSubtotal = minimum;
    else if (minimum <= 0n) errors.minimumSubtotal = { code: "moreThanZero" };
    else if (minimum > MAX_AMOUNT) errors.minimumSubtotal = TOO_LARGE;
    else minimumSubtotalMilli = minimum;
  }

  if (!/^[\w-]{8,100}$/.test(form.idempotencyKey)) {
    errors.idempotencyKey = { code: "stale" };
  }

  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    input: {
      name,
      inactiveDays: inactiveDays as number,
      minOrders: minOrders as number,
      offerType: offerType!,
      percentBps,
      amountMilli,
      minimumSubtotalMilli,
      validDays: validDays as number,
      idempotencyKey: form.idempotencyKey,
    },
  };
}

/** Each error as a sentence naming its field, in the form's order, in the staff member's language. */
export function campaignErrors(
  fieldErrors: FieldErrors,
  form: Pick<CampaignForm, "offerType">,
  w: ErrorWriter,
): { key: keyof CampaignForm; sentence: string }[] {
  const names = w.strings.campaigns.errorFields;
  const order: (keyof CampaignForm)[] = [
    "inactiveDays",
    "minOrders",
    "offerType",
    "value",
    "validDays",
    "minimumSubtotal",
    "name",
    "idempotencyKey",
  ];
  return order.flatMap((key) => {
    const error = fieldErrors[key];
    if (!error) return [];
    const name =
      key === "value" ? names[form.offerType === "FIXED_AMOUNT" ? "FIXED_AMOUNT" : "PERCENTAGE"] : names[key];
    return [{ key, sentence: errorSentence(name, error, w) }];
  });
}

/** The customer tag of a campaign: "Regulars win-back <name>". */
export const campaignTag = (name: string) => `Regulars win-back ${name}`.trim().slice(0, 255);

/** The offer in words, e.g. "15% off" or "10.00 off, orders from 50.00". */
export function offerText(
  offer: {
    offerType: OfferType;
    percentBps: number | null;
    amount: string | null;
    minimumSubtotal: string | null;
  },
  words: AdminStrings["campaigns"]["offerWords"],
  write: { money: (amount: string) => string; percent: (ratio: number) => string },
): string {
  const off =
    offer.offerType === "PERCENTAGE"
      ? words.percentOff(write.percent((offer.percentBps ?? 0) / 10_000))
      : words.amountOff(write.money(offer.amount ?? "0"));
  return offer.minimumSubtotal ? words.fromMinimum(off, write.money(offer.minimumSubtotal)) : off;
}
