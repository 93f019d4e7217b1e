/**
 * The narrow view of an Admin API client that adapters in app/shopify/ need:
 * the `admin.graphql` function of @shopify/shopify-app-remix (request-scoped
 * or from `unauthenticated.admin(shop)` in jobs). Every adapter checks the
 * top-level `errors` here and its own `userErrors` itself.
 */
export type AdminGraphql = {
  graphql: (
    query: string,
    options?: { variables?: Record<string, unknown>; signal?: AbortSignal },
  ) => Promise<Response>;
};

/**
 * How long runQuery waits for Shopify's answer, body included, before giving
 * the call up as transient (it may still have taken effect), for every client:
 * the library's admin.graphql in requests, offlineAdmin in jobs. Without a
 * limit a connection that never answers holds a shopper's request, or a job
 * and its worker's batch until pg-boss expires it minutes later; with it the
 * attempt fails and a job is retried with backoff.
 */
export const ADMIN_API_TIMEOUT_MS = 30_000;

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

/** An adapter's check of its mutation's `userErrors`: Shopify refused, say what and why. */
export function throwOnUserErrors(operation: string, errors: readonly { message: string }[] | null | undefined): void {
  if (errors && errors.length > 0) {
    throw new AdminApiError(`${operation}: ${errors.map((error) => error.message).join("; ")}`, errors);
  }
}

type ErrorBody = { message?: string; extensions?: { code?: string } }[];

export async function runQuery<Data>(
  admin: AdminGraphql,
  query: string,
  variables?: Record<string, unknown>,
  options: { timeoutMs?: number } = {},
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
    // The Shopify library throws on HTTP errors; treat what is not a client error as transient.
    const status = (error as { response?: { status?: number } }).response?.status;
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
      throw new AdminApiError(`Admin API HTTP ${status}: ${(error as Error).message}`, error);
    }
    throw new AdminTransientError(`Admin API unreachable or failing: ${(error as Error).message}`, error);
  }
  if (response.status >= 500 || response.status === 429) {
    throw new AdminTransientError(`Admin API HTTP ${response.status}`, await response.text().catch(() => null));
  }
  const body = (await response.json().catch((error: unknown) => {
    throw signal.aborted ? timedOut(error) : error;
  })) as {
    data?: Data;
    errors?: ErrorBody | string;
    extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable: number; restoreRate: number } } };
  };
  if (body.errors) {
    const errors = Array.isArray(body.errors) ? body.errors : [{ message: String(body.errors) }];
    if (errors.some((error) => error.extensions?.code === "THROTTLED")) {
      const cost = body.extensions?.cost;
      const missing = (cost?.requestedQueryCost ?? 0) - (cost?.throttleStatus?.currentlyAvailable ?? 0);
      const restore = cost?.throttleStatus?.restoreRate ?? 50;
      throw new AdminTransientError("Admin API throttled", errors, Math.max(1000, Math.ceil((missing / restore) * 1000)));
    }
    throw new AdminApiError(`Admin API error: ${JSON.stringify(errors)}`, errors);
  }
  if (!body.data) throw new AdminApiError("Admin API response has no data");
  return body.data;
}
