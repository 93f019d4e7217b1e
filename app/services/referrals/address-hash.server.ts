/**
 * The shipping address an order is recorded by (OrderRecord.shippingAddressHash): a keyed one-way
 * hash of its comparable key (app/loyalty/referrals.ts addressKey: street, postcode and country,
 * normalised), so two orders to one address can be told apart from others without Regulars
 * keeping the address. HMAC-SHA256 under a key derived from the app secret, its own key so the
 * hash is never mistaken for another signature the secret makes; without the secret the hash
 * cannot be tried against guessed addresses. Per shop, so one shop's hash says nothing in another's.
 */
import { createHmac } from "node:crypto";
import { env } from "../../env.server";

const keyOf = (secret: string) =>
  createHmac("sha256", secret).update("regulars shipping address v1").digest();

/** The hash of `addressKey` for `shop`; null when there is no address to compare. */
export function shippingAddressHash(
  shop: string,
  addressKey: string | null,
  secret: string = env.SHOPIFY_API_SECRET,
): string | null {
  if (!addressKey) return null;
  return createHmac("sha256", keyOf(secret)).update(`${shop}\n${addressKey}`).digest("base64url");
}
