/**
 * A storefront page on loopback for browser tests: the theme extension's
 * launcher rendered (liquidjs) for a logged-in customer from the app's own
 * metafield output, its assets, and `/apps/regulars/*` forwarded to the app's
 * proxy routes with a signature made by Shopify's test helper, as Shopify's
 * app proxy would. Records every request the browser makes.
 */
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { ActionFunctionArgs } from "@remix-run/node";
import { API_SECRET_KEY, APP_URL, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { EXTENSION, renderBlock, type RenderContext } from "./theme-render";

type ProxyHandler = (args: ActionFunctionArgs) => Promise<Response>;

export interface StorefrontServer {
  url: string;
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

/** The blocks a page can show besides the launcher (an app embed, always there). */
export type PageBlock = "loyalty-status" | "earn-points";

export async function startStorefront(input: {
  shop: string;
  /** The logged-in customer; null for a guest. */
  customerId: string | null;
  page: () => Promise<RenderContext>;
  proxy: Record<string, ProxyHandler>;
  /** Blocks in the page's main column, in order (the earn-points block for a product priced in context.product). */
  blocks?: PageBlock[];
  /** The launcher's theme editor settings. */
  launcher?: Record<string, unknown>;
  /** The theme's own stylesheet, which the blocks must not depend on. */
  themeCss?: string;
}): Promise<StorefrontServer> {
  const requests: StorefrontServer["requests"] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({ method: req.method ?? "GET", path: url.pathname });
    try {
      if (url.pathname === "/") {
        const context = await input.page();
        const launcher = await renderBlock("rewards-launcher", { ...context, settings: input.launcher });
        const blocks = [];
        for (const block of input.blocks ?? []) blocks.push(await renderBlock(block, context));
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end(
          `<!doctype html><html lang="${context.locale}"><head><meta charset="utf-8">` +
            `<meta name="viewport" content="width=device-width, initial-scale=1"><title>Shop</title>` +
            `<link rel="stylesheet" href="/assets/regulars.css">` +
            (input.themeCss ? `<style>${input.themeCss}</style>` : "") +
            `</head><body><main><h1>Shop</h1>${blocks.join("")}</main>` +
            `${launcher}<script src="/assets/regulars.js" defer></script></body></html>`,
        );
        return;
      }
      if (url.pathname.startsWith("/assets/")) {
        const file = path.join(EXTENSION, "assets", path.basename(url.pathname));
        const type = file.endsWith(".js") ? "text/javascript" : "text/css";
        res.writeHead(200, { "Content-Type": type });
        res.end(readFileSync(file));
        return;
      }
      const route = /^\/apps\/regulars\/([\w-]+)$/.exec(url.pathname)?.[1];
      const handler = route ? input.proxy[route] : undefined;
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const target = new URL(`${APP_URL}/proxy/${route}`);
      target.searchParams.set("path_prefix", "/apps/regulars");
      target.searchParams.set("logged_in_customer_id", input.customerId ?? "");
      const signed = await setUpValidRequest(
        {
          type: RequestType.Public,
          store: input.shop.replace(".myshopify.com", ""),
          apiSecretKey: API_SECRET_KEY,
        },
        new Request(target, {
          method: req.method,
          headers: { "Content-Type": req.headers["content-type"] ?? "application/json" },
          ...(req.method === "POST" ? { body: Buffer.concat(chunks) } : {}),
        }),
      );
      const response = await handler({ request: signed, params: {}, context: {} }).catch(
        (thrown: unknown) => thrown as Response,
      );
      res.writeHead(response.status, {
        "Content-Type": response.headers.get("Content-Type") ?? "text/plain",
      });
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
