import type { HeadersFunction } from "@remix-run/node";
import { Link, type ShouldRevalidateFunction, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { env } from "../env.server";
import { AdminOutlet } from "../admin/AdminOutlet";
import { AdminI18nProvider, polarisTranslations, useStrings } from "../admin/i18n";
import { prisma } from "../db.server";
import { findShop } from "../db/shops.server";
import { adminRoute } from "../http/request-context.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// The staff member's language (Shopify's `locale` on the app's load, remembered for requests
// without it) and the shop's time zone, for every admin page: docs/decisions/0015-the-admin-locale.md.
export const loader = adminRoute(async ({ shop, locale }) => {
  const [adminLocale, shopRow] = await Promise.all([locale(), findShop(prisma, shop)]);
  return {
    apiKey: env.SHOPIFY_API_KEY,
    appBridgeUrl: env.APP_BRIDGE_URL ?? null,
    locale: adminLocale,
    timeZone: shopRow?.ianaTimezone ?? null,
  };
});

// What the loader answers holds for the frame's life; a navigation or an action need not ask again.
export const shouldRevalidate: ShouldRevalidateFunction = () => false;

function Navigation() {
  const strings = useStrings();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {strings.nav.home}
      </Link>
      <Link to="/app/program">{strings.nav.program}</Link>
      <Link to="/app/earn">{strings.earn.nav}</Link>
      <Link to="/app/customers">{strings.nav.customers}</Link>
      <Link to="/app/campaigns">{strings.nav.winBack}</Link>
      <Link to="/app/referrals">{strings.referrals.nav}</Link>
      <Link to="/app/bonus-events">{strings.bonusEvents.nav}</Link>
      <Link to="/app/import">{strings.nav.importExport}</Link>
      <Link to="/app/backfill">{strings.nav.backfill}</Link>
      <Link to="/app/notifications">{strings.notifications.nav}</Link>
      <Link to="/app/activity">{strings.nav.activity}</Link>
    </NavMenu>
  );
}

export default function App() {
  const { apiKey, appBridgeUrl, locale, timeZone } = useLoaderData<typeof loader>();
  return (
    <AppProvider
      isEmbeddedApp
      apiKey={apiKey}
      i18n={polarisTranslations(locale)}
      {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}
    >
      <AdminI18nProvider locale={locale} timeZone={timeZone}>
        <Navigation />
        <AdminOutlet />
      </AdminI18nProvider>
    </AppProvider>
  );
}

// Shopify's boundary adds the headers App Bridge needs to re-authenticate.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
