/**
 * Resource routes at a fixed path, answered without Remix's router.
 *
 * Webhooks, the app proxy and the health check are routes with no page: a
 * loader or an action that returns a Response. Remix reaches one by
 * matching the URL against the whole route tree twice (once to choose the
 * kind of request, once in its handler), flattening and ranking the tree
 * each time; under a webhook burst that was a tenth of the server's CPU.
 * The production server (scripts/http-server.mjs) looks these routes up by
 * their exact path instead and calls the same function Remix would, with
 * the same arguments, and answers as Remix does:
 *   - the Response the function returns or throws;
 *   - for any other error, Remix's last-resort 500 "Unexpected Server Error"
 *     after logging it (unless the client went away);
 *   - a HEAD request gets the loader's status and headers, no body.
 * Anything else (a page, a path with parameters or a splat, a method the
 * route has no function for, a `?_data=` request, a path written another
 * way, such as with a trailing slash or other letter case) goes to Remix.
 *
 * Webhooks are why this exists: the seven route files
 * app/routes/webhooks.<topic>.tsx that only say
 * `export const action = webhookAction;` are looked up here by their path,
 * and the server hands a delivery to that action's `receiveDelivery`
 * (app/http/webhook-route.server.ts says how a delivery's URL leads there).
 */

import { URLSearchParams } from "node:url";

/** `path` -> route module, for the build's resource routes whose full path has no parameter. */
export function fixedResourceRoutes(build) {
  const routes = build.routes;
  const fullPath = (route) => {
    const parts = [];
    for (let r = route; r; r = r.parentId ? routes[r.parentId] : undefined) {
      if (r.path) parts.unshift(r.path);
    }
    return `/${parts.join("/")}`.replace(/\/+/g, "/");
  };
  const found = new Map();
  for (const route of Object.values(routes)) {
    const { module } = route;
    if (module.default != null || module.ErrorBoundary != null) continue; // a page
    if (route.index) continue; // an index route answers its parent's path: left to Remix
    const path = fullPath(route);
    if (/[:*]/.test(path) || path === "/") continue;
    found.set(path, module);
  }
  return found;
}

/**
 * Patterns of the build's resource routes whose path has a parameter or a splat
 * ("/surfaces/pos/customers/:customerId/redeem"), which Remix routes. Remix guards only
 * document and single-fetch actions against cross-origin posts, not resource routes (their
 * callers, such as the UI extensions with a session token, are cross-origin by design), so the
 * server must not refuse a request for one (see app/cross-origin-actions.server.ts). Matching
 * as React Router does: case-insensitive, a trailing slash allowed.
 */
export function parameterResourceRoutes(build) {
  const routes = build.routes;
  const patterns = [];
  for (const route of Object.values(routes)) {
    const { module } = route;
    if (module.default != null || module.ErrorBoundary != null || route.index) continue;
    const parts = [];
    for (let r = route; r; r = r.parentId ? routes[r.parentId] : undefined) {
      if (r.path) parts.unshift(...r.path.split("/").filter(Boolean));
    }
    if (!parts.some((part) => part.startsWith(":") || part === "*")) continue;
    const source = parts
      .map((part) => {
        if (part === "*") return "(?:/.*)?";
        if (part.startsWith(":")) return part.endsWith("?") ? "(?:/[^/]+)?" : "/[^/]+";
        return `/${part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
      })
      .join("");
    patterns.push(new RegExp(`^${source}/?$`, "i"));
  }
  return patterns;
}

/** Whether the path may be one of those resource routes. */
export function parameterResourceRoute(patterns, url) {
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  return patterns.some((pattern) => pattern.test(path));
}

/** The route function for this request, or undefined when Remix should answer it. */
export function resourceRouteFor(routes, method, url) {
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  const module = routes.get(path);
  if (!module) return undefined;
  if (q !== -1 && new URLSearchParams(url.slice(q + 1)).has("_data")) return undefined;
  const handler = method === "GET" || method === "HEAD" ? module.loader : module.action;
  return typeof handler === "function" ? handler : undefined;
}

/**
 * Calls a route function as Remix does for a resource route, and answers
 * what Remix would. `clientGone` says whether the client went away (an error
 * then is not logged, as Remix does for an aborted request).
 */
export async function callResourceRoute(handler, request, clientGone = () => request.signal.aborted) {
  let response;
  try {
    response = await handler({ request, params: {}, context: {} });
    if (!(response instanceof Response)) {
      // Remix turns a bare value into JSON (with a deprecation warning); every route here returns a Response.
      response = new Response(JSON.stringify(response), {
        headers: { "Content-Type": "application/json; charset=utf-8" },
      });
    }
  } catch (error) {
    if (error instanceof Response) response = error;
    else {
      if (!clientGone()) console.error(error);
      response = new Response("Unexpected Server Error", {
        status: 500,
        headers: { "Content-Type": "text/plain" },
      });
    }
  }
  if (request.method === "HEAD") {
    return new Response(null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  }
  return response;
}
