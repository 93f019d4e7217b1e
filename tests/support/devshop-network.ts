/**
 * devshop's Admin API (devshop/admin-api.ts) for one shop, reached by the app's
 * own jobs client over a `fetch` that hands each request to it as devshop's
 * server does (the answer's status, body and headers), without a socket.
 */
import type { AdminGraphql } from "~/shopify/admin-api/admin-client.server";
import type { AdminApi } from "../../devshop/admin-api";
import type { ShopState } from "../../devshop/state";
import { jobsClientOver } from "./admin-stand-in";

function devshopFetch(api: AdminApi, shop: ShopState) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const answer = await api.run(shop, JSON.parse(await request.text()) as Record<string, unknown>);
    return new Response(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body), {
      status: answer.status,
      headers: answer.headers ?? { "Content-Type": "application/json" },
    });
  };
}

/** The app's jobs client for the shop, talking to devshop's Admin API. */
export const devshopJobsClient = (api: AdminApi, shop: ShopState): AdminGraphql =>
  jobsClientOver(shop.domain, "shpat_devshop", devshopFetch(api, shop));
