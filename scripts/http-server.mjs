#!/usr/bin/env node
/**
 * One process of `npm start` (scripts/serve.mjs starts one, or
 * WEB_CONCURRENCY of them): the production HTTP server for the Remix build,
 * on node:http.
 *
 * It does what remix-serve did, minus the costs a webhook burst paid for on
 * every request (express's middleware chain, a file-system stat per request
 * for static files, a log line per request to stdout, compression of empty
 * answers):
 *   - the build's client files (build/client) are listed once at start and
 *     served from memory: /assets/* (hashed names) for a year, immutable,
 *     anything else there for an hour; gzipped once when asked for;
 *   - resource routes at a fixed path (webhooks, the app proxy, /healthz)
 *     are called directly, without Remix's router, and answer as Remix
 *     would (scripts/resource-routes.mjs);
 *   - every other request goes to Remix (createRequestHandler), with the
 *     URL remix-serve gave it (http://<Host header><path>);
 *   - text answers of 1 KB or more (pages, single-fetch data, JSON) are
 *     gzipped when the client accepts it, streamed pages flushed as they
 *     come;
 *   - request bodies are bounded by the app's own table
 *     (app/http/request-limits.ts, read from the build's entry module): a
 *     delivery to a webhook address without its HMAC or shop header, or a
 *     declared length over the path's limit, is refused before its body is
 *     read; a body that passes the limit while it arrives is refused at that
 *     byte (413), one that is too slow when its deadline passes (408); each
 *     refusal closes the connection, so the rest is never read. Headers must
 *     arrive within 15 s, a whole request within ~2 minutes (node's
 *     headersTimeout and requestTimeout; its default 5 minutes let a slow
 *     body hold a connection that long);
 *   - ACCESS_LOG=on writes one line per request (method, path, status,
 *     milliseconds), off by default;
 *   - SIGTERM or Ctrl-C stops accepting connections, lets the requests in
 *     flight finish (up to 10 s), then the database closes (app/db.server.ts).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify, TextDecoder } from "node:util";
import { setTimeout } from "node:timers";
import zlib from "node:zlib";
import { createRequestHandler } from "@remix-run/node";
import {
  callResourceRoute,
  fixedResourceRoutes,
  parameterResourceRoute,
  parameterResourceRoutes,
  resourceRouteFor,
} from "./resource-routes.mjs";
import { BodyRefused, ClientGone, readBody, toRequest } from "./web-request.mjs";

process.env.NODE_ENV ??= "production";
process.setSourceMapsEnabled(true);

const buildPath = path.resolve(process.env.REGULARS_BUILD ?? "build/server/index.js");
const build = await import(pathToFileURL(buildPath).href);
const handle = createRequestHandler(build, process.env.NODE_ENV);
const resourceRoutes = fixedResourceRoutes(build);
const parameterRoutes = parameterResourceRoutes(build);
/**
 * The app's request limits (app/http/request-limits.ts) and its cross-origin check
 * (app/cross-origin-actions.server.ts), re-exported by app/entry.server.tsx.
 */
const limits = build.entry.module;
const port = Number(process.env.PORT ?? 3000);
const accessLog = process.env.ACCESS_LOG === "on";

// ---------------------------------------------------------------------------
// Static files: the build's client folder, read once.
// ---------------------------------------------------------------------------
const TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};
const gzip = promisify(zlib.gzip);

/** @type {Map<string, { body: Buffer; type: string; cache: string; gzipped?: Promise<Buffer> }>} */
const files = new Map();
function listFiles(dir, urlPath) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    const url = `${urlPath}${encodeURIComponent(entry.name)}`;
    if (entry.isDirectory()) listFiles(file, `${url}/`);
    else if (entry.isFile() && statSync(file).size <= 10_000_000) {
      files.set(url, {
        body: readFileSync(file),
        type: TYPES[path.extname(entry.name).toLowerCase()] ?? "application/octet-stream",
        cache: url.startsWith(`${build.publicPath}assets/`)
          ? "public, max-age=31536000, immutable"
          : "public, max-age=3600",
      });
    }
  }
}
listFiles(path.resolve(path.dirname(buildPath), "..", "client"), build.publicPath ?? "/");

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|x-ndjson)|image\/svg)/;
const acceptsGzip = (req) => /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");

