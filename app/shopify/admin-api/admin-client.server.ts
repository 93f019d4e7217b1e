/**
 * The narrow view of an Admin API client that adapters in app/shopify/ need:
 * a `graphql` function answering with Shopify's HTTP response, as the
 * library's `admin.graphql` does. The clients are requestAdmin (a request a
 * person waits on, request-admin.server.ts) and offlineAdmin (jobs). Every
 * adapter checks the top-level `errors` here and its own `userErrors` itself.
 */
export type AdminGraphql = {
  graphql: (
    query: string,
    options?: { variables?: Record<string, unknown>; signal?: AbortSignal },
  ) => Promise<Response>;
  /**
   * How long runQuery may wait in all, within one call, for Shopify's rate
   * limit to pass before it gives up: REQUEST_THROTTLE_WAIT_MS for a client a
   * person waits on. Unset (jobs): nothing is waited here; the worker waits
   * what the error says between attempts (JobWorker.withThrottleWaits).
   */
  throttleWaitMs?: number;
};

/**
 * A page or a storefront request waits at most this long in all for Shopify's
 * rate limit, then answers with a clear error (the code-issue job, for a
 * redemption, finishes what the shopper started).
 */
export const REQUEST_THROTTLE_WAIT_MS = 2_000;

/**
 * How long runQuery waits for Shopify's answer, body included, before giving
 * the call up as transient (it may still have taken effect), for every client:
 * the library's admin.graphql in requests, offlineAdmin in jobs. Without a
 * limit a connection that never answers holds a shopper's request, or a job
 * and its worker's batch until pg-boss expires it minutes later; with it the
 * attempt fails and a job is retried with backoff.
 */
const ADMIN_API_TIMEOUT_MS = 30_000;

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

/**
 * A failure that may not be final: throttled, a 5xx, a timeout or a dropped
 * connection. The call may or may not have taken effect; retry later, after
 * finding out (for a code: codeDiscountNodeByCode).
 */
export class AdminTransientError extends AdminApiError {
  constructor(
    message: string,
    details?: unknown,
    /** How long to wait before calling again, when Shopify said. */
    readonly retryAfterMs?: number,
  ) {
    super(message, details);
    this.name = "AdminTransientError";
  }
}

/**
 * Shopify's rate limit: the call was refused before it ran (HTTP 429, or
 * GraphQL THROTTLED), so calling again after `retryAfterMs` is safe.
 */
export class AdminThrottledError extends AdminTransientError {
  constructor(
    message: string,
    details: unknown,
    override readonly retryAfterMs: number,
  ) {
    super(message, details, retryAfterMs);
    this.name = "AdminThrottledError";
  }
}

/**
 * A Retry-After header in milliseconds: Shopify writes seconds, like "2.0"
 * (https://shopify.dev/docs/api/admin-rest/usage/rate-limits#retry-after-header);
 * HTTP also allows a date. Undefined when absent or unreadable.
 */
function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** An adapter's check of its mutation's `userErrors`: Shopify refused, say what and why. */
export function throwOnUserErrors(
  operation: string,
  errors: readonly { message: string }[] | null | undefined,
): void {
  if (errors && errors.length > 0) {
    throw new AdminApiError(`${operation}: ${errors.map((error) => error.message).join("; ")}`, errors);
  }
}

type ErrorBody = { message?: string; extensions?: { code?: string } }[];
type Cost = {
  requestedQueryCost?: number;
  throttleStatus?: { maximumAvailable?: number; currentlyAvailable: number; restoreRate: number };
};

/**
 * Runs a query or mutation and classifies Shopify's answer: its data; a
 * definite AdminApiError (a refused document, a 4xx); an AdminTransientError
 * (5xx, timeout, dropped connection); an AdminThrottledError with the wait
 * Shopify asked for (HTTP 429 with Retry-After, or THROTTLED with
 * `extensions.cost.throttleStatus`: https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).
 * A client with `throttleWaitMs` (a request a person waits on) waits that out
 * here, up to its limit in all, and calls again; past it the error says so.
 */
