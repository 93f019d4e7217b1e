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
import { REQUEST_THROTTLE_WAIT_MS } from "../shopify/admin-api/admin-client.server";
import { offlineAdmin } from "../shopify/admin-api/offline-admin.server";
import { offlineTokens } from "../shopify/sessions/offline-tokens.server";
import { env } from "../env.server";
import { readBodyWithin, SURFACE_BODY } from "./request-limits";

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

/** The shopper surfaces outside the theme, each authenticated by its own helper of the library. */
export type SurfaceKind = "customerAccount" | "checkout" | "pos";

export interface SurfaceContext extends RequestContext {
  kind: SurfaceKind;
  /**
   * Customer accounts and checkout: the customer the session token names (`sub`, a customer GID
   * when the buyer is signed in and the app has protected customer data access); null for a
   * guest. POS: null (the route names the customer).
   */
  customerGid: string | null;
  /** POS: the staff member signed in to POS (the token's `sub`), as the admin names them. */
  staffId: string | null;
  /** The shop's Admin API client from its offline session; null when it has none (not installed). */
  admin: () => Promise<AdminGraphql | null>;
}

/** A *.myshopify.com domain, as Shopify names shops (the token's `dest`, without its scheme). */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const CUSTOMER_GID = /^gid:\/\/shopify\/Customer\/\d{1,20}$/;
const STAFF_ID = /^\d{1,20}$/;

/**
 * Authenticates a request from a UI extension with the library's own helper
 * (authenticate.public.customerAccount, .checkout or .pos): it answers a CORS preflight (OPTIONS,
 * 204), refuses a request without a session token or with one not signed with the app's secret,
 * expired or not yet valid (401), and returns the token's claims and its `cors` helper
 * (node_modules/@shopify/shopify-app-remix/dist/esm/server/authenticate/public/extension/authenticate.mjs).
 * The shop is the token's `dest` (https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/session-token-api:
 * "Use the `dest` claim to confirm which shop the request is associated with"); the customer its
 * optional `sub` ("present only when the buyer is logged in and your app has permission to read
 * customer accounts":
 * https://shopify.dev/docs/api/checkout-ui-extensions/2026-07-rc/target-apis/platform-apis/session-token-api).
 */
async function surfaceContext(kind: SurfaceKind, request: Request) {
  const { sessionToken, cors } = await authenticate.public[kind](request);
  const shop = String(sessionToken.dest ?? "").replace(/^https:\/\//, "");
  if (!SHOP_DOMAIN.test(shop))
    throw cors(new Response(undefined, { status: 401, statusText: "Unauthorized" }));
  const sub = typeof sessionToken.sub === "string" ? sessionToken.sub : "";
  let admin: Promise<AdminGraphql | null> | undefined;
  const context: SurfaceContext = {
    kind,
    shop,
    customerGid: kind !== "pos" && CUSTOMER_GID.test(sub) ? sub : null,
    staffId: kind === "pos" && STAFF_ID.test(sub) ? `gid://shopify/StaffMember/${sub}` : null,
    admin: () => (admin ??= surfaceAdmin(shop)),
    jobs,
    now,
  };
  return { context, cors };
}

/** The shop's Admin API client for a request a shopper or cashier waits on, or null without a session. */
async function surfaceAdmin(shop: string): Promise<AdminGraphql | null> {
  if (!(await offlineTokens.load(shop))) return null;
  const client = offlineAdmin({ shop, tokens: offlineTokens, origin: env.SHOPIFY_ADMIN_API_ORIGIN });
  return { ...client, throttleWaitMs: REQUEST_THROTTLE_WAIT_MS };
}

/**
 * A loader or action of a shopper surface (app/routes/surfaces.*): `work` gets the request's
 * context, then Remix's arguments. Whatever it answers, or throws as a Response, gets the
 * library's CORS headers (the extensions call from Shopify's origins).
 */
export function surfaceRoute(
  kind: SurfaceKind,
  work: (context: SurfaceContext, args: RouteArgs) => Promise<Response>,
) {
  return (args: RouteArgs): Promise<Response> =>
    withJobs(async () => {
      const { context, cors } = await surfaceContext(kind, args.request);
      try {
        return cors(await work(context, args));
      } catch (error) {
        if (error instanceof Response) throw cors(error);
        throw error;
      }
    });
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

/**
 * A surface request's JSON body, read within the surfaces' body limit (a 413 thrown past it, as
 * the production server would answer before the route); null when it is not JSON.
 */
export async function surfaceJson(request: Request): Promise<unknown> {
  const text = await readBodyWithin(request, SURFACE_BODY);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** A surface route's answer to a method it does not take (after authenticating: a preflight gets 204). */
export const methodNotAllowed = (allow: string) =>
  Response.json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: allow } });
