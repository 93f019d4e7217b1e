/**
 * The shop's customer accounts, where Shopify renders customer account UI extensions: the
 * profile page (customer-account.profile.block.render), the orders and each order's status page
 * (customer-account.order-status.block.render), and a full page of an extension
 * (customer-account.page.render, at extension://{handle}). A logged-in storefront customer
 * (devshop's "log in as") is the account's customer.
 *
 *   GET  /account                       the profile page
 *   GET  /account/orders[/{id}]         the orders, an order's status page
 *   GET  /account/pages/{handle}        an extension's full page
 *   GET  /account/extension?target=...  the frame one extension target runs in (extension-host/host.js)
 *   GET  /account/session-token         the extension's session token (extension-host/session-token.ts)
 *   GET  /extensions/{handle}/{file}.js a built extension script (npm run build:extensions)
 *   GET  /extension-host/{file}.js      devshop's `shopify` global, components and host (extension-host/frames.ts)
 *
 * The token's `sub` is the customer's GID unless the shop's protected customer data level is 0
 * (the app was granted none: Shopify then leaves `sub` out).
 */
import { escapeHtml as escape } from "./html";
import { currentTotals, money } from "./order-math";
import {
  extensionFrame,
  FRAME_SIZER,
  frameName,
  hostFile,
  uiExtensions,
  type UiExtension,
} from "./extension-host/frames";
import { extensionSessionToken } from "./extension-host/session-token";
import type { Customer, Order, ShopState } from "./state";

export interface AccountRequest {
  method: string;
  url: URL;
  /** The path under the locale prefix, e.g. /account/orders/12. */
  path: string;
  locale: string;
  /** The locale prefix: "" or "/fr". */
  base: string;
  shop: ShopState;
  customer: Customer | undefined;
  app: { apiKey: string; apiSecret: string };
  /** Where the built extensions are (extensions/ of the app, or a copy built for another app URL). */
  extensionsDir: string;
  now: Date;
}

export type AccountAnswer = { status: number; body: string | Buffer; type: string } | null;

const html = (body: string, status = 200): AccountAnswer => ({
  status,
  body,
  type: "text/html; charset=utf-8",
});
const json = (body: unknown, status = 200): AccountAnswer => ({
  status,
  body: JSON.stringify(body),
  type: "application/json",
});

const WORDS: Record<string, Record<string, string>> = {
  en: {
    account: "Account",
    profile: "Profile",
    orders: "Orders",
    none: "No orders yet.",
    order: "Order",
    back: "Store",
  },
  fr: {
    account: "Compte",
    profile: "Profil",
    orders: "Commandes",
    none: "Aucune commande.",
    order: "Commande",
    back: "Boutique",
  },
  de: {
    account: "Konto",
    profile: "Profil",
    orders: "Bestellungen",
    none: "Noch keine Bestellungen.",
    order: "Bestellung",
    back: "Shop",
  },
  es: {
    account: "Cuenta",
    profile: "Perfil",
    orders: "Pedidos",
    none: "Aún no hay pedidos.",
    order: "Pedido",
    back: "Tienda",
  },
};

