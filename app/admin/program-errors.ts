/**
 * The program page's errors as the merchant reads them: one full sentence per
 * bad field, naming the field as the page does ("Points for creating an
 * account must be at most 1,000,000 points."; "The Gold tier's threshold must
 * be above the previous tier's."), in the order the fields are on the page.
 * The server answers short fragments keyed by field ("signupBonus": "must be
 * at most 1,000,000 points"); the page shows each sentence under its field and
 * all of them in a banner at the top, as Shopify's admin does.
 */
import { errorSentence } from "./error-sentence";
import type { ProgramForm } from "./program-form";
import { strings } from "./strings";

const t = strings.program;

/** The settings' fields in page order, with their labels. */
const SETTINGS: [key: string, label: string][] = [
  ["earnRate", t.earnRate],
  ["pendingDays", t.pendingDays],
  ["expiryMonths", t.expiryMonths],
  ["expiryWarningDays", t.expiryWarningDays],
  ["signupBonus", t.signupBonus],
  ["birthdayBonus", t.birthdayBonus],
  ["excludedTags", t.excludedTags],
  ["tierBasis", t.tierBasis],
  ["tierWindow", t.tierWindow],
  ["tierTagPrefix", t.tierTagPrefix],
];

const sentence = errorSentence;

const fieldName = (field: string) => (t.errorFields as Record<string, string>)[field] ?? field;

export interface ProgramError {
  /** The form's field ("earnRate", "tiers.1.threshold"), or "form" for the page as a whole. */
  key: string;
  sentence: string;
}

export function programErrors(
  fieldErrors: Record<string, string>,
  form: Pick<ProgramForm, "tiers" | "rewards">,
): ProgramError[] {
  const order = (key: string): number => {
    const setting = SETTINGS.findIndex(([name]) => name === key);
    if (key === "form") return -1;
    if (setting >= 0) return setting;
    const item = /^(tiers|rewards)\.(\d+)\./.exec(key);
    if (item) return (item[1] === "tiers" ? 1_000 : 100_000) + Number(item[2]) * 100;
    return key === "tiers" ? 999 : key === "rewards" ? 99_999 : 1_000_000;
  };
  return Object.entries(fieldErrors)
    .sort(([a], [b]) => order(a) - order(b))
    .map(([key, fragment]) => {
      if (key === "form") return { key, sentence: fragment };
      const setting = SETTINGS.find(([name]) => name === key);
      if (setting) return { key, sentence: sentence(setting[1], fragment) };
      const tier = /^tiers\.(\d+)\.(\w+)$/.exec(key);
      if (tier) {
        const i = Number(tier[1]);
        const who = t.tierWho(form.tiers[i]?.name.trim() ?? "", i + 1);
        return { key, sentence: sentence(`${who} ${fieldName(tier[2]!)}`, fragment) };
      }
      const reward = /^rewards\.(\d+)\.(\w+)$/.exec(key);
      if (reward) {
        const i = Number(reward[1]);
        const who = t.rewardWho(form.rewards[i]?.title.trim() ?? "", i + 1);
        return { key, sentence: sentence(`${who} ${fieldName(reward[2]!)}`, fragment) };
      }
      return { key, sentence: sentence(`${fieldName(key)}:`, fragment) };
    });
}
