/**
 * Shopify access and refresh tokens at rest: AES-256-GCM (node:crypto) with
 * the keys from SESSION_ENCRYPTION_KEY.
 *
 * A stored token reads `enc:v1:<key id>:<base64url of iv | ciphertext | tag>`:
 *   - a fresh random 12-byte IV per token (GCM's standard nonce size);
 *   - the key id is 8 hex characters of an HMAC of the key, so a read picks
 *     its key at once and a rotation can find the rows still under an old
 *     one (the id says nothing useful about a 256-bit random key);
 *   - the authenticated data is the token's place (`<session id>:accessToken`),
 *     so a token copied into another session's row, or into the other
 *     column, does not decrypt.
 * The first key encrypts; every key listed decrypts (rotation: put the new
 * key first, keep the old one after it until the sessions are re-encrypted).
 * A value without the prefix is a token stored before encryption: it reads
 * as it is, once, until it is re-encrypted (session-storage.server.ts).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";

export const SESSION_KEY_BYTES = 32;
const PREFIX = "enc:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Why a key list cannot be used, for the environment's error message; null when it can. */
export function sessionKeyListProblem(text: string): string | null {
  const entries = text.split(",").map((entry) => entry.trim());
  if (entries.some((entry) => entry === "")) return "lists an empty key (keys are separated by commas)";
  for (const [i, entry] of entries.entries()) {
    const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(entry) ? Buffer.from(entry, "base64") : null;
    if (!bytes || bytes.length !== SESSION_KEY_BYTES) {
      return `key ${i + 1} is not ${SESSION_KEY_BYTES} bytes in base64 (make one with: openssl rand -base64 32)`;
    }
  }
  return null;
}

/** SESSION_ENCRYPTION_KEY's keys, the one that encrypts first. Throws on a list sessionKeyListProblem refuses. */
export function parseSessionKeys(text: string): Buffer[] {
  const problem = sessionKeyListProblem(text);
  if (problem) throw new Error(`SESSION_ENCRYPTION_KEY ${problem}`);
  return text.split(",").map((entry) => Buffer.from(entry.trim(), "base64"));
}

export class TokenDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenDecryptError";
  }
}

interface Key {
  id: string;
  bytes: Buffer;
}

export class TokenCipher {
  readonly #keys: Key[];

  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error("TokenCipher needs at least one key");
    this.#keys = keys.map((bytes) => {
      if (bytes.length !== SESSION_KEY_BYTES)
        throw new Error(`a session key must be ${SESSION_KEY_BYTES} bytes`);
      return {
        id: createHmac("sha256", bytes).update("regulars session key id").digest("hex").slice(0, 8),
        bytes,
      };
    });
  }

  /** What every token encrypted with the current key starts with (for finding the others in SQL). */
  get currentPrefix(): string {
    return `${PREFIX}${this.#keys[0]!.id}:`;
  }

  /** The token as stored: encrypted with the current key, bound to `place`. */
  seal(token: string, place: string): string {
    const key = this.#keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key.bytes, iv);
    cipher.setAAD(Buffer.from(place));
    const sealed = Buffer.concat([iv, cipher.update(token, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `${this.currentPrefix}${sealed.toString("base64url")}`;
  }

  /** The token a stored value holds; a value stored before encryption is the token itself. */
  open(stored: string, place: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const [id, body] = stored.slice(PREFIX.length).split(":");
    const key = this.#keys.find((candidate) => candidate.id === id);
    if (!key || body === undefined) {
      throw new TokenDecryptError(
        `The token of ${place} was encrypted with a key (id ${id}) that SESSION_ENCRYPTION_KEY does not list: add that key back after the current one.`,
      );
    }
    const sealed = Buffer.from(body, "base64url");
    try {
      const decipher = createDecipheriv("aes-256-gcm", key.bytes, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(place));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new TokenDecryptError(`The token of ${place} does not decrypt: it was altered or moved.`);
    }
  }

  /** Whether a stored value is not (yet) encrypted with the current key: stored before encryption, or under an older key. */
  isStale(stored: string): boolean {
    return stored !== "" && !stored.startsWith(this.currentPrefix);
  }
}
