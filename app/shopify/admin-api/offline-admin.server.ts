/**
 * Admin API access outside a request (jobs, schedules): graphql-request with
 * the shop's offline token. The origin is configurable (ADMIN_API_ORIGIN) so a
 * local stand-in of Shopify can serve it. Expiring offline tokens are
 * refreshed shortly before they expire, as the Shopify library does.
 * Exposes the same AdminGraphql shape as `admin.graphql` in requests, so the
 * adapters in app/shopify/ work with either.
 */
import { ClientError, GraphQLClient } from "graphql-request";
import { AdminApiError, AdminTransientError, type AdminGraphql } from "./admin-client.server";
import { ADMIN_API_VERSION } from "../api-version";

export interface OfflineSession {
  accessToken: string;
  expires: Date | null;
  refreshToken: string | null;
  refreshTokenExpires: Date | null;
}

export interface OfflineTokenStore {
  load(shop: string): Promise<OfflineSession | null>;
  /** Exchanges a refresh token for a new session (Shopify's refresh_token grant) and stores it. */
  refresh(shop: string, refreshToken: string): Promise<OfflineSession>;
}

/** Definite: no retry helps until the merchant opens the app again. */
export class NoOfflineSessionError extends AdminApiError {
  constructor(shop: string, why: string) {
    super(`No usable offline token for ${shop}: ${why}. The shop must open the app again.`);
    this.name = "NoOfflineSessionError";
  }
}

/** Refresh this long before the token expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

async function offlineAccessToken(store: OfflineTokenStore, shop: string, now: Date): Promise<string> {
  const session = await store.load(shop);
  if (!session) throw new NoOfflineSessionError(shop, "the app is not installed or was uninstalled");
  if (!session.expires || session.expires.getTime() - REFRESH_MARGIN_MS > now.getTime())
    return session.accessToken;
  if (!session.refreshToken || (session.refreshTokenExpires && session.refreshTokenExpires <= now)) {
    throw new NoOfflineSessionError(shop, "the token expired and cannot be refreshed");
  }
  return (await store.refresh(shop, session.refreshToken)).accessToken;
}

export function offlineAdmin(input: {
  shop: string;
  tokens: OfflineTokenStore;
  /** Default https://{shop}; a local Shopify stand-in for development and tests. */
  origin?: string;
  fetch?: typeof fetch;
  now?: () => Date;
  /**
   * A deadline of its own, tighter than runQuery's (ADMIN_API_TIMEOUT_MS, which
   * every call gets through the signal it passes): tests of hung calls.
   */
  timeoutMs?: number;
}): AdminGraphql {
  const { timeoutMs } = input;
  const endpoint = `${input.origin ?? `https://${input.shop}`}/admin/api/${ADMIN_API_VERSION}/graphql.json`;
  return {
    graphql: async (query, options) => {
      const token = await offlineAccessToken(input.tokens, input.shop, (input.now ?? (() => new Date()))());
      const deadline = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
      const signals = [deadline, options?.signal].filter((s): s is AbortSignal => s !== undefined);
      const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
      const client = new GraphQLClient(endpoint, {
        headers: { "X-Shopify-Access-Token": token },
        errorPolicy: "all",
        signal,
        ...(input.fetch ? { fetch: input.fetch } : {}),
      });
      try {
        const result = await client.rawRequest(query, options?.variables);
        return Response.json(
          { data: result.data, errors: result.errors, extensions: result.extensions },
          { status: result.status },
        );
      } catch (error) {
        if (error instanceof ClientError) {
          // Non-2xx: hand the status and Shopify's Retry-After on; runQuery decides what is transient.
          const { status, errors, data, headers } = error.response;
          const retryAfter = headers?.get("Retry-After");
          return Response.json(
            { data, errors: errors ?? `HTTP ${status}` },
            { status, headers: retryAfter ? { "Retry-After": retryAfter } : {} },
          );
        }
        // It may have taken effect: transient, and the caller finds out before doing it again.
        if (deadline?.aborted)
          throw new AdminTransientError(`Admin API did not answer within ${timeoutMs} ms`, error);
        throw error; // network failure: transient for runQuery
      }
    },
  };
}
