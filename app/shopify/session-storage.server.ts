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
 */
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

export class SessionStorage extends PrismaSessionStorage<PrismaClient> {
  readonly #db: PrismaClient;

  constructor(db: PrismaClient) {
    super(db);
    this.#db = db;
  }

  override async loadSession(id: string): Promise<Session | undefined> {
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
