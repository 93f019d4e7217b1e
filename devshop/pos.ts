/**
 * devshop's Shopify POS screen, where the POS UI extensions render: a cart with a customer, the
 * smart grid with the app's tile (pos.home.tile.render), the modal it presents
 * (pos.home.modal.render), and the customer details screen (pos.customer-details.block.render).
 * Codes an extension adds with the Cart API's addCartCodeDiscount appear in the cart.
 *
 *   GET  /pos[?customer={id}]           the POS home screen, that customer in the cart
 *   GET  /pos/customers/{id}            the customer details screen
 *   GET  /pos/session-token             the POS session token: `sub` the staff member (1)
 *   GET  /pos/extension?target=...      the frame a POS target runs in
 */
import { escapeHtml as escape } from "./html";
import { extensionFrame, FRAME_SIZER, frameName, uiExtensions } from "./extension-host/frames";
import { extensionSessionToken } from "./extension-host/session-token";
import type { ShopState } from "./state";

export interface PosRequest {
  method: string;
  url: URL;
  path: string;
  shop: ShopState;
  app: { apiKey: string; apiSecret: string };
  extensionsDir: string;
  now: Date;
}

type Answer = { status: number; body: string; type: string } | null;

const html = (body: string, status = 200): Answer => ({ status, body, type: "text/html; charset=utf-8" });

const TILE = "pos.home.tile.render";
const MODAL = "pos.home.modal.render";
const DETAILS = "pos.customer-details.block.render";

/** The staff member signed in to POS: the token's `sub` (https://shopify.dev/docs/api/pos-ui-extensions/latest/apis/session-api). */
const STAFF_ID = "1";

export function posRoute(request: PosRequest): Answer {
  const { path: route, method, shop, url } = request;
  if (method !== "GET" || (route !== "/pos" && !route.startsWith("/pos/"))) return null;
  if (route === "/pos/session-token") {
    const token = extensionSessionToken({
      ...request.app,
      shop: shop.domain,
      sub: STAFF_ID,
      now: request.now,
    });
    return { status: 200, body: JSON.stringify({ token }), type: "application/json" };
  }
  const extensions = uiExtensions(request.extensionsDir);
  const customerParam = (name: string) => {
    const id = url.searchParams.get(name);
    return id && shop.customers[id] ? Number(id) : null;
  };
  const frameFor = (target: string, query: Record<string, string>, hidden = false) => {
    const extension = extensions.find((candidate) => candidate.targets.includes(target));
    if (!extension) return "";
    const params = new URLSearchParams({ target, ...query });
    return `<iframe class="extension" name="${escape(frameName(extension, target))}" title="${escape(extension.name)}" ${hidden ? "data-src" : "src"}="/pos/extension?${escape(params.toString())}"></iframe>`;
  };

  if (route === "/pos/extension") {
    const target = url.searchParams.get("target") ?? "";
    const extension = extensions.find((candidate) => candidate.targets.includes(target));
    if (!extension || !target.startsWith("pos.")) return html("No extension has that target", 404);
    return html(
      extensionFrame({
        extension,
        target,
        locale: "en",
        tokenUrl: "/pos/session-token",
        config: {
          currency: shop.currencyCode,
          shop: shop.domain,
          customerId: null,
          pos: { cartCustomerId: customerParam("cart"), customerId: customerParam("customer") },
        },
      }),
    );
  }

  const cartCustomer = customerParam("customer");
  const options = Object.values(shop.customers)
    .slice(0, 500)
    .map(
      (c) =>
        `<option value="${c.id}"${Number(c.id) === cartCustomer ? " selected" : ""}>${escape(`${c.firstName} ${c.lastName}`)}</option>`,
    )
    .join("");
  if (route === "/pos") {
    const customer = cartCustomer ? shop.customers[String(cartCustomer)] : undefined;
    const query = { cart: cartCustomer ? String(cartCustomer) : "" };
    return html(
      page(
        shop,
        "Point of Sale",
        `<section class="card"><h2>Cart</h2>
<form method="get" action="/pos"><label>Customer <select name="customer" onchange="this.form.submit()"><option value="">None</option>${options}</select></label></form>
${customer ? `<p><a href="/pos/customers/${customer.id}">Customer details: ${escape(`${customer.firstName} ${customer.lastName}`)}</a></p>` : ""}
<p>Discount codes: <span id="cart-codes">none</span></p></section>
<section class="grid" aria-label="Smart grid">${frameFor(TILE, query)}</section>
<div id="modal" hidden role="dialog" aria-label="App"><div class="sheet"><button type="button" id="close-modal">Close</button>${frameFor(MODAL, query, true)}</div></div>
<p id="toast" role="status"></p>`,
      ),
    );
  }
  const details = /^\/pos\/customers\/(\d+)$/.exec(route);
  if (details) {
    const customer = shop.customers[details[1]!];
    if (!customer) return html("Not Found", 404);
    return html(
      page(
        shop,
        `${customer.firstName} ${customer.lastName}`,
        `<section class="card"><p>${escape(customer.email)}</p><p><a href="/pos?customer=${customer.id}">Back to the cart</a></p><p>Discount codes: <span id="cart-codes">none</span></p></section>
${frameFor(DETAILS, { customer: customer.id, cart: customer.id })}
<p id="toast" role="status"></p>`,
      ),
    );
  }
  return null;
}

function page(shop: ShopState, title: string, content: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · ${escape(shop.name)} POS</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;margin:0;color:#303030;background:#e3e3e3}header{padding:.75rem 1.5rem;background:#1a1a1a;color:#fff}main{max-width:880px;margin:0 auto;padding:1rem;display:grid;gap:1rem}.card{background:#fff;border-radius:12px;padding:16px}.grid iframe{width:260px;height:110px;border:0;background:#fff;border-radius:12px}iframe.extension{width:100%;border:0;display:block;min-height:40px}#modal{position:fixed;inset:0;background:rgba(0,0,0,.4);display:grid;place-items:center}#modal[hidden]{display:none}.sheet{background:#fff;border-radius:12px;padding:16px;width:min(560px,92vw);max-height:90vh;overflow:auto}</style>
</head><body><header><strong>${escape(shop.name)}</strong> · POS</header><main><h1>${escape(title)}</h1>${content}</main>${FRAME_SIZER}
<script>
// The POS host's side of the extensions' Cart, Action and Toast APIs.
const codes = [];
addEventListener("message", (event) => {
  const ask = event.data && event.data.regularsPos;
  if (event.origin !== location.origin || !ask) return;
  if (ask.type === "addCartCodeDiscount") {
    codes.push(ask.code);
    document.getElementById("cart-codes").textContent = codes.join(", ");
  } else if (ask.type === "presentModal") {
    const modal = document.getElementById("modal");
    const frame = modal.querySelector("iframe");
    frame.src = frame.dataset.src;
    modal.hidden = false;
  } else if (ask.type === "toast") {
    document.getElementById("toast").textContent = ask.message;
  }
  event.source.postMessage({ regularsPosDone: ask.id }, location.origin);
});
document.getElementById("close-modal")?.addEventListener("click", () => { document.getElementById("modal").hidden = true; });
</script></body></html>`;
}
