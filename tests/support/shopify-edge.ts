/**
 * Shopify, stood in for at the network edge: while a test runs it is the
 * fetch function of @shopify/shopify-api (its runtime's own extension point,
 * `setAbstractFetchFunc`), and it is global fetch too, so any request the
 * app makes reaches it. It answers https://{shop}/... the way Shopify's
 * published contract says:
 *   POST /admin/oauth/access_token   token exchange; checks client id/secret
 *                                    and the session token's HS256 signature;
 *                                    refresh, refused once the app is uninstalled
 *                                    (uninstall(): Shopify/shopify-app-js#3360)
 *   POST /admin/api/2026-10/graphql.json
 *                                    needs the issued access token; validates the
 *                                    document against the official 2026-10 schema
 *                                    (Shopify's error shape on failure) and
 *                                    executes it on the `data` the test supplies,
 *                                    or hands it to a shop stand-in's `answer`
 * Any other outgoing request fails the test loudly.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { vi } from "vitest";
import {
  ADMIN_GRAPHQL_PATH,
  answerAdminGraphql,
  costExtension,
  invalidToken,
  jsonResponse as json,
  readAdminGraphql,
} from "./admin-graphql-endpoint";

export interface EdgeOptions {
  shop: string;
  apiKey: string;
  apiSecretKey: string;
  scopes: string;
  /** Root value for queries: plain objects whose properties are the fields served. */
  data?: Record<string, unknown>;
  /**
   * Or a shop stand-in's answer to an authorized call (adminStandIn's
   * `answer`): its state and its queued faults, for the library's requests too.
   */
  answer?: (body: string) => Promise<Response>;
  /** Tokens Shopify already issued (e.g. to a session the test stored). */
  accessTokens?: string[];
  refreshTokens?: string[];
}

interface EdgeCall {
  url: string;
  operationName?: string;
  status: number;
}

export interface ShopifyEdge {
  calls: EdgeCall[];
  accessTokens: string[];
  /** The merchant uninstalls the app: its tokens stop working and no refresh is granted. */
  uninstall(): void;
  restore(): void;
}

function verifySessionToken(token: string, secret: string, apiKey: string): Record<string, unknown> {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) throw new Error("malformed session token");
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Error("bad session token signature");
  }
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  if (claims.aud !== apiKey) throw new Error("session token for another app");
  return claims;
}

export function startShopifyEdge(options: EdgeOptions): ShopifyEdge {
  const calls: EdgeCall[] = [];
  const accessTokens: string[] = [...(options.accessTokens ?? [])];
  const refreshTokens: string[] = [...(options.refreshTokens ?? [])];
  const realFetch = globalThis.fetch;
  let installed = true;

  const handle = async (url: URL, init: RequestInit | undefined): Promise<Response> => {
    const body = typeof init?.body === "string" ? init.body : "";
    if (url.pathname === "/admin/oauth/access_token" && init?.method === "POST") {
      const params = JSON.parse(body) as Record<string, string>;
      if (params.client_id !== options.apiKey || params.client_secret !== options.apiSecretKey) {
        return json(401, { error: "invalid_client" });
      }
      if (params.grant_type === "refresh_token") {
        // Refresh tokens are single use: the old one stops working. An uninstalled app gets none.
        const index = refreshTokens.indexOf(params.refresh_token ?? "");
        if (index < 0 || !installed) return json(400, { error: "invalid_grant" });
        refreshTokens.splice(index, 1);
        const token = `shpat_${randomBytes(16).toString("hex")}`;
        const refresh = `shprt_${randomBytes(16).toString("hex")}`;
        accessTokens.push(token);
        refreshTokens.push(refresh);
        return json(200, {
          access_token: token,
          scope: options.scopes,
          expires_in: 3600,
          refresh_token: refresh,
          refresh_token_expires_in: 7_776_000,
        });
      }
      try {
        const claims = verifySessionToken(params.subject_token ?? "", options.apiSecretKey, options.apiKey);
        if (claims.dest !== `https://${options.shop}`) return json(400, { error: "invalid_subject_token" });
      } catch {
        return json(400, { error: "invalid_subject_token" });
      }
      const token = `shpat_${randomBytes(16).toString("hex")}`;
      const refresh = `shprt_${randomBytes(16).toString("hex")}`;
      accessTokens.push(token);
      if (params.expiring === "1") refreshTokens.push(refresh);
      return json(200, {
        access_token: token,
        scope: options.scopes,
        ...(params.expiring === "1"
          ? { expires_in: 3600, refresh_token: refresh, refresh_token_expires_in: 7_776_000 }
          : {}),
      });
    }
    if (url.pathname === ADMIN_GRAPHQL_PATH && init?.method === "POST") {
      const headers = new Headers(init.headers);
      if (!accessTokens.includes(headers.get("X-Shopify-Access-Token") ?? "")) return invalidToken();
      if (options.answer) return options.answer(body);
      const call = readAdminGraphql(body);
      return call instanceof Response
        ? call
        : answerAdminGraphql(options.data ?? {}, call, costExtension(1, 1999));
    }
    return json(404, { errors: "Not Found" });
  };

  const edgeFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (url.hostname !== options.shop) {
      throw new Error(`Test made an unexpected network request to ${url.href}`);
    }
    const response = await handle(url, init);
    const operationName = /(?:query|mutation)\s+(\w+)/.exec(
      typeof init?.body === "string" ? init.body : "",
    )?.[1];
    calls.push({ url: url.pathname, operationName, status: response.status });
    return response;
  };
  vi.stubGlobal("fetch", edgeFetch);
  setAbstractFetchFunc(edgeFetch as typeof fetch);

  return {
    calls,
    accessTokens,
    uninstall: () => {
      installed = false;
      accessTokens.length = 0;
    },
    restore: () => {
      vi.unstubAllGlobals();
      setAbstractFetchFunc(realFetch);
    },
  };
}
