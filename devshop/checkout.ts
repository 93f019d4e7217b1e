/**
 * devshop's checkout and thank-you page, where the checkout UI extensions render: a checkout for
 * one product with the discount code field and, after it, the reductions slot
 * (purchase.checkout.reductions.render-after), whose `applyDiscountCodeChange` devshop honours only
 * for a code the checkout would take (Commerce.discountFor: the code exists, is live, is this
 * customer's, is not used up); paying places the order (POST /checkout, server.ts) and shows the
 * thank-you page with its block (purchase.thank-you.block.render).
 *
 *   GET  /checkout?productId=&quantity=      the checkout
 *   GET  /checkout/discount?...&code=        whether the checkout takes a code: applyDiscountCodeChange's answer
 *   GET  /checkout/session-token[?order=]    a checkout session token: `sub` the buyer, when there is one
 *   GET  /checkout/extension?target=...      the frame a checkout target runs in
 *   GET  /thank-you/{orderId}                the thank-you page
 */
import type { Commerce } from "./commerce";
import { DevshopError } from "./commerce";
import { escapeHtml as escape } from "./html";
import { currentTotals, money } from "./order-math";
import { extensionFrame, FRAME_SIZER, frameName, uiExtensions } from "./extension-host/frames";
import { extensionSessionToken } from "./extension-host/session-token";
import type { Customer, Order, ShopState } from "./state";

export interface CheckoutRequest {
  method: string;
  url: URL;
  path: string;
  locale: string;
  base: string;
  shop: ShopState;
  customer: Customer | undefined;
  app: { apiKey: string; apiSecret: string };
  extensionsDir: string;
  commerce: Commerce;
  /** devshop's origin: the shop's storefront URL. */
  origin: string;
  now: Date;
}

type Answer = { status: number; body: string; type: string } | null;

const html = (body: string, status = 200): Answer => ({ status, body, type: "text/html; charset=utf-8" });
const json = (body: unknown, status = 200): Answer => ({
  status,
  body: JSON.stringify(body),
  type: "application/json",
});

const REDUCTIONS = "purchase.checkout.reductions.render-after";
const THANK_YOU = "purchase.thank-you.block.render";

