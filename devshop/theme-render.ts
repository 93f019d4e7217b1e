/**
 * Renders the theme app extension's Liquid the way a storefront would, with
 * liquidjs: `render` finds snippets/, `t` reads the extension's locales (with
 * Shopify's one/other plurals and escaped interpolation; a missing key
 * throws), and `{% schema %}` is split off and parsed (its defaults become
 * block.settings). Metafields are given as Shopify stores them (type + string
 * value) and reach Liquid as `.value` typed the way Liquid sees them.
 *
 * A block whose schema has `available_if` renders only when that app-data
 * metafield is a boolean whose value is true, as Shopify's conditional app
 * blocks do: the condition is "stored in an app-owned metafield"
 * (https://shopify.dev/changelog/theme-app-extensions-now-support-conditional-app-blocks),
 * "a boolean app owned metafield" referenced from the schema, the block
 * "enabled on storefronts only when the reference app-owned metafield has a
 * value of true" (https://github.com/Shopify/theme-extension-getting-started/pull/12,
 * https://github.com/Shopify/theme-extension-getting-started/issues/2). A
 * missing metafield, another type or false hides the block.
 *
 * Pages under a locale prefix get that locale's strings and `routes`
 * (`routes.root_url` is "/" on the primary locale and "/fr" under /fr/; the
 * other routes follow it): "Using the routes object instead of hardcoding URLs
 * helps ensure that your theme supports multiple languages"
 * (https://shopify.dev/docs/api/liquid/objects/routes,
 * https://shopify.dev/docs/api/liquid/objects/shop_locale#shop_locale-root_url).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Liquid } from "liquidjs";

import { THEME_EXTENSION } from "./app-config";
import { escapeHtml } from "./html";

export const EXTENSION = THEME_EXTENSION;
export const LOCALES = ["en", "fr", "de", "es"] as const;
export type Locale = (typeof LOCALES)[number];

export function readLocale(locale: Locale, schema = false): Record<string, unknown> {
  const name = `${locale === "en" ? "en.default" : locale}${schema ? ".schema" : ""}.json`;
  return JSON.parse(readFileSync(path.join(EXTENSION, "locales", name), "utf8")) as Record<string, unknown>;
}

function translate(locale: Locale, strings: Record<string, unknown>, key: string, args: [string, unknown][]) {
  let entry: unknown = key
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], strings);
  const vars = Object.fromEntries(args);
  if (entry && typeof entry === "object" && "other" in entry) {
    const rule = new Intl.PluralRules(locale).select(Number(vars.count));
    entry = (entry as Record<string, string>)[rule] ?? (entry as Record<string, string>).other;
  }
  if (typeof entry !== "string") throw new Error(`translation missing: ${locale}.${key}`);
  return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`translation ${locale}.${key} needs ${name}`);
    return escapeHtml(vars[name]);
  });
}

export interface StoredMetafield {
  type: string;
  value: string;
}

/**
 * A metafield as Liquid sees it: `.value` typed (json an object, boolean a
 * boolean, number_integer a number: https://shopify.dev/docs/api/liquid/objects/metafield#metafield-value).
 */
function liquidMetafield(field: StoredMetafield | undefined) {
  if (!field) return undefined;
  const value =
    field.type === "json"
      ? JSON.parse(field.value)
      : field.type === "number_integer"
        ? Number(field.value)
        : field.type === "boolean"
          ? field.value === "true"
          : field.value;
  return { value, type: field.type };
}

/** App-data metafields (on the app installation) by namespace, then key: Liquid's `app.metafields`. */
export type AppMetafields = Record<string, Record<string, StoredMetafield>>;

/** The storefront's `routes` under a locale's root URL ("/" for the primary locale, "/fr" for French). */
export function routesFor(rootUrl: string): Record<string, string> {
  const base = rootUrl === "/" ? "" : rootUrl;
  return {
    root_url: rootUrl,
    account_url: `${base}/account`,
    account_login_url: `${base}/account/login`,
    account_register_url: `${base}/account/register`,
    cart_url: `${base}/cart`,
    // The "all products" collection (https://shopify.dev/docs/api/liquid/objects/routes:
    // routes.all_products_collection_url is "/collections/all"), which the referral page links to.
    all_products_collection_url: `${base}/collections/all`,
  };
}

/**
 * Whether a block with this `available_if` shows: only a reference to an
 * app-data metafield is allowed there, and it must be a boolean set to true.
 */
function availableIf(condition: unknown, app: AppMetafields | undefined): boolean {
  if (condition === undefined) return true;
  const match =
    typeof condition === "string" && /^\{\{\s*app\.metafields\.([\w-]+)\.([\w-]+)\s*\}\}$/.exec(condition);
  if (!match) throw new Error(`available_if must name an app metafield, got ${JSON.stringify(condition)}`);
  const field = app?.[match[1]!]?.[match[2]!];
  return field?.type === "boolean" && field.value === "true";
}

