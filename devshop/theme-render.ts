/**
 * Renders the theme app extension's Liquid the way a storefront would, with
 * liquidjs: `render` finds snippets/, `t` reads the extension's locales (with
 * Shopify's one/other plurals and escaped interpolation; a missing key
 * throws), and `{% schema %}` is split off and parsed (its defaults become
 * block.settings). Metafields are given as Shopify stores them (type + string
 * value) and reach Liquid as `.value` typed the way Liquid sees them.
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

/** A metafield as Liquid sees it: `.value` typed. */
export function liquidMetafield(field: StoredMetafield | undefined) {
  if (!field) return undefined;
  const value =
    field.type === "json"
      ? JSON.parse(field.value)
      : field.type === "number_integer"
        ? Number(field.value)
        : field.value;
  return { value, type: field.type };
}

export interface RenderContext {
  locale: Locale;
  /** The app installation's loyalty.program metafield, or none yet. */
  program?: StoredMetafield;
  /** The logged-in customer's $app:loyalty metafields by key; undefined = guest. */
  customer?: Record<string, StoredMetafield>;
  product?: { price: number };
  settings?: Record<string, unknown>;
  /** The logged-in customer's numeric id (Liquid's customer.id). */
  customerId?: number;
  routes?: Record<string, string>;
}

export function splitSchema(source: string): { liquid: string; schema: Record<string, unknown> } {
  const match = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source);
  if (!match) throw new Error("block has no schema");
  return { liquid: source.replace(match[0], ""), schema: JSON.parse(match[1]!) as Record<string, unknown> };
}

export async function renderBlock(block: string, context: RenderContext): Promise<string> {
  const { liquid, schema } = splitSchema(
    readFileSync(path.join(EXTENSION, "blocks", `${block}.liquid`), "utf8"),
  );
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
  const globals = {
    app: { metafields: { loyalty: { program: liquidMetafield(context.program) } } },
    customer: metafields ? { id: context.customerId ?? 1, metafields: { "$app:loyalty": metafields } } : null,
    product: context.product
      ? {
          price: context.product.price,
          selected_or_first_available_variant: { price: context.product.price },
        }
      : undefined,
    routes: context.routes ?? {
      account_login_url: "/account/login",
      account_register_url: "/account/register",
    },
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
  return engine.parseAndRender(liquid, {
    block: { settings: { ...defaults, ...context.settings }, shopify_attributes: 'data-block-id="b1"' },
  });
}
