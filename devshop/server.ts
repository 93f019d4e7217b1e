/**
 * devshop: a local Shopify for development, demos and end-to-end tests.
 * One HTTP server plays every Shopify endpoint the app talks to, for any
 * number of shops (the app reaches it through SHOPIFY_ADMIN_API_ORIGIN,
 * SHOPIFY_ADMIN_ORIGIN and APP_BRIDGE_URL):
 *
 *   POST /admin/oauth/access_token          token exchange and refresh
 *   POST /admin/api/2026-10/graphql.json    Admin GraphQL (admin-api.ts)
 *   GET|POST /admin/app-scopes              the admin's side of App Bridge's scopes API
 *                                           (query, and the merchant's answer to a request)
 *   GET  /store/{name}/apps/{handle}[/...]  the admin frame with the app embedded
 *   GET  /admin/session-token?shop=         a session token for the frame's App Bridge
 *   GET  /cdn/app-bridge.js                 the App Bridge stand-in
 *   GET  /  POST /checkout  /account/login  the online store (storefront.ts), also under /fr, /de, /es
 *   GET  /account[/orders[/{id}]|/pages/{handle}]   customer accounts with the app's UI extensions
 *                                           running in them (customer-accounts.ts, extension-host/)
 *   GET  /checkout?productId=  /thank-you/{id}  a checkout with the reductions slot, and the
 *                                           thank-you page, with the checkout UI extensions (checkout.ts)
 *   GET  /pos[?customer=]  /pos/customers/{id}   a POS screen with the POS UI extensions (pos.ts)
 *   *    /{prefix}/{subpath}/*              the shop's app proxy (/apps/regulars unless moved), signed, to the app
 *   GET  /devshop                           the simulator's control page
 *   /devshop/api/...                        its JSON API (customers, orders, faults, switches, clock,
 *                                           the theme, Flow workflows on and off, scopes granted,
 *                                           protected customer data level); a refund takes
 *                                           lines, shipping=true and/or an amount ("5.00")
 *   GET  /devshop/bulk/{id}.jsonl           bulk operation results
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { ADMIN_FAULTS, AdminApi, type AdminFault } from "./admin-api";
import { adminFramePage, embeddedAppUrl } from "./admin-frame";
import { readAppConfig, THEME_EXTENSION, type AppConfig } from "./app-config";
import { Commerce, DevshopError } from "./commerce";
import { controlPage, themeEditorPage } from "./control-page";
import {
  changed,
  grantOptionalScopes,
  hasScope,
  revokeOptionalScopes,
  ScopeRequestError,
  scopesDetail,
  scopesUpdatePayload,
  type ScopeChange,
} from "./scopes";
import { setTheme } from "./theme-settings";
import { DevshopState, type ShopState } from "./state";
import {
  appProxyPath,
  localeRoot,
  proxiedUrl,
  renderProxyLiquid,
  splitLocale,
  storefrontPage,
  validAppProxyPath,
} from "./storefront";
import { accessTokenEndpoint, sessionToken, type AppCredentials } from "./tokens";
import { WebhookDelivery } from "./webhooks";
import { FlowWorkflows } from "./flow";
import { compliancePayload, customerPayload } from "./payloads";
import { customerAccountsRoute } from "./customer-accounts";
import { checkoutRoute } from "./checkout";
import { posRoute } from "./pos";
import { money, originalTotals } from "./order-math";

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The app's extensions, built by npm run build:extensions (customer accounts run their scripts). */
const EXTENSIONS_DIR = path.resolve(HERE, "..", "extensions");
/** A staff member's language as Shopify's admin names it: "fr", "pt-BR", "zh-TW". */
const STAFF_LOCALE = /^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3})?$/;

export interface DevshopOptions {
  app: AppCredentials;
  /** Where the app listens, e.g. http://127.0.0.1:3000. */
  appUrl: string;
  port?: number;
  host?: string;
  /** State file; none keeps everything in memory (tests). */
  stateFile?: string | null;
  /** Scales Shopify's webhook retry schedule (1 s, 2 s, 4 s ... by default). */
  webhookRetryBaseMs?: number;
  clock?: () => Date;
  /** How long a bulk query runs before it completes (50 ms by default). */
  bulkRunMs?: number;
  /**
   * Where the app's UI extensions and their built scripts are (extensions/ by default); the
   * end-to-end tests build a copy for their own app URL (scripts/build-extensions.mjs --path).
   */
  extensionsDir?: string;
}