async function serveFile(req, res, file) {
  const headers = { "content-type": file.type, "cache-control": file.cache, vary: "Accept-Encoding" };
  let body = file.body;
  if (COMPRESSIBLE.test(file.type) && body.length >= 1024 && acceptsGzip(req)) {
    body = await (file.gzipped ??= gzip(file.body));
    headers["content-encoding"] = "gzip";
  }
  headers["content-length"] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}

// ---------------------------------------------------------------------------
// Remix: node's request in, the web Response out.
// ---------------------------------------------------------------------------
/** Writes chunks of a web stream to a node writable, waiting when it is full. */
async function pump(reader, first, out) {
  for (let chunk = first; !chunk.done; chunk = await reader.read()) {
    if (!out.write(chunk.value)) {
      await new Promise((resolve) => {
        const done = () => {
          out.off("drain", done);
          out.off("close", done);
          resolve();
        };
        out.on("drain", done);
        out.on("close", done);
      });
    }
    if (out.destroyed) return reader.cancel();
    out.flush?.(zlib.constants.Z_SYNC_FLUSH);
  }
  out.end();
}

async function sendResponse(req, res, response) {
  const headers = [];
  for (const [name, value] of response.headers) if (name !== "set-cookie") headers.push(name, value);
  for (const cookie of response.headers.getSetCookie()) headers.push("set-cookie", cookie);
  if (!response.body || req.method === "HEAD") {
    res.writeHead(response.status, response.statusText || undefined, headers);
    res.end();
    if (response.body) await response.body.cancel();
    return;
  }
  const reader = response.body.getReader();
  let first = await reader.read();
  const type = response.headers.get("content-type") ?? "";
  let compress = COMPRESSIBLE.test(type) && !response.headers.has("content-encoding") && acceptsGzip(req);
  if (compress && !first.done && first.value.byteLength < 1024) {
    // A short answer is sent as it is; a longer one (or a stream) is gzipped.
    const second = await reader.read();
    if (second.done) compress = false;
    else {
      const joined = Buffer.concat([first.value, second.value]);
      first = { done: false, value: joined };
    }
  }
  if (!compress) {
    res.writeHead(response.status, response.statusText || undefined, headers);
    return pump(reader, first, res);
  }
  const zipped = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] !== "content-length") zipped.push(headers[i], headers[i + 1]);
  }
  zipped.push("content-encoding", "gzip", "vary", "Accept-Encoding");
  res.writeHead(response.status, response.statusText || undefined, zipped);
  const gzipStream = zlib.createGzip();
  gzipStream.pipe(res);
  return pump(reader, first, gzipStream);
}

/** Answers a request whose body will not be read, and closes its connection so the rest is never read either. */
function refuse(res, status, error) {
  const body = JSON.stringify({ error });
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  res.end(body);
}

const utf8 = new TextDecoder();

/** A delivery to the inbox: its body read within the limit and decoded as request.text() would. */
async function receiveDirectly(req, res, receiveDelivery, path, limit) {
  const body = utf8.decode(await readBody(req, limit));
  const { status, error } = await receiveDelivery({
    method: req.method,
    pathname: path,
    header: (name) => req.headers[name],
    body,
  });
  if (error === undefined) {
    res.writeHead(status, { "content-length": 0 });
    res.end();
  } else {
    const json = JSON.stringify({ error });
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(json),
    });
    res.end(json);
  }
}

/** Why a request is refused before its body is read: [status, error], or null. */
function refusedBeforeBody(req, path, limit) {
  if (req.method === "GET" || req.method === "HEAD") return null;
  if (path.startsWith("/webhooks/")) {
    const problem = limits.webhookHeadersProblem((name) => req.headers[name]);
    if (problem) return [400, problem];
  }
  const declared = limits.declaredLengthProblem(req.headers["content-length"], limit);
  if (declared) return [declared === limits.tooLarge(limit) ? 413 : 400, declared];
  return null;
}

