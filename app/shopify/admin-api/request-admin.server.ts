/**
 * The Admin API client for a request a person waits on: an admin page (the
 * merchant) or the app proxy (a shopper). It calls Shopify with the shop's
 * offline token from the request's session, through the same transport as the
 * jobs (offlineAdmin), so that Shopify's whole answer reaches runQuery: the
 * library's `admin.graphql` of authenticate.admin answers an HTTP error with a
 * Response of its own carrying only Content-Type, so a 429's Retry-After never
 * reaches the app (handleClientErrorFactory in
 * https://github.com/Shopify/shopify-app-js/blob/main/packages/apps/shopify-app-remix/src/server/authenticate/admin/helpers/handle-client-error.ts).
 *
 * It waits out Shopify's rate limit within REQUEST_THROTTLE_WAIT_MS (runQuery).
 * A 401 (Shopify refused the token) is handed to the library's own client of
 * the request when there is one: the library drops the refused token from the
 * session, so the next page load exchanges a new one, and the call fails as a
 * definite error.
 */
import { env } from "../../env.server";
import { type AdminGraphql, REQUEST_THROTTLE_WAIT_MS } from "./admin-client.server";
import { NoOfflineSessionError, offlineAdmin } from "./offline-admin.server";

export function requestAdmin(input: {
  /** The request's session (authenticate.admin, authenticate.public.appProxy). */
  session: { shop: string; accessToken?: string };
  /** The library's client of the same request (authenticate.admin's `admin`), for a 401. */
  library?: AdminGraphql;
  /** Default SHOPIFY_ADMIN_API_ORIGIN (a local Shopify), else https://{shop}. */
  origin?: string;
}): AdminGraphql {
  const { shop, accessToken } = input.session;
  const transport = offlineAdmin({
    shop,
    origin: input.origin ?? env.SHOPIFY_ADMIN_API_ORIGIN,
    tokens: {
      // authenticate.* hands over a session whose token is current (refreshed when it expires).
      load: async () =>
        accessToken ? { accessToken, expires: null, refreshToken: null, refreshTokenExpires: null } : null,
      refresh: () =>
        Promise.reject(new NoOfflineSessionError(shop, "the request's token cannot be refreshed here")),
    },
  });
  return {
    throttleWaitMs: REQUEST_THROTTLE_WAIT_MS,
    graphql: async (query, options) => {
      const response = await transport.graphql(query, options);
      if (response.status === 401 && input.library) return input.library.graphql(query, options);
      return response;
    },
  };
}
