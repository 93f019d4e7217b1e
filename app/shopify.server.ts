/** The one shopifyApp({...}) call. Routes import authenticate & co from here. */
import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { prisma } from "./db.server";
import { env } from "./env.server";
import { withJobs } from "./jobs.server";
import { recordInstall } from "./services/shops/shop-lifecycle.server";
import { ADMIN_API_VERSION } from "./shopify/api-version";
import { sessionStorage } from "./shopify/app-settings.server";
import { routeShopRequestsTo } from "./shopify/local-shopify.server";

const logLevels = {
  error: LogSeverity.Error,
  warn: LogSeverity.Warning,
  info: LogSeverity.Info,
  debug: LogSeverity.Debug,
} as const;

if (env.SHOPIFY_ADMIN_API_ORIGIN) routeShopRequestsTo(env.SHOPIFY_ADMIN_API_ORIGIN);

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  scopes: env.SCOPES,
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage,
  distribution: AppDistribution.AppStore,
  logger: { level: logLevels[env.LOG_LEVEL] },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    // Runs on every token exchange (about hourly with expiring tokens), during a page load: it
    // records the install and queues the setup on Shopify when due, and calls no Admin API.
    afterAuth: async ({ session }) => {
      await withJobs(() =>
        recordInstall(prisma, { shop: session.shop, scopes: session.scope, now: new Date() }),
      );
    },
  },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export { sessionStorage } from "./shopify/app-settings.server";
