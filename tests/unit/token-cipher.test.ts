/**
 * Shopify tokens at rest (app/shopify/sessions/token-cipher.ts): AES-256-GCM with a
 * fresh IV per token, bound to the token's place, the first key encrypting
 * and every key listed decrypting; plain values (stored before encryption)
 * read as they are. And where the keys come from when SESSION_ENCRYPTION_KEY
 * is unset outside production (a development key file, 0600).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DEVELOPMENT_KEY_FILE, sessionKeys } from "~/shopify/sessions/session-keys.server";
import {
  parseSessionKeys,
  sessionKeyListProblem,
  TokenCipher,
  TokenDecryptError,
} from "~/shopify/sessions/token-cipher";

const key = randomBytes(32);
const cipher = new TokenCipher([key]);

describe("TokenCipher", () => {
  it("property: any token reads back from its place, and the stored form never contains it", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }),
        fc.string(),
        (token, place) => {
          const stored = cipher.seal(token, place);
          expect(stored.startsWith(cipher.currentPrefix)).toBe(true);
          if (token.length >= 4) expect(stored).not.toContain(token);
          expect(cipher.open(stored, place)).toBe(token);
          expect(cipher.isStale(stored)).toBe(false);
        },
      ),
    );
  });

  it("encrypts the same token differently each time (a fresh IV)", () => {
    expect(cipher.seal("shpat_same", "p")).not.toBe(cipher.seal("shpat_same", "p"));
  });

  it("refuses a token read from another place, altered, or under a key it does not hold", () => {
    const stored = cipher.seal("shpat_secret", "offline_a:accessToken");
    expect(() => cipher.open(stored, "offline_b:accessToken")).toThrow(TokenDecryptError);
    const body = stored.slice(cipher.currentPrefix.length);
    const flipped = `${cipher.currentPrefix}${body.slice(0, 20)}${body[20] === "A" ? "B" : "A"}${body.slice(21)}`;
    expect(() => cipher.open(flipped, "offline_a:accessToken")).toThrow(/altered or moved/);
    expect(() => new TokenCipher([randomBytes(32)]).open(stored, "offline_a:accessToken")).toThrow(
      /SESSION_ENCRYPTION_KEY does not list/,
    );
  });

  it("reads a value stored before encryption as it is, and calls it stale; an older key's too", () => {
    expect(cipher.open("shpat_plain", "x")).toBe("shpat_plain");
    expect(cipher.isStale("shpat_plain")).toBe(true);
    expect(cipher.isStale("")).toBe(false);
    const rotated = new TokenCipher([randomBytes(32), key]);
    const old = cipher.seal("shpat_old", "x");
    expect(rotated.open(old, "x")).toBe("shpat_old");
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.isStale(rotated.seal("shpat_old", "x"))).toBe(false);
  });
});

describe("SESSION_ENCRYPTION_KEY", () => {
  const good = randomBytes(32).toString("base64");

  it("takes one or more 32-byte base64 keys, comma-separated, the first first", () => {
    const second = randomBytes(32);
    expect(sessionKeyListProblem(good)).toBeNull();
    const keys = parseSessionKeys(` ${good} , ${second.toString("base64url")}`);
    expect(keys.map((k) => k.toString("hex"))).toEqual([
      Buffer.from(good, "base64").toString("hex"),
      second.toString("hex"),
    ]);
  });

  it("names what is wrong with a bad list", () => {
    expect(sessionKeyListProblem("short")).toMatch(/key 1 is not 32 bytes in base64/);
    expect(sessionKeyListProblem(`${good},${randomBytes(16).toString("base64")}`)).toMatch(/key 2/);
    expect(sessionKeyListProblem(`${good},`)).toMatch(/empty key/);
    expect(sessionKeyListProblem("not base64 at all!!")).toMatch(/key 1/);
  });

  describe("unset outside production", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "regulars-keys-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("makes a development key in DATA_DIR once (0600, its folder 0700) and reads it afterwards", () => {
      const dataDir = path.join(dir, "data");
      vi.spyOn(console, "warn").mockImplementation(() => {});
      const env = { SESSION_ENCRYPTION_KEY: undefined, NODE_ENV: "development" as const, DATA_DIR: dataDir };
      const [first] = sessionKeys(env);
      const [again] = sessionKeys(env);
      expect(first!.equals(again!)).toBe(true);
      expect(first).toHaveLength(32);
      const file = path.join(dataDir, DEVELOPMENT_KEY_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64").equals(first!)).toBe(true);
    });

    it("uses a key of the process's own for an in-memory database", () => {
      const env = { SESSION_ENCRYPTION_KEY: undefined, NODE_ENV: "test" as const, DATA_DIR: "memory://" };
      expect(sessionKeys(env)[0]!.equals(sessionKeys(env)[0]!)).toBe(false);
    });

    it("uses the configured keys when set, and refuses to make one up in production", () => {
      expect(
        sessionKeys({ SESSION_ENCRYPTION_KEY: good, NODE_ENV: "production", DATA_DIR: dir }),
      ).toHaveLength(1);
      expect(() =>
        sessionKeys({ SESSION_ENCRYPTION_KEY: undefined, NODE_ENV: "production", DATA_DIR: dir }),
      ).toThrow(/SESSION_ENCRYPTION_KEY is required in production/);
    });
  });
});
