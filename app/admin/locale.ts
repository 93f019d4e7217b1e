/**
 * The admin's language, from the locale Shopify sends: the `locale` parameter
 * of the admin's request to the embedded app, the staff member's language
 * ("fr", "pt-BR", ...; https://shopify.dev/tutorials/update-your-app-to-support-localization,
 * and App Bridge's `shopify.config.locale`:
 * https://shopify.dev/docs/api/app-bridge-library/apis/config).
 * The admin is in English, French, German and Spanish, like the theme's blocks;
 * a regional form takes its language (fr-CA: French), anything else English.
 */
const ADMIN_LANGUAGES = ["en", "fr", "de", "es"] as const;
export type AdminLanguage = (typeof ADMIN_LANGUAGES)[number];

export interface AdminLocale {
  /** The language of the admin's words. */
  language: AdminLanguage;
  /**
   * The BCP 47 tag dates and numbers are formatted with: Shopify's own when it is in that
   * language (en-GB keeps day-first dates), else the language alone.
   */
  tag: string;
}

const ENGLISH: AdminLocale = { language: "en", tag: "en" };

function canonical(raw: string): string | null {
  try {
    return Intl.getCanonicalLocales(raw.replace(/_/g, "-"))[0] ?? null;
  } catch {
    return null;
  }
}

/** The admin locale for what Shopify sent (null, empty, malformed or unsupported: English). */
export function adminLocale(raw: string | null | undefined): AdminLocale {
  if (!raw || raw.length > 35) return ENGLISH;
  const tag = canonical(raw.trim());
  if (!tag) return ENGLISH;
  const language = ADMIN_LANGUAGES.find((l) => l === tag.split("-")[0]!.toLowerCase());
  return language ? { language, tag } : ENGLISH;
}
