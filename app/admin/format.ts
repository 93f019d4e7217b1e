/**
 * How the admin writes dates and numbers: in the staff member's locale
 * (app/admin/locale.ts) and, for moments in time, the shop's time zone (its
 * IANA zone from the Admin API's `shop { ianaTimezone }`, kept on the Shop
 * row: app/shopify/admin-api/shop-details.server.ts). One place, so a page
 * never falls back to the browser's or the server's own settings.
 */
export interface FormatSettings {
  /** A BCP 47 tag (AdminLocale.tag). */
  locale: string;
  /** An IANA time zone; moments are shown as the shop's clock reads them. */
  timeZone: string;
}

const validZone = (zone: string | null | undefined): string => {
  if (!zone) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
};

/** The settings for a locale tag and a shop's zone (unknown or missing zone: UTC). */
export function formatSettings(locale: string, timeZone: string | null | undefined): FormatSettings {
  return { locale, timeZone: validZone(timeZone) };
}

const moment = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/** The day a moment falls on in the shop's zone: "7 déc. 2026". */
export function formatDate(value: Date | string, settings: FormatSettings): string {
  return new Intl.DateTimeFormat(settings.locale, {
    dateStyle: "medium",
    timeZone: settings.timeZone,
  }).format(moment(value));
}

/** A moment as the shop's clock reads it: "7 déc. 2026, 23:30". */
export function formatDateTime(value: Date | string, settings: FormatSettings): string {
  return new Intl.DateTimeFormat(settings.locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: settings.timeZone,
  }).format(moment(value));
}

/**
 * A calendar day already fixed (YYYY-MM-DD: a backfill's dates, a bucket's first day), written
 * in the locale without moving it to any zone.
 */
export function formatDay(day: string, settings: Pick<FormatSettings, "locale">): string {
  return new Intl.DateTimeFormat(settings.locale, { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(`${day.slice(0, 10)}T00:00:00Z`),
  );
}

/**
 * A chart bucket's label from its first day (YYYY-MM-DD, already a day on the shop's calendar):
 * "7 déc." for a day or a week, "déc. 2026" for a month.
 */
export function formatBucket(
  unit: "day" | "week" | "month",
  start: string,
  settings: Pick<FormatSettings, "locale">,
): string {
  return new Intl.DateTimeFormat(settings.locale, {
    timeZone: "UTC",
    ...(unit === "month" ? { month: "short", year: "numeric" } : { month: "short", day: "numeric" }),
  }).format(new Date(`${start.slice(0, 10)}T00:00:00Z`));
}

/** A count or a figure: "12 345" in French, "12.345" in German. Strings are decimal amounts. */
export function formatNumber(
  value: number | string,
  settings: Pick<FormatSettings, "locale">,
  digits?: { minimum?: number; maximum?: number },
): string {
  return new Intl.NumberFormat(settings.locale, {
    minimumFractionDigits: digits?.minimum,
    maximumFractionDigits: digits?.maximum,
  }).format(Number(value));
}

/** An amount of the shop's money ("1 234,50 €"); without a known currency, the amount alone. */
export function formatMoney(
  value: number | string,
  currency: string | null | undefined,
  settings: Pick<FormatSettings, "locale">,
): string {
  const amount = Number(value);
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat(settings.locale, { style: "currency", currency }).format(amount);
    } catch {
      // An ISO-shaped code Intl does not know: written as a number with the code.
    }
    return `${formatNumber(amount, settings, { minimum: 2, maximum: 2 })} ${currency}`;
  }
  return formatNumber(amount, settings, { minimum: 2, maximum: 2 });
}

/** A ratio as a percentage with one decimal ("12,5 %"); null: "—". */
export function formatPercent(ratio: number | null, settings: Pick<FormatSettings, "locale">): string {
  if (ratio === null) return "—";
  return new Intl.NumberFormat(settings.locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(ratio);
}
