import type { HeadersFunction } from "@remix-run/node";
import { Link, useLoaderData, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { env } from "../env.server";
import { AdminOutlet } from "../admin/AdminOutlet";
import { strings } from "../admin/strings";
import { adminRoute } from "../http/request-context.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = adminRoute(async () => {
  return { apiKey: env.SHOPIFY_API_KEY, appBridgeUrl: env.APP_BRIDGE_URL ?? null };
});

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          {strings.nav.home}
        </Link>
        <Link to="/app/program">{strings.nav.program}</Link>
        <Link to="/app/customers">{strings.nav.customers}</Link>
        <Link to="/app/campaigns">{strings.nav.winBack}</Link>
        <Link to="/app/import">{strings.nav.importExport}</Link>
        <Link to="/app/backfill">{strings.nav.backfill}</Link>
        <Link to="/app/notifications">{strings.notifications.nav}</Link>
        <Link to="/app/activity">{strings.nav.activity}</Link>
      </NavMenu>
      <AdminOutlet />
    </AppProvider>
  );
}

// Shopify's boundary adds the headers App Bridge needs to re-authenticate.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
