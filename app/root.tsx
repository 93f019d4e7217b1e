import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteLoaderData,
} from "@remix-run/react";
import { titleMeta } from "./admin/document-title";
import { env } from "./env.server";
import type { loader as adminLoader } from "./routes/app";

// Shopify's Inter font comes from its CDN; inside a local Shopify (devshop)
// nothing may leave localhost, and Polaris falls back to the system font.
export const loader = () => ({ shopifyFonts: !env.SHOPIFY_ADMIN_ORIGIN });

/** Pages without a title of their own (login, errors) are "Regulars"; admin pages name themselves. */
export const meta = titleMeta();

export default function App() {
  const { shopifyFonts } = useLoaderData<typeof loader>();
  // The admin's pages are in the staff member's language (app/routes/app.tsx); others in English.
  const lang = useRouteLoaderData<typeof adminLoader>("routes/app")?.locale.tag ?? "en";
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {shopifyFonts && <link rel="preconnect" href="https://cdn.shopify.com/" />}
        {shopifyFonts && (
          <link rel="stylesheet" href="https://cdn.shopify.com/static/fonts/inter/v4/styles.css" />
        )}
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
