/**
 * The session tokens Shopify gives a UI extension (`shopify.sessionToken.get()`): HS256 JWTs
 * signed with the app's secret, with the claims Shopify documents for customer accounts and
 * checkout (https://shopify.dev/docs/api/customer-account-ui-extensions/2025-10-rc/apis/session-token,
 * "Session token claims"): `dest` the shop's myshopify domain (no scheme), `aud` the app's client
 * id, `exp` five minutes after `nbf` and `iat`, a `jti` nonce, and `sub` the customer's GID only
 * when a customer is logged in and the app has access to protected customer data ("Optional
 * claim present when a customer is logged in and your app has permission to read customer
 * accounts"). The app verifies them with the library (authenticate.public.customerAccount:
 * @shopify/shopify-api's decodeSessionToken, jose's jwtVerify with HS256).
 * For POS, `sub` is the staff member's id (https://shopify.dev/docs/api/pos-ui-extensions/latest/apis/session-api).
 */
import { createHmac, randomUUID } from "node:crypto";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Five minutes: "When the token expires. Set at 5 minutes." */
const TTL_SECONDS = 300;

export function extensionSessionToken(input: {
  apiKey: string;
  apiSecret: string;
  /** The shop's myshopify domain. */
  shop: string;
  /** The customer's GID (or POS staff id); null when there is none or the app may not know it. */
  sub: string | null;
  now: Date;
}): string {
  const iat = Math.floor(input.now.getTime() / 1000);
  const header = b64({ alg: "HS256", typ: "JWT" });
  const payload = b64({
    dest: input.shop,
    aud: input.apiKey,
    exp: iat + TTL_SECONDS,
    nbf: iat,
    iat,
    jti: randomUUID(),
    ...(input.sub ? { sub: input.sub } : {}),
  });
  const signature = createHmac("sha256", input.apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}
