/**
 * Where Shopify's library keeps sessions: the "Session" table of
 * @shopify/shopify-app-session-storage-prisma, with its reads on the driver
 * and the tokens encrypted.
 *
 * Access and refresh tokens are stored encrypted (token-cipher.ts, keys from
 * SESSION_ENCRYPTION_KEY): Shopify asks apps to encrypt refresh tokens at
 * rest (https://shopify.dev/changelog/posts/offline-access-tokens-now-support-expiry-and-refresh),
 * and the embedded database's files and WAL, or a PostgreSQL dump or
 * replica, otherwise hold them in plain text. The library sees the same
 * SessionStorage interface and plain sessions: storeSession encrypts a copy,
 * every read decrypts. A token stored before encryption (or under a key
 * since rotated out of first place) still reads; resealStaleTokens, run
 * when the server starts (entry.server.tsx), rewrites those rows with the
 * current key.
 *
 * The library loads the shop's offline session on every webhook, app proxy
 * request and admin request. Through Prisma that read costs about 0.5 ms of
 * CPU in Prisma's query compiler, a fifth of what answering a webhook costs
 * in all; straight to the driver (sqlOf) it is one prepared statement.
 * Writes (installs, token refreshes, uninstalls) are rare and stay with the
 * Prisma storage. tests/db/session-storage.test.ts holds the read to the
 * Prisma storage's, session by session.
 *
 * Routes that never call Shopify with the session (receiving a webhook, the
 * storefront status) read it inside withCachedSessionReads: there an
 * offline session is kept 5 s per process, unless its token expires within
 * the library's refresh window (5 minutes) and the 5 s, so a cached copy is
 * never the one a refresh starts from. Any other read goes to the database,
 * and storing or deleting a session drops this process's copy.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { sqlOf } from "../../db/connect.server";
import type { TokenCipher } from "./token-cipher";

interface SessionRow {
  id: string;
  shop: string;
  state: string;
  isOnline: boolean;
  scope: string | null;
  expires: Date | null;
  accessToken: string;
  userId: string | bigint | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  accountOwner: boolean | null;
  locale: string | null;
  collaborator: boolean | null;
  emailVerified: boolean | null;
  refreshToken: string | null;
  refreshTokenExpires: Date | null;
}

/**
 * A row as a Session, as the Prisma storage builds it: the user columns
 * always present (as text, so an offline session carries "null"), the
 * optional ones only when set.
 */
function sessionFromRow(row: SessionRow): Session {
  const properties: [string, string | number | boolean][] = [
    ["id", row.id],
    ["shop", row.shop],
    ["state", row.state],
    ["isOnline", row.isOnline],
    ["userId", String(row.userId)],
    ["firstName", String(row.firstName)],
    ["lastName", String(row.lastName)],
    ["email", String(row.email)],
    ["locale", String(row.locale)],
  ];
  const optional: [string, string | number | boolean | null][] = [
    ["accountOwner", row.accountOwner],
    ["collaborator", row.collaborator],
    ["emailVerified", row.emailVerified],
    ["expires", row.expires ? row.expires.getTime() : null],
    ["scope", row.scope || null],
    ["accessToken", row.accessToken || null],
    ["refreshToken", row.refreshToken || null],
    ["refreshTokenExpires", row.refreshTokenExpires ? row.refreshTokenExpires.getTime() : null],
  ];
  for (const [key, value] of optional) if (value !== null) properties.push([key, value]);
  return Session.fromPropertyArray(properties, true);
}

const cachedReads = new AsyncLocalStorage<boolean>();

/** Runs `work` with session reads that may come from this process's 5-second copy (see above). */
export function withCachedSessionReads<T>(work: () => Promise<T>): Promise<T> {
  return cachedReads.run(true, work);
}

/** How long a process keeps a session it read, and how many at most. */
export const SESSION_CACHE_MS = 5_000;
const SESSION_CACHE_SIZE = 10_000;
/** The library refreshes an expiring offline token this long before it expires (ensureOfflineTokenIsNotExpired). */
const REFRESH_WINDOW_MS = 5 * 60_000;

/** Where a token sits, as the cipher binds it: a token moved to another row or column does not decrypt. */
const placeOf = (id: string, column: "accessToken" | "refreshToken") => `${id}:${column}`;

export interface ResealReport {
  /** Rows rewritten with the current key. */
  resealed: number;
  /** Rows whose tokens no key listed decrypts (their ids): reinstalling the app on those shops stores new ones. */
  unreadable: string[];
  /** Why the table could not be rebuilt after rewriting rows (VACUUM FULL needs the table's owner), if it could not. */
  notRebuilt?: string;
}

export class SessionStorage extends PrismaSessionStorage<PrismaClient> {
  readonly #db: PrismaClient;
  readonly #cipher: TokenCipher;
  readonly #cache = new Map<string, { session: Session; until: number }>();

  constructor(db: PrismaClient, cipher: TokenCipher) {
    super(db);
    this.#db = db;
    this.#cipher = cipher;
  }

