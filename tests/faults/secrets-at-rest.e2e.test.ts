/**
 * Secrets at rest, through `npm start`'s server on the build, installed on
 * devshop by token exchange (an expiring offline token and its refresh
 * token):
 *   - the embedded database's folder is 0700 and every file in it 0600,
 *     while the server runs and after it stops (PGlite unpacks a new
 *     database with its files 0666);
 *   - no file of the data folder, the WAL included (PGlite checkpoints as it
 *     closes), holds a token devshop issued, in any form; nor does the
 *     PostgreSQL table;
 *   - a session stored before encryption is rewritten encrypted when the
 *     server starts; a key rotation (new key first, old after it) re-encrypts
 *     every row, after which the new key alone reads them;
 *   - in production, no SESSION_ENCRYPTION_KEY stops the start with one
 *     "Regulars cannot start" message.
 * Needs `npm run build`; runs in the e2e project (E2E=1).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "~/db/connect.server";
import { TokenCipher } from "~/shopify/sessions/token-cipher";
import { appEnvironment, DEMO_SESSION_ENCRYPTION_KEY, freePort } from "../../devshop/launch";
import { dropIsolatedSchema, isolatedSchemaUrl } from "../support/isolated-database";
import { privateBuild, startRealApp, type RealApp } from "../support/real-app";

const SHOP = "secrets-at-rest.myshopify.com";
const LEGACY_SHOP = "before-encryption.myshopify.com";
let build: ReturnType<typeof privateBuild>;
const scratch = mkdtempSync(path.join(tmpdir(), "regulars-secrets-"));

beforeAll(() => {
  build = privateBuild();
});
afterAll(() => {
  build?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** Every file and folder under `dir`, with its permission bits. */
function modes(dir: string): { path: string; dir: boolean; mode: number }[] {
  const found = [{ path: dir, dir: true, mode: statSync(dir).mode & 0o777 }];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const at = path.join(entry.parentPath, entry.name);
    if (entry.isDirectory() || entry.isFile()) {
      found.push({ path: at, dir: entry.isDirectory(), mode: statSync(at).mode & 0o777 });
    }
  }
  return found;
}

const notPrivate = (dir: string) =>
  modes(dir)
    .filter((entry) => entry.mode !== (entry.dir ? 0o700 : 0o600))
    .map((entry) => `${entry.mode.toString(8)} ${path.relative(dir, entry.path) || "."}`);

/** Forms a token could be written in. */
const forms = (token: string) => [
  Buffer.from(token),
  Buffer.from(Buffer.from(token).toString("base64")),
  Buffer.from(Buffer.from(token).toString("hex")),
];

/** Files under `dir` holding any of the tokens, with the token found. */
function filesHolding(dir: string, tokens: string[]): string[] {
  const hits: string[] = [];
  for (const entry of modes(dir).filter((e) => !e.dir)) {
    const bytes = readFileSync(entry.path);
    for (const token of tokens) {
      if (forms(token).some((form) => bytes.includes(form)))
        hits.push(`${path.relative(dir, entry.path)}: ${token}`);
    }
  }
  return hits;
}

const issuedTokens = (real: RealApp, shop = SHOP) => {
  const { accessTokens, refreshTokens } = real.devshop.state.shop(shop).installation;
  return [...accessTokens.map((t) => t.token), ...refreshTokens];
};

