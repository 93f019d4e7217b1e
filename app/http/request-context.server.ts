/**
 * The one way a route of the embedded admin (app.*) or of the app proxy
 * (proxy.*) gets its request's context: `adminRoute` and `storefrontRoute`
 * wrap a loader or an action. Each authenticates the request with Shopify's
 * library (authenticate.admin; authenticate.public.appProxy through
 * authenticateProxy), then runs the route's work with:
 *   - `shop`: the shop the request is for, Shopify's word;
 *   - `admin`: the Admin API client for a request a person waits on
 *     (requestAdmin), made when first used;
 *   - `jobs`: the process's job queue;
 *   - `now()`: the clock.
 * The work runs under withJobs: the follow-up jobs its changes note are
 * enqueued when it ends, so no route wraps its calls by hand.
 * A refusal's HTTP status comes from app/http/error-statuses.ts.
 * Webhook routes have their own path (app/http/webhook-route.server.ts),
 * Flow's callback its own check (authenticate.flow in flow.lifecycle.tsx).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { AdminStrings } from "../admin/admin-strings";
import { stringsFor } from "../admin/strings-for";
import type { AdminLocale } from "../admin/locale";
import { prisma } from "../db.server";
import { jobs, withJobs } from "../jobs.server";
import type { JobQueue } from "../jobs/job-queue.server";
import { staffLocale } from "../services/shops/staff-locale.server";
import { rememberProxyPath } from "../services/storefront/proxy-path.server";
import { authenticate } from "../shopify.server";
import type { AdminGraphql } from "../shopify/admin-api/admin-client.server";
import { authenticateProxy } from "../shopify/requests/authenticate-proxy.server";
import { requestAdmin } from "../shopify/admin-api/request-admin.server";

/** What Remix hands a loader or an action (their arguments have one shape). */
export type RouteArgs = LoaderFunctionArgs;

interface RequestContext {
  shop: string;
  jobs: JobQueue;
  now: () => Date;
}

type AdminAuth = Awaited<ReturnType<typeof authenticate.admin>>;

export interface AdminContext extends RequestContext {
  /** The Admin API client for this request; a 401 goes to the library's own client (requestAdmin). */
  readonly admin: AdminGraphql;
  /** The staff member who is signed in, as Shopify names them ("unknown" without a session token). */
  staffId: string;
  /** What the library's authenticate.admin answered (its session, redirect and own Admin client). */
  auth: AdminAuth;
  /**
   * The staff member's admin locale: Shopify's `locale` on this request, else the one their last
   * load of the app sent (app/services/shops/staff-locale.server.ts); read once, when first asked.
   */
  locale: () => Promise<AdminLocale>;
  /** The admin's words in that locale, for an answer's messages. */
  strings: () => Promise<AdminStrings>;
}

type ProxyAuth = Awaited<ReturnType<typeof authenticateProxy>>;

export interface StorefrontContext extends RequestContext {
  /** The logged-in customer, null for a guest (Shopify's logged_in_customer_id). */
  customerGid: string | null;
  /**
   * The Admin API client with the shop's session, null when the shop has none (the app is not
   * installed): then nothing can be created in Shopify.
   */
  readonly admin: AdminGraphql | null;
  /** What authenticateProxy answered (the library's liquid helper, the session). */
  auth: ProxyAuth;
}

const now = () => new Date();

/** Authenticates an admin request (a page's loader or action, a fetch with a session token). */
export async function adminContext(request: Request): Promise<AdminContext> {
  const auth = await authenticate.admin(request);
  let admin: AdminGraphql | undefined;
  const staffId = `gid://shopify/StaffMember/${auth.sessionToken?.sub ?? "unknown"}`;
  let locale: Promise<AdminLocale> | undefined;
  const localeOnce = () => (locale ??= staffLocale(prisma, auth.session.shop, staffId, new URL(request.url)));
  return {
    shop: auth.session.shop,
    get admin() {
      return (admin ??= requestAdmin({ session: auth.session, library: auth.admin }));
    },
    staffId,
    auth,
    locale: localeOnce,
    strings: async () => stringsFor(await localeOnce()),
    jobs,
    now,
  };
}

/**
 * Authenticates an app proxy request and remembers the storefront path it came through (a
 * read of the cached program unless the merchant moved the proxy). `cachedSessionReads`: the
 * route never calls Shopify, so the library may read this process's copy of the session.
 */
async function storefrontContext(
  request: Request,
  options: { cachedSessionReads?: boolean } = {},
): Promise<StorefrontContext> {
  const auth = await authenticateProxy(request, options);
  await rememberProxyPath(prisma, auth.shop, auth.proxyPath);
  const session = auth.session;
  let admin: AdminGraphql | undefined;
  return {
    shop: auth.shop,
    customerGid: auth.customerGid,
    get admin() {
      return session ? (admin ??= requestAdmin({ session })) : null;
    },
    auth,
    jobs,
    now,
  };
}

/** An admin loader or action: `work` gets the request's context, then Remix's arguments. */
export function adminRoute<T>(work: (context: AdminContext, args: RouteArgs) => Promise<T>) {
  return (args: RouteArgs): Promise<T> => withJobs(async () => work(await adminContext(args.request), args));
}

/** An app proxy loader or action: `work` gets the request's context, then Remix's arguments. */
export function storefrontRoute<T>(
  work: (context: StorefrontContext, args: RouteArgs) => Promise<T>,
  options: { cachedSessionReads?: boolean } = {},
) {
  return (args: RouteArgs): Promise<T> =>
    withJobs(async () => work(await storefrontContext(args.request, options), args));
}
