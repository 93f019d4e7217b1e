/**
 * Shopify's credentials for an app: session tokens (HS256 JWTs signed with
 * the app secret, 60 s), token exchange and refresh at
 * `POST /admin/oauth/access_token` (expiring offline tokens: 1 hour, with a
 * single-use refresh token valid 90 days).
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { AppConfig } from "./app-config";
import { grantOnTokenExchange } from "./scopes";
import type { ShopState } from "./state";

export interface AppCredentials {
  apiKey: string;
  apiSecret: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function sessionToken(app: AppCredentials, shop: string, now: Date, userId = "1"): string {
  const iat = Math.floor(now.getTime() / 1000);
  const header = b64({ alg: "HS256", typ: "JWT" });
  const payload = b64({
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: app.apiKey,
    sub: userId,
    exp: iat + 60,
    nbf: iat - 5,
    iat,
    jti: randomUUID(),
    sid: randomBytes(16).toString("hex"),
  });
  const signature = createHmac("sha256", app.apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

function verifySessionToken(app: AppCredentials, token: string, now: Date): { shop: string } {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) throw new Error("malformed session token");
  const expected = createHmac("sha256", app.apiSecret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("bad signature");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  if (claims.aud !== app.apiKey) throw new Error("session token for another app");
  if (typeof claims.exp !== "number" || claims.exp * 1000 < now.getTime() - 5000) throw new Error("expired");
  const shop = /^https:\/\/([^/]+)$/.exec(String(claims.dest))?.[1];
  if (!shop) throw new Error("no dest");
  return { shop };
}

export type TokenAnswer = { status: number; body: Record<string, unknown> };

function issue(shop: ShopState, now: Date, expiring: boolean): TokenAnswer {
  const token = `shpat_${randomBytes(16).toString("hex")}`;
  const expiresAt = new Date(now.getTime() + (expiring ? 3600_000 : 100 * 365 * 86_400_000));
  shop.installation.accessTokens.push({ token, expiresAt: expiresAt.toISOString() });
  // Keep the list short: the last few tokens stay valid until they expire.
  shop.installation.accessTokens = shop.installation.accessTokens.slice(-20);
  const body: Record<string, unknown> = { access_token: token, scope: shop.installation.scopes };
  if (expiring) {
    const refresh = `shprt_${randomBytes(16).toString("hex")}`;
    shop.installation.refreshTokens = [...shop.installation.refreshTokens.slice(-20), refresh];
    Object.assign(body, { expires_in: 3600, refresh_token: refresh, refresh_token_expires_in: 7_776_000 });
  }
  return { status: 200, body };
}

/** The access_token endpoint: token exchange (install, every embedded load) and refresh. */
export function accessTokenEndpoint(input: {
  app: AppCredentials;
  params: Record<string, string>;
  shopFor: (domain: string) => ShopState;
  shops: ShopState[];
  /** The app's required and optional scopes (shopify.app.toml). */
  config: Pick<AppConfig, "scopes" | "optionalScopes">;
  now: Date;
}): TokenAnswer {
  const { params, app, now } = input;
  if (params.client_id !== app.apiKey || params.client_secret !== app.apiSecret) {
    return { status: 401, body: { error: "invalid_client" } };
  }
  if (params.grant_type === "refresh_token") {
    const shop = input.shops.find((s) => s.installation.refreshTokens.includes(params.refresh_token ?? ""));
    // An uninstalled app gets no token: Shopify refuses the refresh
    // (https://github.com/Shopify/shopify-app-js/issues/3360), and the library then throws a 500.
    if (!shop || !shop.installation.installed) return { status: 400, body: { error: "invalid_grant" } };
    shop.installation.refreshTokens = shop.installation.refreshTokens.filter(
      (t) => t !== params.refresh_token,
    );
    return issue(shop, now, true);
  }
  if (params.grant_type !== "urn:ietf:params:oauth:grant-type:token-exchange") {
    return { status: 400, body: { error: "unsupported_grant_type" } };
  }
  let claims: { shop: string };
  try {
    claims = verifySessionToken(app, params.subject_token ?? "", now);
  } catch {
    return { status: 400, body: { error: "invalid_subject_token" } };
  }
  const shop = input.shopFor(claims.shop);
  // Shopify-managed installation: installing grants the required scopes, not the optional ones.
  grantOnTokenExchange(shop, input.config);
  const answer = issue(shop, now, params.expiring === "1");
  if (String(params.requested_token_type).endsWith("online-access-token")) {
    Object.assign(answer.body, {
      expires_in: 86_400,
      associated_user_scope: shop.installation.scopes,
      associated_user: {
        id: 1,
        first_name: "Demo",
        last_name: "Owner",
        email: shop.email,
        account_owner: true,
        locale: "en",
        collaborator: false,
        email_verified: true,
      },
    });
  }
  return answer;
}
