/**
 * A form post from another site: Remix refuses it, and Regulars answers 403.
 *
 * Remix (2.17, @remix-run/server-runtime's throwIfPotentialCSRFAttack,
 * called by handleDocumentRequest for POST, PUT, PATCH and DELETE and by
 * singleFetchAction for every `.data` request but GET) throws before any
 * route runs when the request's Origin header names another host than its
 * X-Forwarded-Host (first value) or Host, and then answers 500 with a stack
 * in the log. Nothing went wrong on the server: the client is refused.
 * crossOriginAction says whether Remix refuses a request this way, with
 * Remix's own comparison; entry.server.tsx turns Remix's answer into 403
 * where Remix lets the app (single-fetch `.data` requests, handleDataRequest)
 * and logs one line instead of the stack. A document POST is answered by
 * Remix before the app can change it: the production server
 * (scripts/http-server.mjs) must ask refuseCrossOriginAction (exported by
 * the build's entry module) before handing the request to Remix.
 */

const DOCUMENT_ACTION_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Whether Remix's guard refuses this request as a cross-origin action. */
export function crossOriginAction(request: Request): boolean {
  const singleFetch = new URL(request.url).pathname.endsWith(".data");
  if (singleFetch ? request.method === "GET" : !DOCUMENT_ACTION_METHODS.has(request.method)) return false;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  let originHost: string;
  try {
    // Remix compares "null" as it is (so it never matches a host), and fails on an origin that is not a URL.
    originHost = origin === "null" ? origin : new URL(origin).host;
  } catch {
    return true;
  }
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  const host = forwarded || request.headers.get("host");
  return !host || originHost !== host;
}

/** The answer to a refused cross-origin action. */
export function crossOriginRefusal(): Response {
  return new Response("Forbidden: this form was sent from another site.", {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** One log line for a refused cross-origin action, instead of Remix's stack. */
export function crossOriginLogLine(request: Request): string {
  const { pathname } = new URL(request.url);
  return `[regulars] refused a cross-origin ${request.method} ${pathname} (Origin: ${request.headers.get("origin")})`;
}

/**
 * For the production server, before it hands a request to Remix: the 403 (and its log line) for a
 * request Remix would refuse as a cross-origin action, or null.
 */
export function refuseCrossOriginAction(request: Request): Response | null {
  if (!crossOriginAction(request)) return null;
  console.warn(crossOriginLogLine(request));
  return crossOriginRefusal();
}
