/**
 * What the notification emails need from the environment: the cipher that
 * seals the shops' SMTP passwords at rest (AES-256-GCM with the keys of
 * SESSION_ENCRYPTION_KEY, as the shops' tokens are: token-cipher.ts), and the
 * app's URL and secret for the signed unsubscribe links. One per process.
 */
import { env } from "../../env.server";
import { sessionKeys } from "../../shopify/sessions/session-keys.server";
import { TokenCipher } from "../../shopify/sessions/token-cipher";

export interface MailConfig {
  cipher: TokenCipher;
  appUrl: string;
  secret: string;
}

declare global {
  // One cipher per process, across Vite's module reloads (a memory key would change with a second).
  var __regularsMailCipher: TokenCipher | undefined;
}

export function mailConfig(): MailConfig {
  globalThis.__regularsMailCipher ??= new TokenCipher(sessionKeys(env));
  return {
    cipher: globalThis.__regularsMailCipher,
    appUrl: env.SHOPIFY_APP_URL,
    secret: env.SHOPIFY_API_SECRET,
  };
}

/** Where a shop's sealed password belongs: a sealed value copied to another shop does not open. */
export const passwordPlace = (shop: string) => `${shop}:smtpPassword`;