export function checkoutRoute(request: CheckoutRequest): Answer {
  const { path: route, method, shop, url, customer } = request;
  if (method !== "GET") return null;
  if (route !== "/checkout" && !route.startsWith("/checkout/") && !route.startsWith("/thank-you/"))
    return null;
  const item = () => {
    const productId = url.searchParams.get("productId") ?? "";
    const quantity = Number(url.searchParams.get("quantity") ?? 1);
    const product = shop.products[productId];
    if (!product || !Number.isInteger(quantity) || quantity < 1 || quantity > 10) return null;
    return { product, quantity };
  };
  const buyerOf = (order: Order | undefined) =>
    order ? (order.customerId ? shop.customers[order.customerId] : undefined) : customer;

  if (route === "/checkout/session-token") {
    const order = url.searchParams.get("order") ? shop.orders[url.searchParams.get("order")!] : undefined;
    const buyer = buyerOf(order);
    // "Optional claim present when a customer is logged in and your app has permission to read customer accounts."
    const sub = buyer && (shop.customerDataLevel ?? 2) !== 0 ? `gid://shopify/Customer/${buyer.id}` : null;
    return json({
      token: extensionSessionToken({ ...request.app, shop: shop.domain, sub, now: request.now }),
    });
  }
  if (route === "/checkout/discount") {
    const chosen = item();
    if (!chosen) return json({ type: "error", message: "Nothing to check out" }, 422);
    try {
      request.commerce.discountFor(shop, url.searchParams.get("code") ?? "", customer?.id ?? null, [
        { productId: chosen.product.id, quantity: chosen.quantity },
      ]);
      return json({ type: "success" });
    } catch (error) {
      if (error instanceof DevshopError) return json({ type: "error", message: error.message });
      throw error;
    }
  }
  const extensions = uiExtensions(request.extensionsDir);
  const frameFor = (target: string, query: Record<string, string>) => {
    const extension = extensions.find((candidate) => candidate.targets.includes(target));
    if (!extension) return "";
    const params = new URLSearchParams({ target, ...query });
    return `<iframe class="extension" name="${escape(frameName(extension, target))}" title="${escape(extension.name)}" src="${request.base}/checkout/extension?${escape(params.toString())}"></iframe>`;
  };
  const shopConfig = {
    name: shop.name,
    storefrontUrl: `${request.origin}${request.base}`,
    myshopifyDomain: shop.domain,
  };

  if (route === "/checkout/extension") {
    const target = url.searchParams.get("target") ?? "";
    const extension = extensions.find((candidate) => candidate.targets.includes(target));
    if (!extension || (target !== REDUCTIONS && target !== THANK_YOU))
      return html("No extension has that target", 404);
    let subtotal: number;
    let buyer = customer;
    let tokenUrl = `${request.base}/checkout/session-token`;
    let orderConfirmation: { order: { id: string }; number: string; isFirstOrder: boolean } | undefined;
    if (target === THANK_YOU) {
      const order = shop.orders[url.searchParams.get("order") ?? ""];
      if (!order) return html("Not Found", 404);
      buyer = buyerOf(order);
      subtotal = currentTotals(order).subtotal;
      tokenUrl += `?order=${order.id}`;
      // What shopify.orderConfirmation holds on the thank-you page: the order's GID
      // (https://shopify.dev/docs/api/checkout-ui-extensions/latest/apis/order-confirmation).
      orderConfirmation = {
        order: { id: `gid://shopify/Order/${order.id}` },
        number: String(order.number),
        isFirstOrder: false,
      };
    } else {
      const chosen = item();
      if (!chosen) return html("Nothing to check out", 422);
      subtotal = chosen.product.price * chosen.quantity;
    }
    return html(
      extensionFrame({
        extension,
        target,
        locale: request.locale,
        tokenUrl,
        config: {
          currency: shop.currencyCode,
          customerId: buyer ? `gid://shopify/Customer/${buyer.id}` : null,
          checkout: {
            subtotal: { amount: subtotal / 100, currencyCode: shop.currencyCode },
            shop: shopConfig,
          },
          accountRoot: `${request.base}/account`,
          ...(orderConfirmation ? { orderConfirmation } : {}),
        },
      }),
    );
  }

  if (route === "/checkout") {
    const chosen = item();
    if (!chosen) return html("Nothing to check out: choose a product in the store.", 422);
    const { product, quantity } = chosen;
    const query = { productId: product.id, quantity: String(quantity) };
    return html(
      page(
        shop,
        request,
        "Checkout",
        `<section class="card"><h2>Order summary</h2>
<p>${escape(product.title)} × ${quantity}</p><p><strong>Subtotal ${money(product.price * quantity)} ${shop.currencyCode}</strong></p></section>
<form method="post" action="${request.base}/checkout" class="card" id="pay">
<input type="hidden" name="productId" value="${escape(product.id)}"><input type="hidden" name="quantity" value="${quantity}"><input type="hidden" name="thankYou" value="1">
<label>Discount code <input name="discountCode" id="discount-code" autocomplete="off"></label>
<p id="discount-applied" role="status"></p>
${frameFor(REDUCTIONS, query)}
<button type="submit">Pay now</button></form>
<script>
// applyDiscountCodeChange from the reductions slot: devshop's checkout takes the code only if it would at payment.
addEventListener("message", async (event) => {
  const ask = event.data && event.data.regularsDiscountChange;
  if (event.origin !== location.origin || !ask) return;
  const field = document.getElementById("discount-code");
  let result = { type: "success" };
  if (ask.type === "addDiscountCode") {
    const query = new URLSearchParams(${JSON.stringify(query)});
    query.set("code", ask.code);
    result = await (await fetch("${request.base}/checkout/discount?" + query)).json();
    if (result.type === "success") {
      field.value = ask.code;
      document.getElementById("discount-applied").textContent = "Discount code " + ask.code + " applied";
    }
  } else if (field.value === ask.code) {
    field.value = "";
    document.getElementById("discount-applied").textContent = "";
  }
  event.source.postMessage({ regularsDiscountChangeResult: { id: ask.id, result } }, location.origin);
});
</script>`,
      ),
    );
  }

  const thankYou = /^\/thank-you\/(\d+)$/.exec(route);
  if (thankYou) {
    const order = shop.orders[thankYou[1]!];
    // The buyer's own order, or a guest's (Shopify shows a guest the page right after paying).
    if (!order || (order.customerId !== null && order.customerId !== customer?.id))
      return html("Not Found", 404);
    return html(
      page(
        shop,
        request,
        `Thank you! Order #${order.number} is paid.`,
        `<section class="card"><h2>Order #${order.number}</h2>
<ul>${order.lines.map((line) => `<li>${escape(line.title)} × ${line.quantity}</li>`).join("")}</ul>
<p>Subtotal ${money(currentTotals(order).subtotal)} ${shop.currencyCode} · total ${money(currentTotals(order).total)} ${shop.currencyCode}${order.discountCodes.length ? ` · code ${escape(order.discountCodes.map((d) => d.code).join(", "))}` : ""}</p></section>
${frameFor(THANK_YOU, { order: order.id })}
<p><a href="${request.base || "/"}">Continue shopping</a></p>`,
      ),
    );
  }
  return null;
}

function page(shop: ShopState, request: CheckoutRequest, title: string, content: string) {
  return `<!doctype html><html lang="${request.locale}"><head><meta charset="utf-8"><title>${escape(title)} · ${escape(shop.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:0;color:#303030;background:#f1f1f1}header{padding:.75rem 1.5rem;background:#fff;border-bottom:1px solid #ddd}main{max-width:640px;margin:0 auto;padding:1rem;display:grid;gap:1rem}.card{background:#fff;border-radius:12px;padding:16px;border:1px solid #e1e3e5;display:grid;gap:.6rem}iframe.extension{width:100%;border:0;display:block;min-height:40px}h1{font-size:1.3rem;margin:.5rem 0 0}button[type=submit]{font:inherit;padding:10px;border-radius:8px;border:0;background:#303030;color:#fff}</style>
</head><body><header><strong>${escape(shop.name)}</strong></header><main><h1>${escape(title)}</h1>${content}</main>${FRAME_SIZER}</body></html>`;
}
