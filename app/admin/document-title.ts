/**
 * The browser tab's title of an admin page: "Program · Regulars", as Shopify's
 * admin names its own pages ("Orders · My Store"). Each page route exports
 * `meta = titleMeta(...)`; Remix renders it into <title> (root.tsx's <Meta />).
 * https://remix.run/docs/en/main/route/meta
 */
import { strings } from "./strings";

export const documentTitle = (page?: string | null): string =>
  page ? `${page} · ${strings.appName}` : strings.appName;

/** A route's `meta` export for a page whose title does not depend on its data. */
export const titleMeta = (page?: string) => () => [{ title: documentTitle(page) }];
