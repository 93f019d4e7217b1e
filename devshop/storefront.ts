/**
 * The online store: a page rendered from the theme app extension's Liquid
 * (liquidjs) with the shop's products, the logged-in customer and the
 * metafields Regulars wrote (`$app:loyalty` on the customer, `loyalty.*` on
 * the app installation); a "log in as" switch; a checkout that places a paid
 * order (with a discount code, honoured only if Shopify would); and the app
 * proxy: the shop's `/{prefix}/{subpath}/*` (`/apps/regulars` unless the
 * merchant moved it) forwarded to the app with Shopify's signature.
 *
 * Every page also exists under a locale prefix (/fr, /de, /es: the languages
 * of the theme extension), rendered in that language with `routes` under it,
 * as a store with those languages published serves them.
 */
import { createHmac } from "node:crypto";
import { Liquid } from "liquidjs";
import type { AppConfig } from "./app-config";
import {
  LOCALES,
  renderBlock,
  routesFor,
  type Locale,
  type RenderContext,
  type StoredMetafield,
} from "./theme-render";
import { money } from "./order-math";
import type { ShopState } from "./state";
import { spendableCents } from "./store-credit";
import { escapeHtml as escape } from "./html";

/** The primary locale has no prefix; the others live under /{locale}. */
const PRIMARY_LOCALE: Locale = "en";

export const localeRoot = (locale: Locale) => (locale === PRIMARY_LOCALE ? "/" : `/${locale}`);

/** A storefront path split into its locale and the path under it: /fr/apps/x -> fr, /apps/x. */
export function splitLocale(pathname: string): { locale: Locale; path: string } {
  const match = /^\/([a-z]{2})(\/.*)?$/.exec(pathname);
  const locale = LOCALES.find((l) => l !== PRIMARY_LOCALE && l === match?.[1]);
  return locale ? { locale, path: match![2] ?? "/" } : { locale: PRIMARY_LOCALE, path: pathname };
}

export interface AppProxyPath {
  prefix: string;
  subpath: string;
}

/**
 * Where the shop's app proxy is: what the app configured (shopify.app.toml),
 * unless the merchant changed it. "Merchants can change the sub path or sub
 * path prefix of app proxies ... by toggling between a set of values provided
 * by Shopify (/apps, /a, /community, or /tools)"; a sub path has "letters,
 * numbers, underscores, and hyphens up to 30 characters. The value may not be
 * admin, services, password, or login."
 * (https://shopify.dev/docs/apps/online-store/app-proxies,
 * https://shopify.dev/docs/apps/build/online-store/app-proxies#user-customization)
 */
export function appProxyPath(shop: ShopState, config: AppConfig): AppProxyPath {
  return shop.appProxy ?? { prefix: config.proxy.prefix, subpath: config.proxy.subpath };
}

export function validAppProxyPath(input: { prefix: unknown; subpath: unknown }): AppProxyPath | string {
  const prefix = String(input.prefix ?? "");
  const subpath = String(input.subpath ?? "");
  if (!["apps", "a", "community", "tools"].includes(prefix))
    return "prefix must be apps, a, community or tools";
  if (
    !/^[A-Za-z0-9_-]{1,30}$/.test(subpath) ||
    ["admin", "services", "password", "login"].includes(subpath)
  ) {
    return "subpath must be 1 to 30 letters, numbers, underscores or hyphens, and not admin, services, password or login";
  }
  return { prefix, subpath };
}

function metafieldsOf(shop: ShopState, ownerId: string, namespace: string): Record<string, StoredMetafield> {
  const fields: Record<string, StoredMetafield> = {};
  for (const m of Object.values(shop.metafields)) {
    if (m.ownerId === ownerId && m.namespace === namespace) fields[m.key] = { type: m.type, value: m.value };
  }
  return fields;
}