  override async loadSession(id: string): Promise<Session | undefined> {
    if (!cachedReads.getStore()) return this.#read(id);
    const now = Date.now();
    const kept = this.#cache.get(id);
    if (kept && kept.until > now) return kept.session;
    const session = await this.#read(id);
    if (session && !session.isOnline && !session.isExpired(REFRESH_WINDOW_MS + SESSION_CACHE_MS)) {
      this.#cache.delete(id);
      if (this.#cache.size >= SESSION_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(id, { session, until: now + SESSION_CACHE_MS });
    } else this.#cache.delete(id);
    return session;
  }

  override storeSession(session: Session): Promise<boolean> {
    this.#cache.delete(session.id);
    const { accessToken, refreshToken } = session;
    return super.storeSession(
      new Session({
        ...session.toObject(),
        accessToken: accessToken && this.#cipher.seal(accessToken, placeOf(session.id, "accessToken")),
        refreshToken: refreshToken && this.#cipher.seal(refreshToken, placeOf(session.id, "refreshToken")),
      }),
    );
  }

  override async findSessionsByShop(shop: string): Promise<Session[]> {
    return (await super.findSessionsByShop(shop)).map((session) => {
      if (session.accessToken)
        session.accessToken = this.#cipher.open(session.accessToken, placeOf(session.id, "accessToken"));
      if (session.refreshToken)
        session.refreshToken = this.#cipher.open(session.refreshToken, placeOf(session.id, "refreshToken"));
      return session;
    });
  }

  override deleteSession(id: string): Promise<boolean> {
    this.#cache.delete(id);
    return super.deleteSession(id);
  }

  override deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) this.#cache.delete(id);
    return super.deleteSessions(ids);
  }

  async #read(id: string): Promise<Session | undefined> {
    const { rows } = await sqlOf(this.#db).executeSql(
      // The columns hold UTC wall time (Prisma's DateTime): read as instants, whatever the process's zone.
      `SELECT id, shop, state, "isOnline", scope, expires AT TIME ZONE 'UTC' AS expires, "accessToken",
              "userId"::text AS "userId", "firstName", "lastName", email, "accountOwner", locale,
              collaborator, "emailVerified", "refreshToken",
              "refreshTokenExpires" AT TIME ZONE 'UTC' AS "refreshTokenExpires"
         FROM "Session" WHERE id = $1`,
      [id],
    );
    const row = rows[0] as SessionRow | undefined;
    if (!row) return undefined;
    return sessionFromRow({
      ...row,
      accessToken: row.accessToken && this.#cipher.open(row.accessToken, placeOf(row.id, "accessToken")),
      refreshToken: row.refreshToken && this.#cipher.open(row.refreshToken, placeOf(row.id, "refreshToken")),
    });
  }

  /**
   * Rewrites every row whose tokens are not encrypted with the current key
   * (stored before encryption, or under a key a rotation moved down the
   * list) with the current key. Each row is rewritten only if it still holds
   * what was read, so a token refreshed meanwhile, or another process doing
   * the same at start, is never overwritten with an older one. When it
   * rewrote anything, the table is rebuilt (VACUUM FULL): the old row
   * versions, with the plain tokens, leave the table's files instead of
   * lingering until their space is reused.
   */
  async resealStaleTokens(): Promise<ResealReport> {
    const sql = sqlOf(this.#db);
    const stale = `${this.#cipher.currentPrefix.replace(/[\\%_]/g, "\\$&")}%`;
    const { rows } = await sql.executeSql(
      `SELECT id, "accessToken", "refreshToken" FROM "Session"
        WHERE ("accessToken" <> '' AND "accessToken" NOT LIKE $1)
           OR ("refreshToken" <> '' AND "refreshToken" NOT LIKE $1)`,
      [stale],
    );
    const report: ResealReport = { resealed: 0, unreadable: [] };
    for (const row of rows as { id: string; accessToken: string; refreshToken: string | null }[]) {
      let accessToken: string;
      let refreshToken: string | null;
      try {
        accessToken = this.#reseal(row.accessToken, placeOf(row.id, "accessToken"));
        refreshToken = row.refreshToken && this.#reseal(row.refreshToken, placeOf(row.id, "refreshToken"));
      } catch {
        report.unreadable.push(row.id);
        continue;
      }
      const { rowCount } = await sql.executeSql(
        `UPDATE "Session" SET "accessToken" = $2, "refreshToken" = $3
          WHERE id = $1 AND "accessToken" = $4 AND "refreshToken" IS NOT DISTINCT FROM $5`,
        [row.id, accessToken, refreshToken, row.accessToken, row.refreshToken],
      );
      report.resealed += rowCount;
      this.#cache.delete(row.id);
    }
    if (report.resealed > 0) {
      try {
        await sql.executeSql(`VACUUM FULL "Session"`);
      } catch (error) {
        report.notRebuilt = error instanceof Error ? error.message : String(error);
      }
    }
    return report;
  }

  #reseal(stored: string, place: string): string {
    return this.#cipher.isStale(stored) ? this.#cipher.seal(this.#cipher.open(stored, place), place) : stored;
  }
}
