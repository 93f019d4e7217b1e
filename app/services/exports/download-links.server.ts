/**
 * Short-lived signed links for the files the embedded admin downloads.
 *
 * Inside the Shopify admin the app's pages authenticate with a session token
 * that App Bridge adds to their fetch calls, and to nothing else
 * (https://shopify.dev/docs/api/app-home/apis/authentication-and-data/resource-fetching-api).
 * A download is a navigation: it carries no token, and Shopify's library sends
 * a document request without one (no `shop`, `host` and `id_token`) to the
 * login page (authenticate.admin: https://github.com/Shopify/shopify-app-js/blob/main/packages/apps/shopify-app-remix/src/server/authenticate/admin/authenticate.ts,
 * and its test doc-request-path.test.ts beside it). So a button first asks for
 * a link with a fetch that App Bridge authenticates, then the browser downloads
 * from the link, which carries its own proof: the shop and the file's path,
 * signed with a key derived from the app secret, good for LINK_SECONDS.
 *
 * The link names one file of one shop; it cannot be turned into another file
 * or another shop's, and it is useless a minute later (it may end up in the
 * browser's download list or history).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const LINK_SECONDS = 60;

// Its own key, so this signature can never be mistaken for another the app secret makes
// (webhook HMACs, app proxy signatures, session tokens).
const keyOf = (secret: string) => createHmac("sha256", secret).update("regulars download link v1").digest();

const signatureOf = (secret: string, shop: string, pathname: string, expires: number) =>
  createHmac("sha256", keyOf(secret)).update(`${shop}\n${pathname}\n${expires}`).digest("base64url");

/** The path and query of a link to `pathname` for `shop`, good for LINK_SECONDS from `now`. */
export function signDownloadLink(input: {
  secret: string;
  shop: string;
  pathname: string;
  now: Date;
}): string {
  const expires = Math.floor(input.now.getTime() / 1000) + LINK_SECONDS;
  const query = new URLSearchParams({
    shop: input.shop,
    expires: String(expires),
    signature: signatureOf(input.secret, input.shop, input.pathname, expires),
  });
  return `${input.pathname}?${query}`;
}

export type LinkCheck =
  { status: "none" } | { status: "valid"; shop: string } | { status: "invalid"; reason: string };

/**
 * What a request's URL proves: nothing (no signature: the caller authenticates it
 * another way), a shop (a good link for this very path), or nothing good.
 */
export function checkDownloadLink(url: URL, secret: string, now: Date): LinkCheck {
  const signature = url.searchParams.get("signature");
  if (signature === null) return { status: "none" };
  const shop = url.searchParams.get("shop") ?? "";
  const expiresText = url.searchParams.get("expires") ?? "";
  if (!shop || !/^\d{1,12}$/.test(expiresText)) return { status: "invalid", reason: "malformed" };
  const expires = Number(expiresText);
  const expected = Buffer.from(signatureOf(secret, shop, url.pathname, expires));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { status: "invalid", reason: "bad signature" };
  }
  if (expires < now.getTime() / 1000) return { status: "invalid", reason: "expired" };
  return { status: "valid", shop };
}