export async function storefrontPage(input: {
  shop: ShopState;
  customerId: string | null;
  locale: Locale;
  message?: string;
  error?: string;
  /** The store's clock (store credit past its expiry cannot be spent). */
  now?: Date;
}): Promise<string> {
  const { shop, customerId } = input;
  const customer = customerId ? shop.customers[customerId] : undefined;
  // Checkout offers a signed-in customer's store credit in the shop's currency (store-credit.ts).
  const credit = customer
    ? spendableCents(
        shop.storeCredit ?? { accounts: {} },
        customer.id,
        shop.currencyCode,
        input.now ?? new Date(),
      )
    : 0;
  const useCredit = credit
    ? `<label><input type="checkbox" name="useStoreCredit" value="true"> Use store credit (${money(credit)} ${shop.currencyCode})</label>`
    : "";
  const root = localeRoot(input.locale);
  const base = root === "/" ? "" : root;
  const context: RenderContext = {
    locale: input.locale,
    rootUrl: root,
    // Only this app's metafields: Liquid's app object is the app rendering the block.
    app: { loyalty: metafieldsOf(shop, shop.installation.id, "loyalty") },
    customer: customer
      ? metafieldsOf(shop, `gid://shopify/Customer/${customer.id}`, "$app:loyalty")
      : undefined,
    customerId: customer ? Number(customer.id) : undefined,
    customerTags: customer ? [...customer.tags] : undefined,
    shopCurrency: shop.currencyCode,
  };
  // The app's blocks show where the merchant put them in the theme (devshop's theme editor).
  const status = shop.theme?.blockAdded ? await renderBlock("loyalty-status", context) : "";
  const launcher = shop.theme?.embedActive ? await renderBlock("rewards-launcher", context) : "";
  let earnRendered = false;
  const products = await Promise.all(
    Object.values(shop.products).map(async (product) => {
      const earn =
        shop.theme?.productBlockAdded === false
          ? ""
          : await renderBlock("earn-points", {
              ...context,
              product: { price: product.price, giftCard: product.giftCard },
            });
      if (earn) earnRendered = true;
      return `<li class="product"><h3>${escape(product.title)}</h3><p class="price">${money(product.price)} ${shop.currencyCode}</p>${earn}
<form method="post" action="${base}/checkout"><input type="hidden" name="productId" value="${product.id}">
<label>Qty <input name="quantity" type="number" min="1" max="10" value="1" size="2"></label>
<label>Discount code <input name="discountCode" autocomplete="off"></label>
${useCredit}<button type="submit">Buy now</button><button type="submit" formmethod="get" formaction="${base}/checkout">Check out</button></form></li>`;
    }),
  );
  const options = Object.values(shop.customers)
    .slice(0, 500)
    .map(
      (c) =>
        `<option value="${c.id}"${c.id === customerId ? " selected" : ""}>${escape(`${c.firstName} ${c.lastName} <${c.email}>`)}</option>`,
    )
    .join("");
  const orders = customer
    ? Object.values(shop.orders)
        .filter((o) => o.customerId === customer.id)
        .sort((a, b) => b.processedAt.localeCompare(a.processedAt))
        .slice(0, 5)
        .map(
          (o) =>
            `<li>#${o.number} · ${o.processedAt.slice(0, 10)} · ${o.financialStatus}${o.discountCodes.length ? ` · code ${escape(o.discountCodes.map((d) => d.code).join(", "))}` : ""}${o.storeCreditPaid ? ` · ${money(o.storeCreditPaid)} store credit` : ""}</li>`,
        )
        .join("")
    : "";
  // A block's schema `stylesheet` and `javascript` are loaded on pages where the block renders
  // (https://shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration):
  // a page without Regulars' blocks loads none of its assets.
  const rendered = Boolean(status || launcher || earnRendered);
  return `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escape(shop.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${rendered ? '<link rel="stylesheet" href="/assets/regulars.css">' : ""}
<style>body{font-family:system-ui,sans-serif;margin:0;color:#222}header{display:flex;gap:1rem;align-items:center;justify-content:space-between;padding:.75rem 1.5rem;background:#f4f1ea;border-bottom:1px solid #ddd}main{max-width:960px;margin:0 auto;padding:1rem 1.5rem}.products{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:1rem;list-style:none;padding:0}.product{border:1px solid #ddd;border-radius:8px;padding:1rem}.product form{display:grid;gap:.4rem}.notice{padding:.6rem 1rem;border-radius:6px;background:#e7f5ea}.notice.error{background:#fde8e8}</style>
</head><body><header><strong>${escape(shop.name)}</strong>
<form method="post" action="${base}/account/login" id="login"><label>Log in as <select name="customerId" onchange="this.form.submit()"><option value="">Guest</option>${options}</select></label><noscript><button>Go</button></noscript></form>${customer ? `<a href="${base}/account">Account</a>` : ""}</header>
<main>${input.message ? `<p class="notice" role="status">${escape(input.message)}</p>` : ""}${input.error ? `<p class="notice error" role="alert">${escape(input.error)}</p>` : ""}
<section class="loyalty">${status}</section>
<h2>Products</h2><ul class="products">${products.join("")}</ul>
${customer ? `<h2>Your recent orders</h2><ul class="orders">${orders || "<li>None yet</li>"}</ul>` : ""}
</main>${launcher}${rendered ? '<script src="/assets/regulars.js" defer></script>' : ""}</body></html>`;
}

