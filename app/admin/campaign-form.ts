/**
 * The win-back launch form: what the merchant types (text) and its checked
 * conversion to a campaign. Every bad field is reported at once, keyed by the
 * field's name, so the page can show each error next to its field; nothing
 * is launched unless every field is good.
 */
import { z } from "zod";
import { MoneyFormatError, parseMilli, type Milli } from "../loyalty/money";
import type { AdminStrings } from "./admin-strings";
import { errorSentence } from "./error-sentence";
import { strings } from "./strings";

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

export type FieldErrors = Partial<Record<keyof CampaignForm, string>>;

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

function wholeNumber(text: string, min: number, max: number): number | string {
  const trimmed = text.trim();
  if (/^-\d+(\.\d*)?$/.test(trimmed)) return `must be from ${min} to ${max}`;
  if (!/^\d{1,7}$/.test(trimmed)) return "must be a whole number";
  const value = Number(trimmed);
  if (value < min || value > max) return `must be from ${min} to ${max}`;
  return value;
}

function money(text: string): Milli | string {
  const trimmed = text.trim();
  if (/^-\d+(\.\d*)?$/.test(trimmed)) return "must be more than 0";
  if (!/^\d{1,10}(\.\d{1,3})?$/.test(trimmed)) return "must be an amount like 10 or 12.50";
  try {
    return parseMilli(trimmed);
  } catch (error) {
    if (error instanceof MoneyFormatError) return "must be an amount like 10 or 12.50";
    throw error;
  }
}

/** The segment part alone (the live count on the form uses it); bad values fall back to the defaults. */
export function segmentOf(input: { inactiveDays?: string | null; minOrders?: string | null }): SegmentRule {
  const days = wholeNumber(input.inactiveDays ?? "", 1, 3650);
  const orders = wholeNumber(input.minOrders ?? "", 1, 1000);
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
      fieldErrors[field] ??= "is missing or not text";
    }
    return { ok: false, fieldErrors };
  }
  const form = parsed.data;
  const errors: FieldErrors = {};

  const name = form.name.trim();
  if (name.length > 60) errors.name = "must be at most 60 characters";
  else if (name.includes(",")) errors.name = "cannot contain a comma (it becomes a customer tag)";

  const inactiveDays = wholeNumber(form.inactiveDays, 1, 3650);
  if (typeof inactiveDays === "string") errors.inactiveDays = inactiveDays;
  const minOrders = wholeNumber(form.minOrders, 1, 1000);
  if (typeof minOrders === "string") errors.minOrders = minOrders;
  const validDays = wholeNumber(form.validDays, 1, 365);
  if (typeof validDays === "string") errors.validDays = validDays;

  let offerType: OfferType | null = null;
  let percentBps: number | null = null;
  let amountMilli: Milli | null = null;
  if (!(OFFER_TYPES as readonly string[]).includes(form.offerType)) {
    errors.offerType = "must be a percentage or a fixed amount";
  } else {
    offerType = form.offerType as OfferType;
    const value = form.value.trim();
    if (offerType === "PERCENTAGE") {
      if (/^-\d+(\.\d*)?$/.test(value)) errors.value = "must be from 1 to 100 percent";
      else if (!/^\d{1,3}(\.\d{1,2})?$/.test(value)) errors.value = "must be a percentage like 15 or 12.5";
      else {
        const bps = Math.round(Number(value) * 100);
        if (bps < 100 || bps > 10_000) errors.value = "must be from 1 to 100 percent";
        else percentBps = bps;
      }
    } else {
      const amount = money(value);
      if (typeof amount === "string") errors.value = amount;
      else if (amount <= 0n) errors.value = "must be more than 0";
      else if (amount > MAX_AMOUNT) errors.value = "is too large";
      else amountMilli = amount;
    }
  }

  let minimumSubtotalMilli: Milli | null = null;
  if (form.minimumSubtotal.trim() !== "") {
    const minimum = money(form.minimumSubtotal);
    if (typeof minimum === "string") errors.minimumSubtotal = minimum;
    else if (minimum <= 0n) errors.minimumSubtotal = "must be more than 0, or left empty";
    else if (minimum > MAX_AMOUNT) errors.minimumSubtotal = "is too large";
    else minimumSubtotalMilli = minimum;
  }

  if (!/^[\w-]{8,100}$/.test(form.idempotencyKey)) {
    errors.idempotencyKey = "is out of date: reload the page and try again";
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

/** Each error as a sentence naming its field, in the form's order. */
export function campaignErrors(
  fieldErrors: FieldErrors,
  form: Pick<CampaignForm, "offerType">,
): { key: keyof CampaignForm; sentence: string }[] {
  const names = strings.campaigns.errorFields;
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
    const fragment = fieldErrors[key];
    if (!fragment) return [];
    const name =
      key === "value" ? names[form.offerType === "FIXED_AMOUNT" ? "FIXED_AMOUNT" : "PERCENTAGE"] : names[key];
    return [{ key, sentence: errorSentence(name, fragment) }];
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
