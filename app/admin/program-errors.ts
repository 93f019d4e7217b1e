/**
 * The program page's errors as the merchant reads them: one full sentence per
 * bad field, naming the field as the page does ("Points for creating an
 * account must be at most 1,000,000 points."; "The Gold tier's threshold must
 * be above the previous tier's."), in the order the fields are on the page,
 * in the staff member's language. The server answers codes keyed by field
 * ("signupBonus": { code: "max", max: 1000000, unit: "points" }); the page
 * shows each sentence under its field and all of them in a banner at the top,
 * as Shopify's admin does.
 */
import type { FieldErrors } from "../loyalty/field-error";
import { type ErrorWriter, errorSentence } from "./field-error-words";
import type { ProgramForm } from "./program-form";

/** The settings' fields in page order. */
const SETTINGS = [
  "earnRate",
  "pendingDays",
  "expiryMonths",
  "expiryWarningDays",
  "signupBonus",
  "birthdayBonus",
  "excludedTags",
  "tierBasis",
  "tierWindow",
  "tierTagPrefix",
] as const;

export interface ProgramError {
  /** The form's field ("earnRate", "tiers.1.threshold"). */
  key: string;
  sentence: string;
}

export function programErrors(
  fieldErrors: FieldErrors,
  form: Pick<ProgramForm, "tiers" | "rewards">,
  w: ErrorWriter,
): ProgramError[] {
  const t = w.strings.program;
  const fieldName = (field: string) => (t.errorFields as Record<string, string>)[field] ?? field;
  const order = (key: string): number => {
    const setting = (SETTINGS as readonly string[]).indexOf(key);
    if (setting >= 0) return setting;
    const item = /^(tiers|rewards)\.(\d+)\./.exec(key);
    if (item) return (item[1] === "tiers" ? 1_000 : 100_000) + Number(item[2]) * 100;
    return key === "tiers" ? 999 : key === "rewards" ? 99_999 : 1_000_000;
  };
  return Object.entries(fieldErrors)
    .sort(([a], [b]) => order(a) - order(b))
    .map(([key, error]) => {
      if ((SETTINGS as readonly string[]).includes(key))
        return { key, sentence: errorSentence(t[key as (typeof SETTINGS)[number]], error, w) };
      const tier = /^tiers\.(\d+)\.(\w+)$/.exec(key);
      if (tier) {
        const i = Number(tier[1]);
        const who = t.tierWho(form.tiers[i]?.name.trim() ?? "", i + 1);
        return { key, sentence: errorSentence(`${who} ${fieldName(tier[2]!)}`, error, w) };
      }
      const reward = /^rewards\.(\d+)\.(\w+)$/.exec(key);
      if (reward) {
        const i = Number(reward[1]);
        const who = t.rewardWho(form.rewards[i]?.title.trim() ?? "", i + 1);
        return { key, sentence: errorSentence(`${who} ${fieldName(reward[2]!)}`, error, w) };
      }
      return { key, sentence: errorSentence(fieldName(key), error, w) };
    });
}
