/**
 * One Regulars process for tests/scale, run from the TypeScript sources (no
 * production build needed): `node --import tsx tests/scale/app-process.ts`.
 *
 *   ROLE=web     an HTTP server in front of the app's own route modules (the
 *                webhook routes, Flow's lifecycle callback, the app proxy
 *                status, /healthz), as
 *                remix-serve would call them; JOB_WORKER=off, so it only
 *                queues jobs, like a web process of a deployment
 *   ROLE=worker  the job queue and its worker (app/jobs.server.ts with
 *                JOB_WORKER=on), no HTTP: what `npm run worker` runs
 *
 * DATABASE_URL (PostgreSQL, with ?schema=) and the Shopify variables come
 * from the environment, as in production. Prints "ready <port>" once it
 * serves (web) or works (worker).
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { ActionFunctionArgs } from "@remix-run/node";

const role = process.env.ROLE;
if (role !== "web" && role !== "worker") throw new Error("ROLE must be web or worker");
process.env.JOB_WORKER = role === "worker" ? "on" : "off";

type Handler = (args: ActionFunctionArgs) => Promise<Response> | Response;

if (role === "worker") {
  const { startJobWorkers } = await import("../../app/jobs.server");
  startJobWorkers();
  console.log("ready");
  // The job worker's loop keeps running; stay alive until a signal (db.server closes on SIGTERM).
  setInterval(() => {}, 60_000);
} else {
  const routes: Record<string, Handler> = {
    "POST /webhooks/orders/paid": (await import("../../app/routes/webhooks.orders.paid")).action,
    "POST /webhooks/orders/updated": (await import("../../app/routes/webhooks.orders.updated")).action,
    "POST /webhooks/orders/cancelled": (await import("../../app/routes/webhooks.orders.cancelled")).action,
    "POST /webhooks/refunds/create": (await import("../../app/routes/webhooks.refunds.create")).action,
    "POST /webhooks/customers/create": (await import("../../app/routes/webhooks.customers.create")).action,
    "POST /webhooks/customers/update": (await import("../../app/routes/webhooks.customers.update")).action,
    "POST /flow/lifecycle": (await import("../../app/routes/flow.lifecycle")).action,
    "GET /proxy/status": (await import("../../app/routes/proxy.status")).loader as Handler,
    "GET /healthz": (await import("../../app/routes/healthz")).loader as Handler,
  };
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", process.env.SHOPIFY_APP_URL);
      const handler = routes[`${req.method} ${url.pathname}`];
      let response: Response;
      try {
        if (!handler) {
          response = new Response("Not Found", { status: 404 });
        } else {
          const body = req.method === "GET" || req.method === "HEAD" ? undefined : await read(req);
          const headers = new Headers();
          for (const [key, value] of Object.entries(req.headers))
            if (typeof value === "string") headers.set(key, value);
          const request = new Request(url, { method: req.method, headers, body });
          response = await handler({ request, params: {}, context: {} } as ActionFunctionArgs);
        }
      } catch (thrown) {
        // Remix answers a thrown Response with that Response.
        if (thrown instanceof Response) response = thrown;
        else {
          console.error(thrown);
          response = new Response("Internal Server Error", { status: 500 });
        }
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  server.listen(Number(process.env.PORT), "127.0.0.1", () => {
    console.log(`ready ${(server.address() as AddressInfo).port}`);
  });
}
