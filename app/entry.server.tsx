import { PassThrough } from "node:stream";
import {
  createReadableStreamFromReadable,
  type EntryContext,
  type HandleDataRequestFunction,
  type HandleErrorFunction,
} from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { crossOriginAction, crossOriginLogLine, crossOriginRefusal } from "./cross-origin-actions.server";
import { env } from "./env.server";
import { addDocumentResponseHeaders } from "./shopify.server";
import { localShopifyHeaders } from "./shopify/local-shopify.server";
import { startJobWorkers } from "./jobs.server";
import { resealSessionsAtStart } from "./shopify/sessions/session-reseal.server";

// This module is the server build's entry: what a web or worker process (scripts/http-server.mjs,
// scripts/worker.mjs, `npm run dev`) starts with, here and nowhere else. The job workers start
// with the process (JOB_WORKER=on), not on the first job; stale stored tokens are re-encrypted.
startJobWorkers();
resealSessionsAtStart();

export const streamTimeout = 5000;

// For the production server (scripts/http-server.mjs): a document POST from another site is refused
// before Remix sees it (Remix would answer 500, and nothing in the app can change that answer).
export { refuseCrossOriginAction } from "./cross-origin-actions.server";

/** A single-fetch (`.data`) action Remix refused as cross-origin is answered 403, not Remix's 500. */
export const handleDataRequest: HandleDataRequestFunction = (response, { request }) =>
  response.status === 500 && crossOriginAction(request) ? crossOriginRefusal() : response;

/**
 * What Remix logs of a request that failed: as Remix does by default (nothing for a request
 * whose client went away), except a refused cross-origin action, which is one line.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (crossOriginAction(request)) return console.warn(crossOriginLogLine(request));
  console.error(isRouteErrorResponse(error) && "error" in error && error.error ? error.error : error);
};

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  localShopifyHeaders(responseHeaders, {
    adminOrigin: env.SHOPIFY_ADMIN_ORIGIN,
    appBridgeUrl: env.APP_BRIDGE_URL,
  });
  // Bots get the whole document at once; browsers get it streamed.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [readyEvent]: () => {
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html");
        resolve(
          new Response(createReadableStreamFromReadable(body), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError: reject,
      onError: (error: unknown) => {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    // Abort after the loaders' own timeout so rejected promises reach the client.
    setTimeout(abort, streamTimeout + 1000);
  });
}

// The production server (scripts/http-server.mjs) bounds every request with these, read from the build.
export {
  bodyLimitFor,
  declaredLengthProblem,
  HEADERS_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
  tooLarge,
  webhookHeadersProblem,
} from "./http/request-limits";