/**
 * Shopify's app proxy signature: hex HMAC-SHA256 of the sorted `key=value` pairs, no separator, a
 * repeated key's values joined by commas (Shopify/shopify-app-js,
 * packages/apps/shopify-api/lib/utils/hmac-validator.ts, stringifyQueryForAppProxy).
 */
export function signProxyQuery(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params)
    if (key !== "signature") grouped.set(key, [...(grouped.get(key) ?? []), value]);
  const message = [...grouped.entries()]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/**
 * The request the app receives for a storefront request to /{prefix}/{subpath}/{rest}:
 * Shopify adds shop, logged_in_customer_id, path_prefix (where the proxy is on this
 * shop), timestamp and signature
 * (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies).
 */
export function proxiedUrl(input: {
  config: AppConfig;
  /** The shop's proxy path; the app's configured one by default. */
  proxy?: AppProxyPath;
  appUrl: string;
  apiSecret: string;
  shop: string;
  customerId: string | null;
  rest: string;
  search: URLSearchParams;
  now: Date;
}): string {
  const { config } = input;
  const proxy = input.proxy ?? { prefix: config.proxy.prefix, subpath: config.proxy.subpath };
  const target = new URL(`${input.appUrl}${new URL(config.proxy.url).pathname}/${input.rest}`);
  // Shopify forwards the storefront URL's query as it is and adds its own parameters after it
  // (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies): a URL
  // that already names one of them (?logged_in_customer_id=...) reaches the app with it twice, both signed.
  const params = new URLSearchParams(input.search);
  params.append("shop", input.shop);
  params.append("logged_in_customer_id", input.customerId ?? "");
  params.append("path_prefix", `/${proxy.prefix}/${proxy.subpath}`);
  params.append("timestamp", String(Math.floor(input.now.getTime() / 1000)));
  params.append("signature", signProxyQuery(params, input.apiSecret));
  target.search = params.toString();
  return target.toString();
}

/** A Liquid answer from the app proxy, rendered in the store's layout, in the page's locale. */
export async function renderProxyLiquid(
  shop: ShopState,
  customerId: string | null,
  source: string,
  locale: Locale = PRIMARY_LOCALE,
): Promise<string> {
  const customer = customerId ? shop.customers[customerId] : undefined;
  const engine = new Liquid({ strictFilters: true, strictVariables: true });
  // Liquid's money filter: cents in the shop's money format (https://shopify.dev/docs/api/liquid/filters/money).
  engine.registerFilter("money", (cents: number) =>
    new Intl.NumberFormat(locale, { style: "currency", currency: shop.currencyCode }).format(
      Number(cents) / 100,
    ),
  );
  const body = await engine.parseAndRender(source, {
    shop: { name: shop.name, currency: shop.currencyCode },
    customer: customer
      ? { id: Number(customer.id), first_name: customer.firstName, email: customer.email }
      : null,
    routes: routesFor(localeRoot(locale)),
  });
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escape(shop.name)}</title><link rel="stylesheet" href="/assets/regulars.css"></head><body><main>${body}</main></body></html>`;
}
