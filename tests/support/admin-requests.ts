/**
 * Requests from the embedded admin, signed as Shopify signs them: a document
 * load carries `id_token` (a session token) in the URL; App Bridge's fetches
 * carry it as `Authorization: Bearer`.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import {
  API_KEY,
  API_SECRET_KEY,
  APP_URL,
  RequestType,
  setUpValidRequest,
} from "@shopify/shopify-api/test-helpers";

const store = (shop: string) => shop.replace(".myshopify.com", "");

export function adminDocument(path: string, shop = "test-shop.myshopify.com") {
  return setUpValidRequest(
    { type: RequestType.Admin, store: store(shop), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${APP_URL}${path}`),
  );
}

export function adminFetch(
  path: string,
  init: RequestInit,
  shop = "test-shop.myshopify.com",
  secret = API_SECRET_KEY,
) {
  return setUpValidRequest(
    { type: RequestType.Bearer, store: store(shop), apiKey: API_KEY, apiSecretKey: secret },
    new Request(`${APP_URL}${path}`, init),
  );
}

/** Calls a loader or action; a thrown Response (redirect, 401) is returned like any other. */
export async function run(
  fn: (args: LoaderFunctionArgs) => Promise<unknown>,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const result = await fn({ request, params, context: {} });
    return result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type RouteFunction = (args: LoaderFunctionArgs) => Promise<unknown>;

/**
 * A file as the admin downloads it (app/http/download-route.server.ts): the
 * button's POST with a session token answers a signed link, and the link alone
 * (a plain GET, no token) gives the file. Answers the refusal when there is one.
 */
export async function downloadFile(
  route: { action: RouteFunction; loader: RouteFunction },
  path: string,
  params: Record<string, string> = {},
  shop = "test-shop.myshopify.com",
): Promise<Response> {
  const linked = await run(route.action, await adminFetch(path, { method: "POST" }, shop), params);
  if (linked.status !== 200) return linked;
  const { url } = (await linked.json()) as { url: string };
  return run(route.loader, new Request(`${APP_URL}${url}`), params);
}
