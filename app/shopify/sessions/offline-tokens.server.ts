/**
 * The production OfflineTokenStore: offline sessions from the session table,
 * refreshed with @shopify/shopify-api's own refresh-token grant and stored
 * back, so request-time and job-time code share one token.
 */
// shopifyApi needs its platform adapter loaded first (as shopify.server.ts does): this module is
// imported by the jobs without shopify.server.ts.
import "@shopify/shopify-app-remix/adapters/node";
import { shopifyApi, type Session } from "@shopify/shopify-api";
import { sessionStorage } from "../app-settings.server";
import { env } from "../../env.server";
import { ADMIN_API_VERSION } from "../api-version";
import type { OfflineSession, OfflineTokenStore } from "../admin-api/offline-admin.server";

const api = shopifyApi({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  hostName: new URL(env.SHOPIFY_APP_URL).host,
  hostScheme: new URL(env.SHOPIFY_APP_URL).protocol === "http:" ? "http" : "https",
  isEmbeddedApp: true,
  scopes: env.SCOPES,
  logger: { level: 0 },
  future: {},
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

const asOffline = (session: Session): OfflineSession => ({
  accessToken: session.accessToken ?? "",
  expires: session.expires ?? null,
  refreshToken: session.refreshToken ?? null,
  refreshTokenExpires: session.refreshTokenExpires ? new Date(session.refreshTokenExpires) : null,
});

export const offlineTokens: OfflineTokenStore = {
  async load(shop) {
    const session = await sessionStorage.loadSession(api.session.getOfflineId(shop));
    return session?.accessToken ? asOffline(session) : null;
  },
  async refresh(shop, refreshToken) {
    const { session } = await api.auth.refreshToken({ shop, refreshToken });
    await sessionStorage.storeSession(session);
    return asOffline(session);
  },
};