export interface RenderContext {
  locale: Locale;
  /** The app installation's metafields (Liquid's app.metafields), as the app wrote them; none yet by default. */
  app?: AppMetafields;
  /** The logged-in customer's $app:loyalty metafields by key; undefined = guest. */
  customer?: Record<string, StoredMetafield>;
  /** In the customer's (presentment) currency's subunit, as Liquid gives prices. */
  product?: { price: number; giftCard?: boolean };
  settings?: Record<string, unknown>;
  /** The logged-in customer's numeric id (Liquid's customer.id). */
  customerId?: number;
  /** The logged-in customer's tags (Liquid's customer.tags: https://shopify.dev/docs/api/liquid/objects/customer#customer-tags). */
  customerTags?: string[];
  /** The locale's root URL: "/" (primary locale, the default) or "/fr". */
  rootUrl?: string;
  /** shop.currency; EUR by default (devshop's shops). */
  shopCurrency?: string;
  /** The cart's (presentment) currency and whether its prices include tax; the shop's currency and no by default. */
  cart?: { currency: string; taxesIncluded: boolean };
  /** The storefront's origin (Liquid's request.origin); devshop's own by default. */
  origin?: string;
}

function splitSchema(source: string): { liquid: string; schema: Record<string, unknown> } {
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source);
  if (!match) throw new Error("block has no schema");
  return { liquid: source.replace(match[0], ""), schema: JSON.parse(match[1]!) as Record<string, unknown> };
}

export async function renderBlock(block: string, context: RenderContext): Promise<string> {
  const { liquid, schema } = splitSchema(
    readFileSync(path.join(EXTENSION, "blocks", `${block}.liquid`), "utf8"),
  );
  if (!availableIf(schema.available_if, context.app)) return "";
  const strings = readLocale(context.locale);
  const defaults = Object.fromEntries(
    ((schema.settings ?? []) as { id: string; default?: unknown }[]).map((setting) => [
      setting.id,
      setting.default,
    ]),
  );
  const metafields = context.customer
    ? Object.fromEntries(
        Object.entries(context.customer).map(([key, field]) => [key, liquidMetafield(field)]),
      )
    : undefined;
  // Shopify's global objects are visible in every template and snippet (render isolates the rest).
  const shopCurrency = context.shopCurrency ?? "EUR";
  const cart = context.cart ?? { currency: shopCurrency, taxesIncluded: false };
  const globals = {
    app: {
      metafields: Object.fromEntries(
        Object.entries(context.app ?? {}).map(([namespace, fields]) => [
          namespace,
          Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, liquidMetafield(field)])),
        ]),
      ),
    },
    customer: metafields
      ? {
          id: context.customerId ?? 1,
          tags: context.customerTags ?? [],
          metafields: { "$app:loyalty": metafields },
        }
      : null,
    product: context.product
      ? {
          price: context.product.price,
          "gift_card?": context.product.giftCard ?? false,
          selected_or_first_available_variant: { price: context.product.price },
        }
      : undefined,
    shop: { currency: shopCurrency },
    cart: { currency: { iso_code: cart.currency }, taxes_included: cart.taxesIncluded },
    routes: routesFor(context.rootUrl ?? "/"),
    // request.origin: "the protocol and host of the request"
    // (https://shopify.dev/docs/api/liquid/objects/request#request-origin).
    request: { locale: { iso_code: context.locale }, origin: context.origin ?? "http://127.0.0.1:4400" },
  };
  const engine = new Liquid({
    partials: path.join(EXTENSION, "snippets"),
    extname: ".liquid",
    strictFilters: true,
    relativeReference: false,
    globals,
  });
  engine.registerFilter("t", (key: string, ...args: [string, unknown][]) =>
    translate(context.locale, strings, key, args),
  );
  // Liquid's money filters take an amount in the currency's subunit (cents) and format it in the
  // cart's (presentment) currency (https://shopify.dev/docs/api/liquid/filters/money,
  // https://shopify.dev/docs/api/liquid/filters/money_without_currency); the shop's money format
  // is stood in for by the page language's own format.
  const money = (cents: number, style: "currency" | "decimal") =>
    new Intl.NumberFormat(
      context.locale,
      style === "currency" ? { style, currency: cart.currency } : { minimumFractionDigits: 2 },
    ).format(Number(cents) / 100);
  engine.registerFilter("money", (cents: number) => money(cents, "currency"));
  engine.registerFilter(
    "money_with_currency",
    (cents: number) => `${money(cents, "currency")} ${cart.currency}`,
  );
  engine.registerFilter("money_without_currency", (cents: number) => money(cents, "decimal"));
  return engine.parseAndRender(liquid, {
    // block.id: the block's unique id on the page (https://shopify.dev/docs/api/liquid/objects/block#block-id).
    block: {
      id: `${block}-1`,
      settings: { ...defaults, ...context.settings },
      shopify_attributes: 'data-block-id="b1"',
    },
  });
}
