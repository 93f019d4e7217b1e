/**
 * The unsubscribe link in every email: it names one customer of one shop and
 * carries an HMAC of both, with a key derived from the app secret, so it can
 * neither be forged nor turned into another customer's or another shop's.
 * It does not expire: an email read a year later must still unsubscribe.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const UNSUBSCRIBE_PATH = "/notifications/unsubscribe";

// Its own key, so this signature is never mistaken for another the app secret makes.
const keyOf = (secret: string) =>
  createHmac("sha256", secret).update("regulars unsubscribe link v1").digest();

const signatureOf = (secret: string, shop: string, customerId: string) =>
  createHmac("sha256", keyOf(secret)).update(`${shop}\n${customerId}`).digest("base64url");

const customerIdOf = (customerGid: string) => {
  const id = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(customerGid)?.[1];
  if (!id) throw new Error(`not a customer GID: ${customerGid}`);
  return id;
};

/** The absolute link for `customerGid` of `shop`. */
export function unsubscribeUrl(input: {
  appUrl: string;
  secret: string;
  shop: string;
  customerGid: string;
}): string {
  const customer = customerIdOf(input.customerGid);
  const query = new URLSearchParams({
    shop: input.shop,
    customer,
    signature: signatureOf(input.secret, input.shop, customer),
  });
  return `${input.appUrl}${UNSUBSCRIBE_PATH}?${query}`;
}

/** The shop and customer a link names, or null when it is not one Regulars signed. */
export function checkUnsubscribeLink(url: URL, secret: string): { shop: string; customerGid: string } | null {
  const shop = url.searchParams.get("shop") ?? "";
  const customer = url.searchParams.get("customer") ?? "";
  const signature = url.searchParams.get("signature") ?? "";
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop) || !/^\d{1,20}$/.test(customer)) return null;
  const expected = Buffer.from(signatureOf(secret, shop, customer));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { shop, customerGid: `gid://shopify/Customer/${customer}` };
}
