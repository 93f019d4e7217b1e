/**
 * Admin requests carrying a session token of the test's choosing: Shopify's
 * test helper (getJwt) signs it, with claims overridden and any secret, so a
 * test can present tokens Shopify would never issue (wrong secret, expired,
 * not yet valid, for another app or another shop). adminDocument/adminFetch
 * (admin-requests.ts) make the genuine ones.
 */
import { API_KEY, API_SECRET_KEY, APP_URL, getJwt } from "@shopify/shopify-api/test-helpers";

export interface TokenOptions {
  shop?: string;
  secret?: string;
  /** Claims to override: exp, nbf, aud, dest, iss, sub... */
  claims?: Record<string, unknown>;
}

const store = (shop: string) => shop.replace(".myshopify.com", "");

export async function sessionToken(options: TokenOptions = {}): Promise<string> {
  const shop = options.shop ?? "test-shop.myshopify.com";
  const { token } = await getJwt(
    store(shop),
    API_KEY,
    options.secret ?? API_SECRET_KEY,
    options.claims ?? {},
  );
  return token;
}

/** A document load of the embedded admin with this id_token (null: none at all). */
export function documentWithToken(path: string, token: string | null, shop = "test-shop.myshopify.com") {
  const url = new URL(`${APP_URL}${path}`);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${store(shop)}`).toString("base64"));
  if (token !== null) url.searchParams.set("id_token", token);
  return new Request(url);
}

/** An App Bridge fetch with this bearer token. */
export function fetchWithToken(path: string, token: string, init: RequestInit = {}) {
  const request = new Request(`${APP_URL}${path}`, init);
  request.headers.set("Authorization", `Bearer ${token}`);
  return request;
}
