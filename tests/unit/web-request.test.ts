/**
 * The production server's conversion of node's request into the web Request
 * Remix and the routes take (scripts/web-request.mjs), on a real node:http
 * server and client over loopback.
 */
import { once } from "node:events";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { BodyRefused, ClientGone, readBody, toRequest } from "../../scripts/web-request.mjs";

type Seen = { request: Request; req: IncomingMessage; res: ServerResponse };
const LIMIT = { name: "test", bytes: 1_000_000, deadlineMs: 5_000 };
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A server that converts each request (abortable or not) and hands it to the test. */
async function serve(abortable: boolean) {
  const seen: Seen[] = [];
  const waiting: ((s: Seen) => void)[] = [];
  const server = createServer(async (req, res) => {
    const request = await toRequest(req, res, { abortable, port: 4321, limit: LIMIT });
    const s = { request, req, res };
    const waiter = waiting.shift();
    if (waiter) waiter(s);
    else seen.push(s);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  close = async () => {
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  };
  const next = () =>
    new Promise<Seen>((resolve) => {
      const s = seen.shift();
      if (s) resolve(s);
      else waiting.push(resolve);
    });
  return { port, next };
}

function send(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer[] },
) {
  const client = httpRequest({
    host: "127.0.0.1",
    port,
    method: options.method ?? "GET",
    path: options.path ?? "/",
    headers: options.headers,
  });
  client.on("error", () => {}); // the abort tests destroy it
  const { body } = options;
  if (Array.isArray(body))
    for (const chunk of body) client.write(chunk); // no length: chunked
  else if (body !== undefined) client.setHeader("Content-Length", Buffer.byteLength(body)).write(body);
  client.end();
  return client;
}

describe("node's request as a web Request", () => {
  it("keeps the URL, the method and every header", async () => {
    const { port, next } = await serve(false);
    send(port, {
      path: "/proxy/status?shop=a.myshopify.com&x=1",
      headers: { "X-Shopify-Topic": "orders/paid", "X-Forwarded-For": "35.188.0.1", Accept: "*/*" },
    });
    const { request, res } = await next();
    expect(request.method).toBe("GET");
    expect(request.url).toBe(`http://127.0.0.1:${port}/proxy/status?shop=a.myshopify.com&x=1`);
    expect(request.headers.get("x-shopify-topic")).toBe("orders/paid");
    expect(request.headers.get("x-forwarded-for")).toBe("35.188.0.1");
    expect([...request.headers.keys()]).toEqual(
      expect.arrayContaining(["accept", "host", "x-forwarded-for", "x-shopify-topic"]),
    );
    res.end();
  });

  it("reads a body whole, with a length or without (chunked)", async () => {
    const { port, next } = await serve(false);
    const body = JSON.stringify({ id: 6817362940512877913n.toString(), note: "é ü 😀".repeat(1000) });
    send(port, { method: "POST", path: "/webhooks/orders/paid", body });
    const whole = await next();
    expect(await whole.request.text()).toBe(body);
    whole.res.end();
    const chunks = [Buffer.from(body.slice(0, 100)), Buffer.from(body.slice(100))];
    send(port, { method: "POST", path: "/app/import", body: chunks });
    const chunked = await next();
    expect(chunked.req.headers["transfer-encoding"]).toBe("chunked");
    expect(await chunked.request.text()).toBe(body);
    chunked.res.end();
  });
});

describe("a body read within its limit", () => {
  /** A server whose handler reads each body with readBody and reports what came of it. */
  async function bodyServer(limit: { name: string; bytes: number; deadlineMs: number }) {
    const outcomes: Promise<unknown>[] = [];
    const server = createServer((req, res) => {
      outcomes.push(
        readBody(req, limit).then(
          (body) => {
            res.end("ok");
            return body.length;
          },
          (error: Error) => {
            res.writeHead(error instanceof BodyRefused ? error.status : 499, { connection: "close" });
            res.end();
            return error;
          },
        ),
      );
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    close = async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    };
    return {
      port: (server.address() as AddressInfo).port,
      outcome: async () => {
        await expect.poll(() => outcomes.length).toBe(1);
        return outcomes[0]!;
      },
    };
  }

  it("stops at the byte that passes the limit: 413, and the rest is never read", async () => {
    const { port, outcome } = await bodyServer({ name: "test", bytes: 64 * 1024, deadlineMs: 10_000 });
    const client = httpRequest({ host: "127.0.0.1", port, method: "POST", path: "/" });
    let written = 0;
    const answered = new Promise<number>((resolve) => client.on("response", (r) => resolve(r.statusCode!)));
    client.on("error", () => {});
    // A sender that would go on for 64 MB, as fast as it is allowed
    const chunk = Buffer.alloc(16 * 1024, 120);
    const pump = () => {
      while (written < 64 * 1024 * 1024 && client.write(chunk)) written += chunk.length;
    };
    client.on("drain", pump);
    pump();
    expect(await answered).toBe(413);
    const error = (await outcome()) as BodyRefused;
    expect(error).toBeInstanceOf(BodyRefused);
    expect(error.message).toBe("a test body may be at most 65,536 bytes");
    // The server stopped reading long before the sender was done.
    expect(written).toBeLessThan(16 * 1024 * 1024);
    client.destroy();
  });

  it("refuses a body that does not arrive within its deadline (408)", async () => {
    const { port, outcome } = await bodyServer({ name: "test", bytes: 1024, deadlineMs: 300 });
    const client = httpRequest({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/",
      headers: { "content-length": "100" },
    });
    client.on("error", () => {});
    const answered = new Promise<number>((resolve) => client.on("response", (r) => resolve(r.statusCode!)));
    client.write("a few bytes, then nothing");
    expect(await answered).toBe(408);
    expect(((await outcome()) as Error).message).toBe("the body did not arrive within 0.3 s");
    client.destroy();
  });

  it("tells a client that left halfway from a refusal", async () => {
    const { port, outcome } = await bodyServer({ name: "test", bytes: 1024, deadlineMs: 10_000 });
    const client = httpRequest({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/",
      headers: { "content-length": "100" },
    });
    client.on("error", () => {});
    client.write("half");
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.destroy();
    expect(await outcome()).toBeInstanceOf(ClientGone);
  });

  it("a page's Request aborts when the client goes away before the answer", async () => {
    const { port, next } = await serve(true);
    const client = send(port, { path: "/app" });
    const { request, res } = await next();
    expect(request.signal.aborted).toBe(false);
    client.destroy();
    await once(res, "close");
    expect(request.signal.aborted).toBe(true);
  });

  it("a resource route's Request has no abort link (decision 0012), and the server still sees the close", async () => {
    const { port, next } = await serve(false);
    const client = send(port, { path: "/healthz" });
    const { request, res } = await next();
    client.destroy();
    await once(res, "close");
    expect(res.destroyed).toBe(true); // what the server tells callResourceRoute instead
    expect(request.signal.aborted).toBe(false);
  });

  it("an answered request is not aborted by its connection closing afterwards", async () => {
    const { port, next } = await serve(true);
    const client = send(port, { path: "/app" });
    const { request, res } = await next();
    const closed = once(res, "close");
    res.end("done");
    await once(res, "finish");
    client.destroy();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 20)); // the socket's own close, too
    expect(request.signal.aborted).toBe(false);
  });
});