export async function runQuery<Data>(
  admin: AdminGraphql,
  query: string,
  variables?: Record<string, unknown>,
  options: { timeoutMs?: number } = {},
): Promise<Data> {
  const budget = admin.throttleWaitMs ?? 0;
  let waited = 0;
  for (;;) {
    try {
      return await runOnce<Data>(admin, query, variables, options);
    } catch (error) {
      if (!(error instanceof AdminThrottledError) || budget === 0) throw error;
      const wait = error.retryAfterMs;
      if (waited + wait > budget) {
        throw new AdminThrottledError(
          waited === 0
            ? `${error.message}; a request waits at most ${seconds(budget)}, so it was not tried again`
            : `Shopify still rate-limited after waiting ${seconds(waited)} (at most ${seconds(budget)}): ${error.message}`,
          error.details,
          wait,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      waited += wait;
    }
  }
}

async function runOnce<Data>(
  admin: AdminGraphql,
  query: string,
  variables: Record<string, unknown> | undefined,
  options: { timeoutMs?: number },
): Promise<Data> {
  const timeoutMs = options.timeoutMs ?? ADMIN_API_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = (error: unknown) =>
    new AdminTransientError(`Admin API did not answer within ${timeoutMs} ms`, error);
  let response: Response;
  try {
    response = await admin.graphql(query, variables ? { variables, signal } : { signal });
  } catch (error) {
    if (error instanceof AdminApiError) throw error; // already classified by the client
    if (signal.aborted) throw timedOut(error);
    // Shopify's library throws on HTTP errors: its HttpResponseError (response.code), or in a
    // request its own answer as a Response (for a 401, after dropping the refused token).
    const answer = (error as { response?: { status?: number; code?: number } }).response;
    const status = error instanceof Response ? error.status : (answer?.status ?? answer?.code);
    const message = error instanceof Response ? `HTTP ${error.status}` : (error as Error).message;
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
      throw new AdminApiError(`Admin API HTTP ${status}: ${message}`, error);
    }
    throw new AdminTransientError(`Admin API unreachable or failing: ${message}`, error);
  }
  if (response.status === 429) {
    const wait = retryAfterMs(response.headers.get("Retry-After"));
    const text = await response.text().catch(() => null);
    if (wait === undefined) throw new AdminTransientError("Admin API HTTP 429 without a Retry-After", text);
    throw new AdminThrottledError(
      `Shopify is rate-limiting Regulars on this shop (HTTP 429) and asks Regulars to wait ${seconds(wait)}`,
      text,
      wait,
    );
  }
  if (response.status >= 500) {
    throw new AdminTransientError(
      `Admin API HTTP ${response.status}`,
      await response.text().catch(() => null),
    );
  }
  const body = (await response.json().catch((error: unknown) => {
    throw signal.aborted ? timedOut(error) : error;
  })) as { data?: Data; errors?: ErrorBody | string; extensions?: { cost?: Cost } };
  if (body.errors) {
    const errors = Array.isArray(body.errors) ? body.errors : [{ message: String(body.errors) }];
    if (errors.some((error) => error.extensions?.code === "THROTTLED"))
      throw throttled(errors, body.extensions?.cost);
    throw new AdminApiError(`Admin API error: ${JSON.stringify(errors)}`, errors);
  }
  if (!body.data) throw new AdminApiError("Admin API response has no data");
  return body.data;
}

/**
 * GraphQL THROTTLED: the query needs `requestedQueryCost` points and the bucket
 * holds `currentlyAvailable`, refilled at `restoreRate` a second. Wait for the
 * difference, at least a second (Shopify's own client waits a second when it
 * is told nothing: RETRY_WAIT_TIME in @shopify/graphql-client).
 */
function throttled(errors: ErrorBody, cost: Cost | undefined): AdminThrottledError {
  const requested = cost?.requestedQueryCost ?? 0;
  const available = cost?.throttleStatus?.currentlyAvailable ?? 0;
  const restore = cost?.throttleStatus?.restoreRate ?? 50;
  const wait = Math.max(1000, Math.ceil(((requested - available) / restore) * 1000));
  return new AdminThrottledError(
    `Admin API throttled: the call needs ${requested} points, ${available} are available, ` +
      `restored at ${restore} a second; Shopify asks Regulars to wait ${seconds(wait)}`,
    errors,
    wait,
  );
}