describe("the embedded database on disk", () => {
  const dataDir = path.join(scratch, "pglite-app", "data");
  let real: RealApp;

  beforeAll(async () => {
    real = await startRealApp({ shop: SHOP, buildDir: build.dir, dataDir });
  }, 120_000);
  afterAll(() => real?.stop());

  it("is private to the app's user: its folder 0700, every file 0600, running and stopped", async () => {
    expect(issuedTokens(real).length).toBeGreaterThanOrEqual(2);
    expect(notPrivate(dataDir)).toEqual([]);
    expect(modes(dataDir).filter((e) => !e.dir).length).toBeGreaterThan(900);
    await real.app.stop();
    expect(notPrivate(dataDir)).toEqual([]);
  });

  it("holds no token devshop issued in any file, the WAL included, after it checkpointed and closed", async () => {
    await real.app.stop();
    const wal = readdirSync(path.join(dataDir, "pglite", "pg_wal")).filter((name) =>
      /^[0-9A-F]{24}$/.test(name),
    );
    expect(wal.length).toBeGreaterThan(0);
    expect(filesHolding(dataDir, issuedTokens(real))).toEqual([]);
  });

  it("rewrites a session stored before encryption when it starts, and re-encrypts all on a key rotation", async () => {
    await real.app.stop();
    // A session as an older Regulars stored it: tokens in plain text (written straight to the table).
    const legacy = {
      access: `shpat_${randomBytes(16).toString("hex")}`,
      refresh: `shprt_${randomBytes(16).toString("hex")}`,
    };
    const db = await PGlite.create(path.join(dataDir, "pglite"));
    await db.query(
      `INSERT INTO "Session" (id, shop, state, "isOnline", scope, "accessToken", "refreshToken")
       VALUES ($1, $2, '', false, 'read_orders', $3, $4)`,
      [`offline_${LEGACY_SHOP}`, LEGACY_SHOP, legacy.access, legacy.refresh],
    );
    await db.close();
    const rows = async () => {
      const reader = await PGlite.create(path.join(dataDir, "pglite"));
      try {
        return (
          await reader.query<{ id: string; accessToken: string; refreshToken: string | null }>(
            `SELECT id, "accessToken", "refreshToken" FROM "Session" ORDER BY id`,
          )
        ).rows;
      } finally {
        await reader.close();
      }
    };
    const opened = (
      keys: string[],
      row: { id: string; accessToken: string; refreshToken: string | null },
    ) => {
      const cipher = new TokenCipher(keys.map((key) => Buffer.from(key, "base64")));
      return [
        cipher.open(row.accessToken, `${row.id}:accessToken`),
        cipher.open(row.refreshToken!, `${row.id}:refreshToken`),
      ];
    };
    const sealedWith = (key: string) => new TokenCipher([Buffer.from(key, "base64")]).currentPrefix;

    // The server starts: the plain row is rewritten with the key, and still holds the same tokens.
    await real.restart();
    await expect
      .poll(() => real.app.output(), { timeout: 20_000 })
      .toMatch(/encrypted the stored tokens of 1 session with the current key/);
    await real.app.stop();
    const resealed = (await rows()).find((row) => row.id === `offline_${LEGACY_SHOP}`)!;
    expect(resealed.accessToken.startsWith(sealedWith(DEMO_SESSION_ENCRYPTION_KEY))).toBe(true);
    expect(JSON.stringify(resealed)).not.toContain(legacy.access);
    expect(opened([DEMO_SESSION_ENCRYPTION_KEY], resealed)).toEqual([legacy.access, legacy.refresh]);

    // Rotation: the new key first, the old one after it. Every row moves to the new key.
    const next = randomBytes(32).toString("base64");
    await real.restart({ SESSION_ENCRYPTION_KEY: `${next},${DEMO_SESSION_ENCRYPTION_KEY}` });
    await expect
      .poll(() => real.app.output(), { timeout: 20_000 })
      .toMatch(/encrypted the stored tokens of 2 sessions with the current key/);
    await real.app.stop();
    const rotated = await rows();
    expect(rotated).toHaveLength(2);
    for (const row of rotated) expect(row.accessToken.startsWith(sealedWith(next)), row.id).toBe(true);
    expect(
      opened(
        [next],
        rotated.find((row) => row.id === `offline_${LEGACY_SHOP}`)!,
      ),
    ).toEqual([legacy.access, legacy.refresh]);

    // The new key alone: the server starts, reads every session, and finds nothing to re-encrypt.
    await real.restart({ SESSION_ENCRYPTION_KEY: next });
    const status = await fetch(`${real.appUrl}/healthz`);
    expect(status.status).toBe(200);
    await real.app.stop();
    expect(real.app.output()).not.toMatch(
      /no key in SESSION_ENCRYPTION_KEY decrypts|re-encrypting stored tokens failed/,
    );
    expect(notPrivate(dataDir)).toEqual([]);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("PostgreSQL", () => {
  let real: RealApp;
  let databaseUrl: string;

  beforeAll(async () => {
    databaseUrl = isolatedSchemaUrl(process.env.TEST_DATABASE_URL!);
    real = await startRealApp({ shop: SHOP, buildDir: build.dir, databaseUrl });
  }, 120_000);
  afterAll(async () => {
    await real?.stop();
    if (databaseUrl) await dropIsolatedSchema(databaseUrl);
  });

  it("the Session table holds no token devshop issued", async () => {
    const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT * FROM "${schema}"."Session"`);
      expect(rows.length).toBeGreaterThan(0);
      const table = JSON.stringify(rows);
      const tokens = issuedTokens(real);
      expect(tokens.length).toBeGreaterThanOrEqual(2);
      for (const token of tokens) {
        expect(table).not.toContain(token);
        expect(table).not.toContain(Buffer.from(token).toString("base64"));
      }
    } finally {
      await client.end();
    }
  });
});

describe("in production", () => {
  it("does not start without SESSION_ENCRYPTION_KEY, and says so in one message", async () => {
    const port = await freePort();
    const { SESSION_ENCRYPTION_KEY: _key, ...env } = appEnvironment({
      devshopUrl: "http://127.0.0.1:9",
      appUrl: `http://127.0.0.1:${port}`,
      port,
      dataDir: path.join(scratch, "no-key"),
      scopes: "read_orders",
    });
    const result = spawnSync(
      process.execPath,
      ["scripts/serve.mjs", path.join(build.dir, "server/index.js")],
      {
        env: { PATH: process.env.PATH, ...env, NODE_ENV: "production" },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Regulars cannot start: 1 environment variable is missing or invalid.");
    expect(result.stderr).toContain("SESSION_ENCRYPTION_KEY is required in production");
    expect(result.stderr).not.toContain("    at ");
  });
});
