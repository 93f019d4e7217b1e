/**
 * Where Shopify's library keeps sessions: the "Session" table of
 * @shopify/shopify-app-session-storage-prisma, with its reads on the driver.
 *
 * The library loads the shop's offline session on every webhook, app proxy
 * request and admin request. Through Prisma that read costs about 0.5 ms of
 * CPU in Prisma's query compiler, a fifth of what answering a webhook costs
 * in all; straight to the driver (sqlOf) it is one prepared statement.
 * Writes (installs, token refreshes, uninstalls) are rare and stay with the
 * Prisma storage. tests/db/session-storage.test.ts holds the read to the
 * Prisma storage's, session by session.
 *
 * Routes that never call Shopify with the session (a webhook's receipt, the
 * storefront's status) read it inside withCachedSessionReads: there an
 * offline session is kept 5 s per process, unless its token expires within
 * the library's refresh window (5 minutes) and the 5 s, so a cached copy is
 * never the one a refresh starts from. Any other read goes to the database,
 * and storing or deleting a session drops this process's copy.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { sqlOf } from "../db/connect.server";

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
export function sessionFromRow(row: SessionRow): Session {
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

export class SessionStorage extends PrismaSessionStorage<PrismaClient> {
  readonly #db: PrismaClient;
  readonly #cache = new Map<string, { session: Session; until: number }>();

  constructor(db: PrismaClient) {
    super(db);
    this.#db = db;
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
    return super.storeSession(session);
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
    return row ? sessionFromRow(row) : undefined;
  }
}