export interface Devshop {
  url: string;
  state: DevshopState;
  commerce: Commerce;
  adminApi: AdminApi;
  webhooks: WebhookDelivery;
  /** Flow workflows on and off, and the lifecycle callbacks they send the app. */
  flow: FlowWorkflows;
  config: AppConfig;
  /** Creates the shop (idempotent) with a starter catalog. */
  addShop(domain: string, name: string): ShopState;
  /**
   * The merchant accepts a request for optional scopes (or revokes them), as
   * App Bridge's permission grant modal does; app/scopes_update follows.
   */
  grantScopes(domain: string, scopes: string[]): ReturnType<typeof scopesDetail>;
  revokeScopes(domain: string, scopes: string[]): ReturnType<typeof scopesDetail>;
  /** Moves devshop's clock forward (tokens expire, codes end, webhooks are dated by it). */
  advanceClock(ms: number): void;
  adminUrl(shop: string, appPath?: string): string;
  close(): Promise<void>;
}

const STARTER_PRODUCTS = [
  { title: "Alpine Merino Hoodie", price: 6000, giftCard: false },
  { title: "Trail Socks", price: 2000, giftCard: false },
  { title: "Canvas Tote", price: 3500, giftCard: false },
  { title: "Enamel Mug", price: 1250, giftCard: false },
  { title: "Gift Card", price: 5000, giftCard: true },
];

async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new DevshopError("Request body too large", 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseParams(body: string, type: string | undefined): Record<string, unknown> {
  if (!body) return {};
  if (type?.includes("application/json")) return JSON.parse(body) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(body));
}

/** A refund amount as the API takes it ("5.00", or 5): cents, or a 422 naming it. */
function amountInCents(value: unknown): number {
  const text = String(value).trim();
  if (!/^\d+(\.\d{1,2})?$/.test(text))
    throw new DevshopError(`amount is not an amount of money: ${text.slice(0, 20)}`);
  return Math.round(Number(text) * 100);
}

const cookie = (req: IncomingMessage, name: string) =>
  (req.headers.cookie ?? "")
    .split(";")
    .map((part) => part.trim().split("="))
    .find(([key]) => key === name)?.[1];

