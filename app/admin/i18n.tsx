/**
 * The admin in the staff member's language for components: the provider the app route
 * sets up (app/routes/app.tsx) with `useStrings()` and `useFormat()` (dates
 * and numbers in the locale and the shop's time zone). Outside the provider
 * (a test rendering one component) the admin is English, in UTC.
 * Why the locale is read where it is: docs/decisions/0015-the-admin-locale.md.
 */
import { createContext, useContext, useMemo, type ReactNode } from "react";
import polarisDe from "@shopify/polaris/locales/de.json";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisEs from "@shopify/polaris/locales/es.json";
import polarisFr from "@shopify/polaris/locales/fr.json";
import type { AdminStrings } from "./admin-strings";
import { type ErrorWriter, errorWriterFor } from "./field-error-words";
import {
  type FormatSettings,
  formatBucket,
  formatDate,
  formatDateTime,
  formatDay,
  formatMoney,
  formatNumber,
  formatPercent,
  formatSettings,
} from "./format";
import { type AdminLanguage, type AdminLocale, adminLocale } from "./locale";
import { strings } from "./strings";
import { stringsFor } from "./strings-for";

/** Polaris's own words (pagination, "Save"...), passed to its AppProvider's i18n. */
const POLARIS: Record<AdminLanguage, typeof polarisEn> = {
  en: polarisEn,
  fr: polarisFr,
  de: polarisDe,
  es: polarisEs,
};

export function polarisTranslations(locale: AdminLocale): typeof polarisEn {
  return POLARIS[locale.language];
}

interface AdminI18n {
  locale: AdminLocale;
  strings: AdminStrings;
  format: FormatSettings;
}

const I18nContext = createContext<AdminI18n>({
  locale: adminLocale("en"),
  strings,
  format: formatSettings("en", "UTC"),
});

/** Gives the admin's components their language and the shop's time zone. */
export function AdminI18nProvider({
  locale,
  timeZone,
  children,
}: {
  locale: AdminLocale;
  timeZone: string | null;
  children: ReactNode;
}) {
  const value = useMemo(
    () => ({ locale, strings: stringsFor(locale), format: formatSettings(locale.tag, timeZone) }),
    [locale, timeZone],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The admin's words in the staff member's language. */
export function useStrings(): AdminStrings {
  return useContext(I18nContext).strings;
}

/** What field errors are worded with (app/admin/field-error-words.ts): the language's words and numbers. */
export function useErrorWriter(): ErrorWriter {
  const { strings, format } = useContext(I18nContext);
  return useMemo(() => errorWriterFor(strings, format), [strings, format]);
}

/** Dates and numbers written for the staff member's locale and the shop's time zone. */
export function useFormat() {
  const { format } = useContext(I18nContext);
  return useMemo(
    () => ({
      date: (value: Date | string) => formatDate(value, format),
      dateTime: (value: Date | string) => formatDateTime(value, format),
      day: (day: string) => formatDay(day, format),
      bucket: (unit: "day" | "week" | "month", start: string) => formatBucket(unit, start, format),
      number: (value: number | string, digits?: { minimum?: number; maximum?: number }) =>
        formatNumber(value, format, digits),
      money: (value: number | string, currency: string | null | undefined) =>
        formatMoney(value, currency, format),
      percent: (ratio: number | null) => formatPercent(ratio, format),
      timeZone: format.timeZone,
    }),
    [format],
  );
}
