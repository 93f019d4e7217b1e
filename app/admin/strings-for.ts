/**
 * The admin's words in each language it speaks: English (strings.ts, the
 * source of truth) and its translations (locales/). Server code (an action's
 * messages) asks `stringsFor(locale)`; components ask `useStrings()` (i18n.tsx).
 */
import type { AdminStrings } from "./admin-strings";
import { type AdminLanguage, type AdminLocale, adminLocale } from "./locale";
import { de } from "./locales/de";
import { es } from "./locales/es";
import { fr } from "./locales/fr";
import { strings } from "./strings";

const STRINGS: Record<AdminLanguage, AdminStrings> = { en: strings, fr, de, es };

/** The admin's words in a locale (Shopify's tag, or one already resolved; unknown: English). */
export function stringsFor(locale: string | null | undefined | AdminLocale): AdminStrings {
  const resolved = typeof locale === "object" && locale !== null ? locale : adminLocale(locale);
  return STRINGS[resolved.language];
}