export function customerAccountsRoute(request: AccountRequest): AccountAnswer {
  const { path: route, method } = request;
  if (method !== "GET") return null;
  const file = hostFile(route, request.extensionsDir);
  if (file) return file;
  if (route !== "/account" && !route.startsWith("/account/")) return null;
  const extensions = uiExtensions(request.extensionsDir);
  const { customer, shop, base } = request;
  if (!customer) {
    // Customer accounts need a signed-in customer: the store's login.
    return html(
      `<!doctype html><meta charset="utf-8"><p>Log in first: <a href="${base || "/"}">the store</a>'s "Log in as".</p>`,
      401,
    );
  }
  if (route === "/account/session-token") {
    const sub = (shop.customerDataLevel ?? 2) === 0 ? null : `gid://shopify/Customer/${customer.id}`;
    const token = extensionSessionToken({ ...request.app, shop: shop.domain, sub, now: request.now });
    return json({ token });
  }
  if (route === "/account/extension") return accountFrame(request, extensions);

  const words = WORDS[request.locale] ?? WORDS.en!;
  const accountRoot = `${base}/account`;
  const frameFor = (target: string, extra: Record<string, string> = {}) => {
    const extension = extensions.find((candidate) => candidate.targets.includes(target));
    if (!extension) return "";
    const query = new URLSearchParams({ target, ...extra });
    const name = frameName(extension, target);
    return `<iframe class="extension" name="${escape(name)}" title="${escape(extension.name)}" src="${accountRoot}/extension?${escape(query.toString())}"></iframe>`;
  };
  const orders = Object.values(shop.orders)
    .filter((order) => order.customerId === customer.id)
    .sort((a, b) => b.processedAt.localeCompare(a.processedAt));
  const page = (title: string, content: string, heading = true) =>
    html(
      layout({ shop, customer, locale: request.locale, base, words, title, content, extensions, heading }),
    );

  if (route === "/account") {
    return page(
      words.profile!,
      `<section class="card"><h2>${escape(`${customer.firstName} ${customer.lastName}`)}</h2><p>${escape(customer.email)}</p></section>${frameFor("customer-account.profile.block.render")}`,
    );
  }
  if (route === "/account/orders") {
    const list = orders
      .map(
        (order) =>
          `<li><a href="${accountRoot}/orders/${order.id}">${orderName(order)}</a> · ${order.processedAt.slice(0, 10)} · ${money(totalOf(order))} ${shop.currencyCode} · ${order.financialStatus}</li>`,
      )
      .join("");
    return page(
      words.orders!,
      `<section class="card"><ul class="orders">${list || `<li>${words.none}</li>`}</ul></section>`,
    );
  }
  const orderMatch = /^\/account\/orders\/(\d+)$/.exec(route);
  if (orderMatch) {
    const order = orders.find((candidate) => candidate.id === orderMatch[1]);
    if (!order) return html("Not Found", 404);
    return page(
      `${words.order} ${orderName(order)}`,
      `<section class="card"><p>${order.processedAt.slice(0, 10)} · ${money(totalOf(order))} ${shop.currencyCode} · ${order.financialStatus}</p><ul>${order.lines.map((line) => `<li>${escape(line.title)} × ${line.quantity}</li>`).join("")}</ul></section>${frameFor("customer-account.order-status.block.render", { order: order.id })}`,
    );
  }
  const full = /^\/account\/pages\/([\w-]+)$/.exec(route);
  if (full) {
    const extension = extensions.find((candidate) => candidate.handle === full[1]);
    const target = extension?.targets.find((candidate) => candidate === "customer-account.page.render");
    if (!extension || !target) return html("Not Found", 404);
    return page(extension.name, frameFor(target), false);
  }
  return null;
}

const orderName = (order: Order) => `#${order.number}`;
const totalOf = (order: Order) => currentTotals(order).total;

function layout(input: {
  shop: ShopState;
  customer: Customer;
  locale: string;
  base: string;
  words: Record<string, string>;
  title: string;
  content: string;
  extensions: UiExtension[];
  /** false on an extension's full page, which draws its own heading (s-page). */
  heading?: boolean;
}) {
  const { base, words } = input;
  const root = `${base}/account`;
  const pages = input.extensions
    .filter((extension) => extension.targets.includes("customer-account.page.render"))
    .map(
      (extension) =>
        `<a href="${root}/pages/${extension.handle}">${escape(extension.name.replace(/ page$/i, ""))}</a>`,
    );
  return `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escape(input.title)} · ${escape(input.shop.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:0;color:#303030;background:#f1f1f1}header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;padding:.75rem 1.5rem;background:#fff;border-bottom:1px solid #ddd}nav{display:flex;gap:1rem;flex-wrap:wrap}nav a{color:#303030}main{max-width:880px;margin:0 auto;padding:1rem;display:grid;gap:1rem}.card{background:#fff;border-radius:12px;padding:16px;border:1px solid #e1e3e5}iframe.extension{width:100%;border:0;display:block;min-height:60px}h1{font-size:1.3rem;margin:.5rem 0 0}</style>
</head><body><header><strong>${escape(input.shop.name)}</strong><nav aria-label="${escape(words.account!)}"><a href="${base || "/"}">${escape(words.back!)}</a><a href="${root}/orders">${escape(words.orders!)}</a><a href="${root}">${escape(words.profile!)}</a>${pages.join("")}</nav></header>
<main>${input.heading === false ? "" : `<h1>${escape(input.title)}</h1>`}${input.content}</main>
${FRAME_SIZER}
</body></html>`;
}

/** The frame one customer accounts target runs in. */
function accountFrame(request: AccountRequest, extensions: UiExtension[]): AccountAnswer {
  const target = request.url.searchParams.get("target") ?? "";
  const extension = extensions.find((candidate) => candidate.targets.includes(target));
  if (!extension || !target.startsWith("customer-account.")) return html("No extension has that target", 404);
  const orderId = request.url.searchParams.get("order");
  const order = orderId ? request.shop.orders[orderId] : undefined;
  if (orderId && (!order || order.customerId !== request.customer?.id)) return html("Not Found", 404);
  return html(
    extensionFrame({
      extension,
      target,
      locale: request.locale,
      tokenUrl: `${request.base}/account/session-token`,
      config: {
        currency: request.shop.currencyCode,
        customerId: `gid://shopify/Customer/${request.customer!.id}`,
        order: order ? { id: `gid://shopify/Order/${order.id}`, name: orderName(order) } : null,
        accountRoot: `${request.base}/account`,
      },
    }),
  );
}
