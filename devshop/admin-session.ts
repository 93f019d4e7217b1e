/**
 * Requests to the embedded app as the admin's App Bridge makes them: a fresh
 * session token as `Authorization: Bearer`. For scripts (the demo) and tests
 * that drive admin actions without a browser.
 */
import { sessionToken, type AppCredentials } from "./tokens";

/** The admin runs in a browser; the Shopify library turns bots away (410). */
export const BROWSER_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export function adminFetch(app: AppCredentials, appUrl: string, shop: string) {
  return (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${sessionToken(app, shop, new Date())}`);
    headers.set("User-Agent", BROWSER_USER_AGENT);
    return fetch(`${appUrl}${path}`, { ...init, headers });
  };
}