let inFlight = 0;
let drained = () => {};
async function onRequest(req, res) {
  const started = accessLog ? performance.now() : 0;
  inFlight++;
  let done = false;
  const settle = () => {
    if (done) return;
    done = true;
    if (--inFlight === 0) drained();
  };
  res.once("finish", settle);
  res.once("close", settle);
  try {
    const path = req.url.split("?")[0];
    const file = (req.method === "GET" || req.method === "HEAD") && files.get(path);
    const limit = limits.bodyLimitFor(path);
    const refused = !file && refusedBeforeBody(req, path, limit);
    const route = !file && !refused && resourceRouteFor(resourceRoutes, req.method, req.url);
    if (file) await serveFile(req, res, file);
    else if (refused) refuse(res, ...refused);
    else if (route && typeof route.receiveDelivery === "function") {
      // A webhook for the inbox (app/http/webhook-route.server.ts webhookAction): node's
      // request handed over as it is, without a web Request and Response.
      await receiveDirectly(req, res, route.receiveDelivery, path, limit);
    } else if (route) {
      const request = await toRequest(req, res, { abortable: false, port, limit });
      await sendResponse(req, res, await callResourceRoute(route, request, () => res.destroyed));
    } else {
      const request = await toRequest(req, res, { abortable: true, port, limit });
      // A form post from another site: 403 and one log line (app/cross-origin-actions.server.ts),
      // where Remix would answer 500 with a stack. A resource route with a parameter answers
      // cross-origin callers itself (Remix does not guard resource routes).
      const refusal = parameterResourceRoute(parameterRoutes, req.url)
        ? null
        : limits.refuseCrossOriginAction(request);
      await sendResponse(req, res, refusal ?? (await handle(request)));
    }
  } catch (error) {
    if (error instanceof BodyRefused) refuse(res, error.status, error.message);
    else if (error instanceof ClientGone || res.destroyed) {
      // Nobody to answer: one line, not a stack.
      console.warn(`[regulars] ${req.method} ${req.url.split("?")[0]}: ${new ClientGone().message}`);
      res.destroy();
    } else {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(res.headersSent ? undefined : "Unexpected Server Error");
    }
  } finally {
    if (accessLog) {
      const ms = (performance.now() - started).toFixed(1);
      console.log(`${req.method} ${req.url} ${res.statusCode} ${ms} ms`);
    }
  }
}

const server = createServer(onRequest);
// A client that asks before sending its body (Expect: 100-continue, as curl does for large
// ones) is refused before it sends a byte; the others are told to go on.
server.on("checkContinue", (req, res) => {
  const path = req.url.split("?")[0];
  const refused = refusedBeforeBody(req, path, limits.bodyLimitFor(path));
  if (refused) return refuse(res, ...refused);
  res.writeContinue();
  return onRequest(req, res);
});
// Longer than a load balancer's idle timeout (60 s on most), so it closes idle connections first.
server.keepAliveTimeout = 65_000;
server.headersTimeout = limits.HEADERS_TIMEOUT_MS;
server.requestTimeout = limits.REQUEST_TIMEOUT_MS;

const onListen = () => console.log(`[regulars] http://localhost:${port} (process ${process.pid})`);
if (process.env.HOST) server.listen(port, process.env.HOST, onListen);
else server.listen(port, onListen);

/** How long a stopping process lets requests in flight finish before its database closes. */
const DRAIN_MS = 10_000;
// The database closes on SIGTERM and SIGINT (app/db.server.ts), running its close hooks first,
// the last added first: this one stops accepting connections (closing idle ones) and lets the
// requests in flight finish, so a rolling deploy drops none.
const database = await globalThis.__regularsDatabase;
database.onClose(async () => {
  server.close();
  if (inFlight === 0) return;
  await new Promise((resolve) => {
    drained = resolve;
    setTimeout(resolve, DRAIN_MS).unref();
  });
});
