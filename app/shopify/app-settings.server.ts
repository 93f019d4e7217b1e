/**
 * What the Shopify app is, apart from its request handling: the session
 * storage (the Admin API version is in api-version.ts). shopify.server.ts
 * (the shopifyApp call, for requests) and offline-tokens.server.ts (the jobs'
 * tokens) both read it here, so neither imports the other.
 */
import { prisma } from "../db.server";
import { env } from "../env.server";
import { sessionKeys } from "./sessions/session-keys.server";
import { SessionStorage } from "./sessions/session-storage.server";
import { TokenCipher } from "./sessions/token-cipher";

/** The app's sessions (the shops' tokens, encrypted at rest): one instance per process. */
export const sessionStorage = new SessionStorage(prisma, new TokenCipher(sessionKeys(env)));
