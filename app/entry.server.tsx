import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { env } from "./env.server";
import { addDocumentResponseHeaders } from "./shopify.server";
import { localShopifyHeaders } from "./shopify/local-shopify.server";
// Starts the job queue (and its worker) with the server, not on the first job.
import "./jobs.server";

export const streamTimeout = 5000;

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
