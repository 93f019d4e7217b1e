/**
 * Node's incoming request as the web Request that Remix and the route
 * functions take (scripts/http-server.mjs).
 */
import { createReadableStreamFromReadable } from "@remix-run/node";

/** Bodies up to this size are read whole before Remix sees them (webhooks); larger ones stream (imports). */
export const BUFFERED_BODY = 1_000_000;

/**
 * The URL is the one remix-serve gave (http://<Host header><path>; without a
 * Host header, localhost and `port`), and the headers are all of the
 * request's (their names in lower case, as Headers keeps them).
 *
 * With `abortable`, the Request's signal aborts when the client goes away
 * before the answer is sent (Remix stops rendering). Resource routes get a
 * Request without that link: none of them reads the signal, and each linked
 * Request costs more than it seems. undici registers it with a
 * FinalizationRegistry that holds both signals until a full garbage
 * collection; under a webhook burst those piled up in the old generation
 * (about 2 KB a request), and each full collection then ran their
 * finalizers all at once, a pause of 100 to 200 ms that set the p99
 * (decision 0012).
 */
export async function toRequest(req, res, { abortable, port }) {
  const url = `http://${req.headers.host ?? `localhost:${port}`}${req.url}`;
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  const init = { method: req.method, headers };
  if (abortable) {
    const controller = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    init.signal = controller.signal;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    const length = Number(req.headers["content-length"]);
    if (Number.isFinite(length) && length <= BUFFERED_BODY) {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      init.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    } else {
      init.body = createReadableStreamFromReadable(req);
      init.duplex = "half";
    }
  }
  return new Request(url, init);
}
