/**
 * The keys that encrypt Shopify tokens at rest (token-cipher.ts).
 *
 * SESSION_ENCRYPTION_KEY lists them, comma-separated, the one that encrypts
 * first; production refuses to start without it (env-schema.server.ts).
 * Elsewhere (npm run dev, tests) an unset key means a development key:
 *   - DATA_DIR on disk: `<DATA_DIR>/session-encryption.key`, made once
 *     (32 random bytes, 0600, its folder 0700) and read afterwards, so the
 *     sessions of `npm run dev` survive a restart;
 *   - DATA_DIR=memory://: a random key for this process (nothing it stores
 *     outlives it).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { MEMORY } from "../../db/connect.server";
import { ensurePrivateDir, PRIVATE_FILE_MODE } from "../../db/private-files.server";
import type { Env } from "../../env-schema.server";
import { parseSessionKeys, SESSION_KEY_BYTES } from "./token-cipher";

export const DEVELOPMENT_KEY_FILE = "session-encryption.key";

export function sessionKeys(env: Pick<Env, "SESSION_ENCRYPTION_KEY" | "NODE_ENV" | "DATA_DIR">): Buffer[] {
  if (env.SESSION_ENCRYPTION_KEY) return parseSessionKeys(env.SESSION_ENCRYPTION_KEY);
  if (env.NODE_ENV === "production") {
    // parseEnv refuses this already; a second guard costs nothing.
    throw new Error("Regulars cannot start: SESSION_ENCRYPTION_KEY is required in production");
  }
  if (env.DATA_DIR === MEMORY) return [randomBytes(SESSION_KEY_BYTES)];
  return [developmentKey(env.DATA_DIR)];
}

function developmentKey(dataDir: string): Buffer {
  ensurePrivateDir(dataDir);
  const file = path.resolve(dataDir, DEVELOPMENT_KEY_FILE);
  try {
    writeFileSync(file, `${randomBytes(SESSION_KEY_BYTES).toString("base64")}\n`, {
      flag: "wx",
      mode: PRIVATE_FILE_MODE,
    });
    console.warn(
      `[regulars] SESSION_ENCRYPTION_KEY is not set: tokens are encrypted with a development key made in ${file}`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const [key] = parseSessionKeys(readFileSync(file, "utf8").trim());
  return key!;
}