export async function startDevshop(options: DevshopOptions): Promise<Devshop> {
  const baseClock = options.clock ?? (() => new Date());
  let clockOffsetMs = 0;
  const clock = () => new Date(baseClock().getTime() + clockOffsetMs);
  const advanceClock = (ms: number) => {
    if (!Number.isFinite(ms) || ms < 0) throw new DevshopError("the clock only moves forward");
    clockOffsetMs += ms;
  };
  const state = DevshopState.open(options.stateFile ?? null);
  const config = readAppConfig();
  let origin = "";
  const webhooks = new WebhookDelivery({
    config,
    appUrl: options.appUrl,
    apiSecret: options.app.apiSecret,
    clock,
    retryBaseMs: options.webhookRetryBaseMs,
  });
  const commerce = new Commerce(state, (shop, topic, payload) => webhooks.send(shop, topic, payload), clock);
  const flow = new FlowWorkflows({ appUrl: options.appUrl, apiSecret: options.app.apiSecret, clock });
  const adminApi = new AdminApi(
    state,
    clock,
    () => origin,
    options.bulkRunMs === undefined ? {} : { bulkRunMs: options.bulkRunMs },
  );

  const addShop = (domain: string, name: string) => {
    const shop = state.ensureShop(domain, name);
    if (Object.keys(shop.products).length === 0) {
      for (const product of STARTER_PRODUCTS) {
        const id = state.id();
        shop.products[id] = { id, ...product };
      }
      // One collection, for bonus events limited to collections (Product.inCollection).
      const id = state.id();
      const warm = Object.values(shop.products).filter((p) => p.title.includes("Hoodie"));
      shop.collections = {
        [id]: { id, title: "Warm layers", handle: "warm-layers", productIds: warm.map((p) => p.id) },
      };
    }
    state.changed();
    return shop;
  };
  const shops = () => Object.values(state.data.shops);
  /** A change of the granted scopes is told to the app (app/scopes_update) when it changed anything. */
  const scopeChange = (shop: ShopState, change: (shop: ShopState) => ScopeChange) => {
    if (!shop.installation.installed) throw new DevshopError("The app is not installed on this shop", 409);
    const result = change(shop);
    if (changed(result)) webhooks.send(shop, "app/scopes_update", scopesUpdatePayload(shop, result, clock()));
    state.changed();
    return scopesDetail(shop, config);
  };
  const grantScopes = (domain: string, scopes: string[]) =>
    scopeChange(state.shop(domain), (shop) => grantOptionalScopes(shop, config, scopes));
  const revokeScopes = (domain: string, scopes: string[]) =>
    scopeChange(state.shop(domain), (shop) => revokeOptionalScopes(shop, config, scopes));
  const scopesParam = (value: unknown): string[] =>
    (Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.split(",") : [])
      .map((scope) => scope.trim())
      .filter(Boolean);
  const storefrontShop = (req: IncomingMessage) => {
    const chosen = cookie(req, "devshop_shop");
    return (chosen && state.data.shops[decodeURIComponent(chosen)]) || shops()[0];
  };
  const adminUrl = (shop: string, appPath = "") =>
    `${origin}/store/${shop.replace(/\.myshopify\.com$/, "")}/apps/${config.handle}${appPath}`;

  const send = (res: ServerResponse, status: number, body: string | Buffer, type = "application/json") => {
    res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, body: unknown) =>
    send(res, status, JSON.stringify(body));
  const redirect = (res: ServerResponse, location: string, cookies: string[] = []) => {
    res.writeHead(303, { Location: location, ...(cookies.length ? { "Set-Cookie": cookies } : {}) });
    res.end();
  };

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, unknown>) {
    const wantsHtml = !req.headers["content-type"]?.includes("application/json");
    const done = (result: unknown, back = "/devshop") =>
      wantsHtml ? redirect(res, back) : json(res, 200, result);
    if (url.pathname === "/devshop/api/webhooks/switches" && req.method === "POST") {
      const number = (key: string, max: number) =>
        params[key] === undefined
          ? undefined
          : Math.max(0, Math.min(max, Math.floor(Number(params[key]) || 0)));
      webhooks.switches.duplicates = Math.max(1, number("duplicates", 10) ?? webhooks.switches.duplicates);
      webhooks.switches.delayMs = number("delayMs", 60_000) ?? webhooks.switches.delayMs;
      webhooks.switches.reorderBatch = number("reorderBatch", 100) ?? webhooks.switches.reorderBatch;
      if (webhooks.switches.reorderBatch === 0) webhooks.flush();
      return done(webhooks.switches);
    }
    if (url.pathname === "/devshop/api/clock" && req.method === "POST") {
      advanceClock(Number(params.advanceMs ?? 0));
      return done({ now: clock().toISOString() });
    }
    if (url.pathname === "/devshop/api/webhooks/idle") {
      await webhooks.idle();
      return json(res, 200, { ok: true, log: webhooks.log.length });
    }
    const match = /^\/devshop\/api\/shops\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!match) throw new DevshopError("Not found", 404);
    const domain = decodeURIComponent(match[1]!);
    const rest = match[2] ?? "";
    if (rest === "" && req.method === "POST")
      return done(summary(addShop(domain, String(params.name ?? domain))));
    const shop = state.shop(domain);
    if (rest === "" && req.method === "GET") return json(res, 200, shop);
    if (rest === "/customers" && req.method === "POST") {
      return done(
        commerce.createCustomer(shop, {
          email: String(params.email ?? ""),
          firstName: String(params.firstName ?? ""),
          lastName: String(params.lastName ?? ""),
        }),
      );
    }
    if (rest === "/orders" && req.method === "POST") {
      const lines = Array.isArray(params.lines)
        ? (params.lines as { productId: string; quantity: number }[])
        : [{ productId: String(params.productId), quantity: Number(params.quantity ?? 1) }];
      return done(
        commerce.placeOrder(shop, {
          customerId: params.customerId ? String(params.customerId) : null,
          lines: lines.map((l) => ({ productId: String(l.productId), quantity: Number(l.quantity) })),
          discountCode: params.discountCode ? String(params.discountCode) : null,
          useStoreCredit: params.useStoreCredit === true || params.useStoreCredit === "true",
          paid: params.paid === undefined ? true : params.paid === true || params.paid === "true",
          ...(params.at ? { at: new Date(String(params.at)) } : {}),
        }),
      );
    }
    const orderAction = /^\/orders\/(\d+)\/(pay|refund|cancel|edit)$/.exec(rest);
    if (orderAction && req.method === "POST") {
      const [, id, action] = orderAction;
      if (action === "pay") return done(commerce.pay(shop, id!));
      if (action === "cancel") return done(commerce.cancel(shop, id!));
      if (action === "edit") {
        return done(
          commerce.edit(shop, id!, {
            lineItemId: String(params.lineItemId),
            quantity: Number(params.quantity),
          }),
        );
      }
      const lines = Array.isArray(params.lines)
        ? (params.lines as { lineItemId: string; quantity: number }[])
        : params.lineItemId
          ? [{ lineItemId: String(params.lineItemId), quantity: Number(params.quantity ?? 1) }]
          : [];
      return done(
        commerce.refund(shop, id!, {
          lines: lines.map((l) => ({ lineItemId: String(l.lineItemId), quantity: Number(l.quantity) })),
          shipping: params.shipping === true || params.shipping === "true" || params.shipping === "on",
          ...(params.amount !== undefined && params.amount !== ""
            ? { amount: amountInCents(params.amount) }
            : {}),
        }),
      );
    }
    if (rest === "/faults" && req.method === "POST") {
      const faults = (Array.isArray(params.faults) ? params.faults : [params.fault]).map(String);
      if (!faults.every((f): f is AdminFault => (ADMIN_FAULTS as readonly string[]).includes(f))) {
        throw new DevshopError(`faults must be ${ADMIN_FAULTS.join(", ")}`);
      }
      adminApi.queueFault(shop.domain, ...faults);
      return done({ queued: adminApi.faults.get(shop.domain)?.length ?? 0 });
    }
    if (rest === "/scopes" && req.method === "POST") {
      const grant = scopesParam(params.grant);
      const revoke = scopesParam(params.revoke);
      if (grant.length) grantScopes(shop.domain, grant);
      if (revoke.length) revokeScopes(shop.domain, revoke);
      return done(scopesDetail(shop, config));
    }
    if (rest === "/protected-data" && req.method === "POST") {
      // Protected customer data: level 2 (names, emails, phones, addresses), level 1 (the rest), or
      // 0 (none approved: extensions' session tokens name no customer).
      const level = Number(params.level);
      if (level !== 0 && level !== 1 && level !== 2) throw new DevshopError("level must be 0, 1 or 2");
      shop.customerDataLevel = level;
      state.changed();
      return done({ level });
    }
    if (rest === "/staff-locale" && req.method === "POST") {
      // The staff member picks their language (their account's preferences); the admin sends it
      // to the app as `locale` on its next load.
      const locale = String(params.locale ?? "");
      if (!STAFF_LOCALE.test(locale))
        throw new DevshopError("locale must be a language tag such as fr or pt-BR", 422);
      shop.staffLocale = locale;
      state.changed();
      return done({ locale });
    }
    if (rest === "/app-proxy" && req.method === "POST") {
      // The merchant moves the app proxy (Settings > Apps > the app > App proxy).
      const proxy = validAppProxyPath({ prefix: params.prefix, subpath: params.subpath });
      if (typeof proxy === "string") throw new DevshopError(proxy, 422);
      shop.appProxy = proxy;
      state.changed();
      return done(proxy);
    }
    const actionRun = /^\/flow-actions\/([\w-]+)$/.exec(rest);
    if (actionRun && req.method === "POST") {
      // A workflow runs one of the app's actions for a customer (devshop/flow.ts): the
      // action's fields by their keys, and action_run_id to send one run again.
      const { customerId, actionRunId, ...values } = params as Record<string, unknown>;
      const record = await flow.runAction(shop, actionRun[1]!, {
        customerId: String(customerId ?? ""),
        values,
        ...(actionRunId ? { actionRunId: String(actionRunId) } : {}),
      });
      return done(record);
    }
    const workflow = /^\/flow\/([\w-]+)$/.exec(rest);
    if (workflow && req.method === "POST") {
      const enabled = params.enabled === true || params.enabled === "true";
      const record = await flow.set(shop, workflow[1]!, enabled);
      state.changed();
      return done(record);
    }
    if (rest === "/theme" && req.method === "POST") {
      const theme = setTheme(shop, params);
      state.changed();
      return done(theme);
    }
    if (rest === "/uninstall" && req.method === "POST") {
      webhooks.send(shop, "app/uninstalled", {
        id: 1,
        name: shop.name,
        domain: shop.domain,
        myshopify_domain: shop.domain,
      });
      shop.installation.installed = false;
      shop.installation.accessTokens = [];
      shop.installation.refreshTokens = [];
      state.changed();
      return done({ installed: false });
    }
    const compliance = /^\/compliance\/(customers-redact|customers-data-request|shop-redact)$/.exec(rest);
    if (compliance && req.method === "POST") {
      const topic = compliance[1]!.replace("-", "/").replace("data-request", "data_request");
      const customer =
        topic === "shop/redact" ? null : commerce.customer(shop, String(params.customerId ?? ""));
      webhooks.send(shop, topic, compliancePayload(shop, topic, customer, Number(state.id())));
      return done({ sent: topic });
    }
    if (rest === "/customers/marketing-consent" && req.method === "POST") {
      const customer = commerce.setEmailMarketingConsent(
        shop,
        String(params.customerId),
        String(params.state),
      );
      return done(customerPayload(shop, customer));
    }
    if (rest === "/customers/update" && req.method === "POST") {
      const customer = commerce.customer(shop, String(params.customerId));
      return done(
        customerPayload(
          shop,
          commerce.updateCustomer(shop, customer.id, {
            firstName: String(params.firstName ?? customer.firstName),
          }),
        ),
      );
    }
    throw new DevshopError("Not found", 404);
  }

  const summary = (shop: ShopState) => ({
    domain: shop.domain,
    name: shop.name,
    installed: shop.installation.installed,
    customers: Object.keys(shop.customers).length,
    orders: Object.keys(shop.orders).length,
    discounts: Object.keys(shop.discounts).length,
  });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://devshop.local");
      try {
        const body = req.method === "GET" || req.method === "HEAD" ? "" : await readBody(req);
        // Shopify's endpoints for the app.
        if (url.pathname === "/admin/oauth/access_token" && req.method === "POST") {
          const params = parseParams(body, req.headers["content-type"]) as Record<string, string>;
          const answer = accessTokenEndpoint({
            app: options.app,
            params,
            shopFor: (domain) =>
              state.data.shops[domain] ?? addShop(domain, domain.replace(/\.myshopify\.com$/, "")),
            shops: shops(),
            config,
            now: clock(),
          });
          state.changed();
          return json(res, answer.status, answer.body);
        }
        if (/^\/admin\/api\/[\w-]+\/graphql\.json$/.test(url.pathname) && req.method === "POST") {
          const shop = state.shopForAccessToken(String(req.headers["x-shopify-access-token"] ?? ""), clock());
          if (!shop) {
            return json(res, 401, {
              errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
            });
          }
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(body) as Record<string, unknown>;
          } catch {
            return json(res, 400, { errors: { query: "Required parameter missing or invalid" } });
          }
          const answer = await adminApi.run(shop, parsed);
          if (answer.headers) {
            res.writeHead(answer.status, { "Cache-Control": "no-store", ...answer.headers });
            return res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
          }
          return typeof answer.body === "string"
            ? send(res, answer.status, answer.body, "text/plain")
            : json(res, answer.status, answer.body);
        }
        if (url.pathname === "/admin/app-scopes") {
          // The admin's side of App Bridge's scopes API: the frame asks, and for a request
          // sends the merchant's answer from its permission grant modal.
          const params = parseParams(body, req.headers["content-type"]);
          const shop = state.shop(String(url.searchParams.get("shop") ?? params.shop ?? ""));
          if (req.method === "GET") return json(res, 200, scopesDetail(shop, config));
          const scopes = scopesParam(params.scopes);
          try {
            if (params.action === "revoke") {
              return json(res, 200, { detail: revokeScopes(shop.domain, scopes) });
            }
            if (params.action !== "request") throw new DevshopError("action must be request or revoke");
            if (params.accepted !== true && params.accepted !== "true") {
              return json(res, 200, { result: "declined-all", detail: scopesDetail(shop, config) });
            }
            return json(res, 200, { result: "granted-all", detail: grantScopes(shop.domain, scopes) });
          } catch (error) {
            if (error instanceof ScopeRequestError) return json(res, 422, { errors: [error.message] });
            throw error;
          }
        }
        if (url.pathname === "/admin/session-token") {
          const shop = state.shop(url.searchParams.get("shop") ?? "");
          return json(res, 200, { token: sessionToken(options.app, shop.domain, clock()) });
        }
        if (url.pathname === "/cdn/app-bridge.js") {
          return send(res, 200, readFileSync(path.join(HERE, "public/app-bridge.js")), "text/javascript");
        }
        const editor = /^\/store\/([a-z0-9-]+)\/themes\/current\/editor$/.exec(url.pathname);
        if (editor) {
          const shop = state.shop(`${editor[1]}.myshopify.com`);
          const embed = url.searchParams.get("activateAppId");
          const block = url.searchParams.get("addAppBlockId");
          if (req.method === "POST") {
            shop.theme = {
              ...shop.theme,
              embedActive: (shop.theme?.embedActive ?? false) || Boolean(embed),
              blockAdded: (shop.theme?.blockAdded ?? false) || Boolean(block),
            };
            state.changed();
            return redirect(res, adminUrl(shop.domain));
          }
          return send(
            res,
            200,
            themeEditorPage({ shop, embed, block, action: `${url.pathname}${url.search}` }),
            "text/html; charset=utf-8",
          );
        }
        const frame = /^\/store\/([a-z0-9-]+)\/apps\/([\w-]+)(\/.*)?$/.exec(url.pathname);
        if (frame && req.method === "GET") {
          const shop = state.shop(`${frame[1]}.myshopify.com`);
          const iframeSrc = embeddedAppUrl({
            app: options.app,
            appUrl: options.appUrl,
            shop: shop.domain,
            path: `/app${frame[3] ?? ""}${url.search}`,
            now: clock(),
            locale: shop.staffLocale,
          });
          return send(
            res,
            200,
            adminFramePage({
              shop: shop.domain,
              shopName: shop.name,
              appName: "Regulars",
              appHandle: config.handle,
              appOrigin: new URL(options.appUrl).origin,
              iframeSrc,
            }),
            "text/html; charset=utf-8",
          );
        }
        const bulk = /^\/devshop\/bulk\/(\d+)\.jsonl$/.exec(url.pathname);
        if (bulk) {
          for (const shop of shops()) {
            const op = shop.bulkOperations[`gid://shopify/BulkOperation/${bulk[1]}`];
            if (op?.status === "COMPLETED")
              return send(res, 200, op.lines.map((l) => `${l}\n`).join(""), "application/jsonl");
          }
          return send(res, 404, "Not Found", "text/plain");
        }
        if (url.pathname.startsWith("/devshop/api/")) {
          return await api(req, res, url, parseParams(body, req.headers["content-type"]));
        }
        if (url.pathname === "/devshop") {
          return send(
            res,
            200,
            controlPage({ shops: shops(), webhooks, adminApi, flow, adminUrl }),
            "text/html; charset=utf-8",
          );
        }

        // The online store of the shop chosen by cookie (default: the first), in the
        // language of its locale prefix (/fr/...) if any.
        const shop = storefrontShop(req);
        if (!shop) return send(res, 404, "devshop has no shop yet: run npm run demo", "text/plain");
        const customerId = cookie(req, "devshop_customer") || null;
        const loggedIn = customerId && shop.customers[customerId] ? customerId : null;
        if (url.pathname.startsWith("/assets/")) {
          const file = path.join(THEME_EXTENSION, "assets", path.basename(url.pathname));
          const type = file.endsWith(".js") ? "text/javascript" : "text/css";
          return send(res, 200, readFileSync(file), type);
        }
        const { locale, path: storePath } = splitLocale(url.pathname);
        const home = localeRoot(locale);
        if (storePath === "/account/login" && req.method === "POST") {
          const chosen = String(parseParams(body, req.headers["content-type"]).customerId ?? "");
          return redirect(res, home, [`devshop_customer=${chosen}; Path=/; SameSite=Lax`]);
        }
        // The pages where UI extensions render: what each is asked with.
        const surface = {
          method: req.method ?? "GET",
          url,
          path: storePath,
          locale,
          base: home === "/" ? "" : home,
          shop,
          customer: loggedIn ? shop.customers[loggedIn] : undefined,
          app: options.app,
          extensionsDir: options.extensionsDir ?? EXTENSIONS_DIR,
          now: clock(),
        };
        // Customer accounts, where the customer account UI extensions render (customer-accounts.ts).
        const account = customerAccountsRoute(surface);
        if (account) return send(res, account.status, account.body, account.type);
        // The checkout and thank-you page, where the checkout UI extensions render (checkout.ts).
        const checkoutPage = checkoutRoute({ ...surface, commerce, origin });
        if (checkoutPage) return send(res, checkoutPage.status, checkoutPage.body, checkoutPage.type);
        // Shopify POS, where the POS UI extensions render (pos.ts).
        const posPage = posRoute(surface);
        if (posPage) return send(res, posPage.status, posPage.body, posPage.type);
        const back = (query: string) => `${home}${home.endsWith("/") ? "" : "/"}?${query}`;
        if (storePath === "/checkout" && req.method === "POST") {
          const params = parseParams(body, req.headers["content-type"]);
          try {
            const order = commerce.placeOrder(shop, {
              customerId: loggedIn,
              lines: [{ productId: String(params.productId), quantity: Number(params.quantity ?? 1) }],
              discountCode: params.discountCode ? String(params.discountCode) : null,
              useStoreCredit: params.useStoreCredit === "true",
            });
            const credit = order.storeCreditPaid
              ? ` ${money(order.storeCreditPaid)} was paid with store credit; ${money(originalTotals(order).total - order.storeCreditPaid)} was charged.`
              : "";
            // From devshop's checkout page: its thank-you page, where the thank-you block renders.
            if (params.thankYou) return redirect(res, `${home === "/" ? "" : home}/thank-you/${order.id}`);
            return redirect(
              res,
              back(`message=${encodeURIComponent(`Thank you! Order #${order.number} is paid.${credit}`)}`),
            );
          } catch (error) {
            if (error instanceof DevshopError)
              return redirect(res, back(`error=${encodeURIComponent(error.message)}`));
            throw error;
          }
        }
        // The app proxy answers only where it is on this shop: /apps/regulars/* is
        // nothing once the merchant moved it to /community/loyalty.
        const proxyPath = appProxyPath(shop, config);
        const proxyRoot = `/${proxyPath.prefix}/${proxyPath.subpath}/`;
        // Shopify configures an app proxy only for an app granted write_app_proxy
        // (https://shopify.dev/docs/apps/build/online-store/app-proxies); without it the path is the store's 404.
        if (storePath.startsWith(proxyRoot) && hasScope(shop, "write_app_proxy")) {
          const target = proxiedUrl({
            config,
            proxy: proxyPath,
            appUrl: options.appUrl,
            apiSecret: options.app.apiSecret,
            shop: shop.domain,
            customerId: loggedIn,
            rest: storePath.slice(proxyRoot.length),
            search: url.searchParams,
            now: clock(),
          });
          const answer = await fetch(target, {
            method: req.method,
            headers: { "Content-Type": req.headers["content-type"] ?? "text/plain" },
            ...(req.method !== "GET" && req.method !== "HEAD" ? { body } : {}),
            redirect: "manual",
          });
          const type = answer.headers.get("Content-Type") ?? "text/plain";
          if (type.startsWith("application/liquid")) {
            return send(
              res,
              answer.status,
              await renderProxyLiquid(shop, loggedIn, await answer.text(), locale),
              "text/html; charset=utf-8",
            );
          }
          return send(res, answer.status, Buffer.from(await answer.arrayBuffer()), type);
        }
        if (storePath === "/" && req.method === "GET") {
          const page = await storefrontPage({
            shop,
            customerId: loggedIn,
            locale,
            message: url.searchParams.get("message") ?? undefined,
            error: url.searchParams.get("error") ?? undefined,
            now: clock(),
          });
          return send(res, 200, page, "text/html; charset=utf-8");
        }
        return send(res, 404, "Not Found", "text/plain");
      } catch (error) {
        if (error instanceof DevshopError) return json(res, error.status, { errors: [error.message] });
        if (error instanceof SyntaxError) return json(res, 400, { errors: [error.message] });
        console.error("devshop:", error);
        return json(res, 500, { errors: [(error as Error).message] });
      }
    })();
  });

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve),
  );
  const { port } = server.address() as AddressInfo;
  origin = `http://${options.host ?? "127.0.0.1"}:${port}`;
  return {
    url: origin,
    state,
    commerce,
    adminApi,
    webhooks,
    flow,
    config,
    addShop,
    grantScopes,
    revokeScopes,
    advanceClock,
    adminUrl,
    close: async () => {
      state.save();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
