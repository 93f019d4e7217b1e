/**
 * Node's incoming request as the web Request that Remix and the route
 * functions take (scripts/http-server.mjs).
 */
import { clearTimeout, setTimeout } from "node:timers";

/** A body refused while it was being read: its status and why. */
export class BodyRefused extends Error {
  /**
   * @param {number} status 413 (over the limit) or 408 (too slow)
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.name = "BodyRefused";
    this.status = status;
  }
}

/** The client went away before its body had arrived: nobody is left to answer. */
export class ClientGone extends Error {
  constructor() {
    super("the client went away before its body had arrived");
    this.name = "ClientGone";
  }
}

/**
 * Reads a request's body whole, within a limit
 * (app/http/request-limits.ts: `bytes`, `deadlineMs`, `name`): past `bytes`
 * it stops reading and rejects with BodyRefused(413), at once, without
 * buffering the rest; when the body has not arrived `deadlineMs` after this
 * call, BodyRefused(408). A client that leaves first rejects with
 * ClientGone. Every route's largest body is a few MB, so bodies are read
 * whole rather than streamed.
 * @param {import("node:http").IncomingMessage} req
 * @param {{ bytes: number; deadlineMs: number; name: string }} limit
 * @returns {Promise<Buffer>}
 */
export function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let length = 0;
    const finish = (error, body) => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onGone);
      req.off("close", onClose);
      if (error) {
        // Stop reading: what is still in flight is not wanted (the answer closes the connection).
        req.pause();
        reject(error);
      } else resolve(body);
    };
    const onData = (chunk) => {
      length += chunk.length;
      if (length > limit.bytes) {
        finish(
          new BodyRefused(
            413,
            `a ${limit.name} body may be at most ${limit.bytes.toLocaleString("en")} bytes`,
          ),
        );
      } else chunks.push(chunk);
    };
    const onEnd = () => finish(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    const onGone = () => finish(new ClientGone());
    const onClose = () => {
      if (!req.complete) finish(new ClientGone());
    };
    const timer = setTimeout(
      () => finish(new BodyRefused(408, `the body did not arrive within ${limit.deadlineMs / 1000} s`)),
      limit.deadlineMs,
    );
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onGone);
    req.on("close", onClose);
  });
}

/**
 * The URL is the one remix-serve gave (http://<Host header><path>; without a
 * Host header, localhost and `port`), and the headers are all of the
 * request's (their names in lower case, as Headers keeps them). A body is
 * read whole within `limit` (readBody; it rejects with BodyRefused or
 * ClientGone).
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
export async function toRequest(req, res, { abortable, port, limit }) {
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
  if (req.method !== "GET" && req.method !== "HEAD") init.body = await readBody(req, limit);
  return new Request(url, init);
}
