/**
 * Where the app proxy is on a shop's storefront. shopify.app.toml puts it at
 * /apps/regulars, but "Merchants can change the sub path or sub path prefix
 * of app proxies ... (/apps, /a, /community, or /tools)"
 * (https://shopify.dev/docs/apps/online-store/app-proxies,
 * https://shopify.dev/docs/apps/build/online-store/app-proxies#user-customization),
 * and Shopify tells the app nowhere but in each proxied request's signed
 * `path_prefix` ("path_prefix=%2Fapps%2Fawesome_reviews",
 * https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies).
 * So the proxy routes record the path Shopify sends (proxyPathOf in
 * app/shopify/requests/app-proxy.server.ts reads it); the program's facts carry
 * it to the theme (`proxyPath`), whose blocks call the proxy there, under the
 * storefront's locale prefix (`routes.root_url`).
 *
 * A merchant who moves the proxy makes the old path answer nothing, so no
 * request reaches the app there: the first request through the new path (a
 * visit to {new path}/status?format=html does) teaches it, and the theme
 * follows once the program sync has run.
 */
import type { PrismaClient } from "@prisma/client";
import { recordProxyPath } from "../../db/program.server";
import { cachedProgramExplainer, forgetProgramExplainer } from "../program/program-explainer-cache.server";

/**
 * Records the path a verified proxied request came through, if it is not the
 * one the storefront is using: a read of this process's copy of the program
 * in the usual case, one UPDATE when the merchant moved the proxy.
 */
export async function rememberProxyPath(db: PrismaClient, shop: string, path: string | null): Promise<void> {
  if (!path) return;
  const { explainer } = await cachedProgramExplainer(db, shop);
  if (explainer.proxyPath === path) return;
  if (await recordProxyPath(db, shop, path)) forgetProgramExplainer(shop);
}
