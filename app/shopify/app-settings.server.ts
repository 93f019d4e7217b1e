/**
 * What the Shopify app is, apart from its request handling: the Admin API
 * version and the session storage. shopify.server.ts (the shopifyApp call,
 * for requests) and offline-tokens.server.ts (the jobs' tokens) both read
 * them here, so neither imports the other.
 */
import { ApiVersion } from "@shopify/shopify-app-remix/server";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { sessionKeys } from "./session-keys.server";
import { SessionStorage } from "./session-storage.server";
import { TokenCipher } from "./token-cipher";

/** The Admin API version every call and webhook uses (also in shopify.app.toml). */
export const API_VERSION = ApiVersion.October26;

/** The app's sessions (the shops' tokens, encrypted at rest): one instance per process. */
export const sessionStorage = new SessionStorage(prisma, new TokenCipher(sessionKeys(env)));
