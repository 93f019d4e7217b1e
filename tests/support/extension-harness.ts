/**
 * Renders a UI extension's target module the way Shopify runs it, in the test's DOM (happy-dom):
 * devshop's `shopify` global (devshop/extension-host/shopify-global.js) with the extension's own
 * locale files and session tokens signed as Shopify signs them
 * (devshop/extension-host/session-token.ts), and a fetch at the network edge that plays the app:
 * it verifies each token with @shopify/shopify-api's decodeSessionToken (what
 * authenticate.public.customerAccount runs) and answers the surfaces' JSON from the test's
 * handler.
 */
import "@shopify/shopify-api/adapters/node";
import { readFileSync } from "node:fs";
import path from "node:path";
import { shopifyApi } from "@shopify/shopify-api";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { render } from "preact";
import { vi } from "vitest";
import { createShopifyGlobal } from "../../devshop/extension-host/shopify-global.js";
import { extensionSessionToken } from "../../devshop/extension-host/session-token";
import { DEMO_APP } from "../../devshop/launch";

export const SHOP = "maple-and-pine.myshopify.com";
export const CUSTOMER = "gid://shopify/Customer/7001";
const APP_URL = "http://127.0.0.1:3000";

const library = shopifyApi({
  apiKey: DEMO_APP.apiKey,
  apiSecretKey: DEMO_APP.apiSecret,
  hostName: "127.0.0.1:3000",
  hostScheme: "http",
  apiVersion: ADMIN_API_VERSION,
  isEmbeddedApp: true,
  scopes: [],
  logger: { level: 0 },
});

export interface AppRequest {
  method: string;
  /** The path under the app, e.g. /surfaces/customer-account/status. */
  path: string;
  body: Record<string, unknown> | null;
  /** The verified token's claims. */
  claims: { dest: string; aud: string; sub?: string };
}

/** What the app answers: a JSON body and status, or "network" (the request never arrives). */
export type AppAnswer = { status?: number; json: unknown } | "network";

const locales = (handle: string) => path.resolve("extensions", handle, "locales");
const readLocale = (handle: string, file: string) =>
  JSON.parse(readFileSync(path.join(locales(handle), file), "utf8")) as Record<string, unknown>;

export async function mountExtension(input: {
  /** The extension's folder in extensions/. */
  handle: string;
  /** Its module for the target, e.g. () => import(".../RewardsPage.tsx"). */
  load: () => Promise<{ default: () => Promise<void> }>;
  target: string;
  locale?: "en" | "fr" | "de" | "es";
  /** The token's `sub`: the customer, or null without protected customer data. */
  customer?: string | null;
  order?: { id: string; name: string } | null;
  /** The thank-you target's shopify.orderConfirmation. */
  orderConfirmation?: { order: { id: string }; number?: string; isFirstOrder: boolean };
  /** Checkout and thank-you targets: the subtotal, and the checkout's answer to a discount code. */
  checkout?: {
    subtotal: { amount: number; currencyCode: string };
    applyDiscountCode?: (code: string) => { type: "success" } | { type: "error"; message: string };
  };
  /** POS targets: the cart's customer (numeric id), the customer details screen's, and the staff member (the token's sub). */
  pos?: { cartCustomerId: number | null; customerId?: number; staffId?: string | null };
  app: (request: AppRequest) => AppAnswer | Promise<AppAnswer>;
}) {
  const locale = input.locale ?? "en";
  const requests: AppRequest[] = [];
  // At POS the token's sub is the staff member (1 unless the test says otherwise).
  const staff = input.pos?.staffId === undefined ? "1" : input.pos.staffId;
  const customer = input.pos ? staff : input.customer === undefined ? CUSTOMER : input.customer;
  /** What the host saw: codes added to the POS cart, modals presented, toasts shown. */
  const host = { cartCodes: [] as string[], modals: 0, toasts: [] as string[] };
  const { shopify, run } = createShopifyGlobal({
    target: input.target,
    locale,
    messages: readLocale(input.handle, locale === "en" ? "en.default.json" : `${locale}.json`),
    defaultMessages: readLocale(input.handle, "en.default.json"),
    getToken: async () =>
      // POS gives no token to a staff member without the app's permission.
      input.pos && staff === null
        ? undefined
        : extensionSessionToken({
            apiKey: DEMO_APP.apiKey,
            apiSecret: DEMO_APP.apiSecret,
            shop: SHOP,
            sub: customer,
            now: new Date(),
          }),
    currency: "CAD",
    customerId: customer,
    ...(input.order !== undefined ? { order: input.order } : {}),
    ...(input.orderConfirmation ? { orderConfirmation: input.orderConfirmation } : {}),
    ...(input.checkout
      ? {
          checkout: {
            subtotal: input.checkout.subtotal,
            shop: {
              name: "Maple & Pine",
              storefrontUrl: "https://maple-and-pine.example",
              myshopifyDomain: SHOP,
            },
          },
          applyDiscountCodeChange: async (change: { type: string; code: string }) =>
            input.checkout?.applyDiscountCode?.(change.code) ?? { type: "success" as const },
        }
      : {}),
    ...(input.pos
      ? {
          shop: SHOP,
          pos: {
            cartCustomerId: input.pos.cartCustomerId,
            ...(input.pos.customerId ? { customerId: input.pos.customerId } : {}),
            addCartCodeDiscount: async (code: string) => void host.cartCodes.push(code),
            presentModal: () => void (host.modals += 1),
            toast: (message: string) => void host.toasts.push(message),
          },
        }
      : {}),
  });
  vi.stubGlobal("shopify", shopify);
  vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
    const target = new URL(url);
    if (target.origin !== APP_URL) throw new TypeError(`fetch to ${url}: not the app`);
    const token = String(new Headers(init.headers).get("Authorization") ?? "").replace(/^Bearer /, "");
    const claims = (await library.session.decodeSessionToken(token)) as unknown as AppRequest["claims"];
    const request: AppRequest = {
      method: init.method ?? "GET",
      path: target.pathname,
      body: init.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null,
      claims,
    };
    requests.push(request);
    const answer = await input.app(request);
    if (answer === "network") throw new TypeError("Failed to fetch");
    return Response.json(answer.json, { status: answer.status ?? 200 });
  });
  // The app's URL the build bakes in (process.env.APP_URL: scripts/build-extensions.mjs).
  vi.stubEnv("APP_URL", APP_URL);
  // The module as the CLI's bundle runs it: the script registers its target, the host runs it.
  const module = await input.load();
  shopify.extend(input.target, module.default);
  await run();
  return { shopify, requests, host };
}

export function unmount() {
  render(null, document.body);
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
}

/** The page's text, whitespace collapsed, after the headings (`heading` of s-page, s-section, s-banner). */
export const pageText = () =>
  [
    ...[...document.body.querySelectorAll("[heading]")].map((element) => element.getAttribute("heading")),
    document.body.textContent ?? "",
  ]
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();

/** Waits until `probe` holds (the extension fetches, then renders). */
export async function settle(what: string, probe: () => boolean, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; the page says: ${pageText()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The s-button whose text is `label` (the first, or the nth). */
export function button(label: string, nth = 0): HTMLElement {
  const found = [...document.querySelectorAll("s-button")].filter(
    (element) => element.textContent?.trim() === label,
  );
  const element = found[nth];
  if (!element) throw new Error(`No button "${label}"; the page says: ${pageText()}`);
  return element as HTMLElement;
}
