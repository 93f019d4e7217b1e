/**
 * The browser tab's title of an admin page: "Program · Regulars", as Shopify's
 * admin names its own pages ("Orders · My Store"), in the staff member's
 * language. Each page route exports `meta = titleMeta((s) => s.program.title)`;
 * Remix renders it into <title> (root.tsx's <Meta />), with the language of the
 * app route's loader (app/routes/app.tsx) found among the matched routes.
 * https://remix.run/docs/en/main/route/meta
 */
import type { AdminStrings } from "./admin-strings";
import type { AdminLocale } from "./locale";
import { stringsFor } from "./strings-for";

interface MatchedRoute {
  id: string;
  data?: unknown;
}

/** The words of the staff member's language, from the app route's loader data (English before it). */
export function stringsOfMatches(matches: readonly MatchedRoute[]): AdminStrings {
  const app = matches.find((match) => match.id === "routes/app")?.data as
    { locale?: AdminLocale } | undefined;
  return stringsFor(app?.locale ?? null);
}

export const documentTitle = (s: AdminStrings, page?: string | null): string =>
  page ? `${page} · ${s.appName}` : s.appName;

/** A route's `meta` export for a page whose title does not depend on its data. */
export const titleMeta =
  (page?: (s: AdminStrings) => string) =>
  ({ matches }: { matches: readonly MatchedRoute[] }) => {
    const s = stringsOfMatches(matches);
    return [{ title: documentTitle(s, page?.(s)) }];
  };
