/**
 * The Shopify admin's frame around an embedded app: the app's URL loaded in
 * an iframe with `embedded=1`, `shop`, `host` (base64 of the admin's store
 * path, as Shopify sends it), `locale` (the staff member's language:
 * https://shopify.dev/tutorials/update-your-app-to-support-localization), `timestamp`, an
 * `id_token` and Shopify's `hmac` over the other parameters; a sidebar filled from the app's
 * <ui-nav-menu> (on a phone, a strip above the app, which then has the full width, as in
 * Shopify's mobile admin);
 * session tokens handed to App Bridge (the stand-in in public/) on request;
 * and App Bridge's scopes API: the granted scopes on query, and for a request
 * the permission grant modal, whose answer goes to /admin/app-scopes
 * (https://shopify.dev/docs/api/app-home/apis/scopes).
 */
import { createHmac } from "node:crypto";
import { sessionToken, type AppCredentials } from "./tokens";
import { escapeHtml as escape } from "./html";

/** The URL the admin loads in the app's iframe. */
export function embeddedAppUrl(input: {
  app: AppCredentials;
  appUrl: string;
  shop: string;
  path: string;
  now: Date;
  /** The staff member's language; English unless given. */
  locale?: string;
}): string {
  const storeName = input.shop.replace(/\.myshopify\.com$/, "");
  const url = new URL(input.path || "/app", input.appUrl);
  const params = new URLSearchParams(url.search);
  params.set("embedded", "1");
  // Shopify's host parameter: base64 of the admin's store path (the library accepts Shopify's domains only).
  params.set("host", Buffer.from(`admin.shopify.com/store/${storeName}`).toString("base64"));
  params.set("id_token", sessionToken(input.app, input.shop, input.now));
  params.set("locale", input.locale ?? "en");
  params.set("shop", input.shop);
  params.set("timestamp", String(Math.floor(input.now.getTime() / 1000)));
  const message = [...params.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join("&");
  params.set("hmac", createHmac("sha256", input.app.apiSecret).update(message).digest("hex"));
  url.search = params.toString();
  return url.toString();
}

export function adminFramePage(input: {
  shop: string;
  shopName: string;
  appName: string;
  appHandle: string;
  appOrigin: string;
  iframeSrc: string;
}): string {
  const storeName = input.shop.replace(/\.myshopify\.com$/, "");
  const base = `/store/${storeName}/apps/${input.appHandle}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(input.appName)} · ${escape(input.shopName)} · devshop admin</title>
<style>body{margin:0;font-family:system-ui,sans-serif;display:grid;grid-template-columns:220px 1fr;grid-template-rows:48px 1fr;height:100vh;background:#f1f1f1}
header{grid-column:1/3;display:flex;align-items:center;gap:12px;padding:0 16px;background:#1a1a1a;color:#fff}header a{color:#cfc}
nav{padding:12px;border-right:1px solid #ddd;background:#ebebeb}nav ul{list-style:none;padding:0;margin:8px 0}nav a{display:block;padding:6px 8px;border-radius:6px;color:#222;text-decoration:none;cursor:pointer}nav a:hover{background:#ddd}
iframe{border:0;width:100%;height:100%;background:#fff}
#scopes-modal{position:fixed;inset:0;display:none;place-items:center;background:rgba(0,0,0,.45);z-index:10}#scopes-modal[data-open]{display:grid}
#scopes-modal [role=dialog]{background:#fff;border-radius:12px;padding:16px 20px;max-width:420px}
@media (max-width:768px){body{grid-template-columns:minmax(0,1fr);grid-template-rows:48px auto 1fr}header{grid-column:1;overflow:hidden;white-space:nowrap}nav{border-right:0;border-bottom:1px solid #ddd;padding:4px 8px;min-width:0}nav>strong{display:none}nav ul{display:flex;gap:4px;margin:0;overflow-x:auto}nav a{white-space:nowrap}}</style></head>
<body><header><strong>devshop admin</strong><span>${escape(input.shopName)}</span><strong id="app-title" aria-live="polite"></strong><a href="/">Online store</a><a href="/devshop">Simulator</a></header>
<nav aria-label="App navigation"><strong>${escape(input.appName)}</strong><ul id="app-nav"></ul></nav>
<main><iframe id="app-iframe" name="app-iframe" title="${escape(input.appName)}" src="${escape(input.iframeSrc)}"></iframe></main>
<div id="scopes-modal"><div role="dialog" aria-modal="true" aria-labelledby="scopes-title"><h2 id="scopes-title">${escape(input.appName)} is requesting access</h2>
<p>It wants to add these permissions:</p><ul id="scopes-list"></ul>
<button type="button" id="scopes-decline">Decline</button> <button type="button" id="scopes-grant">Grant access</button></div></div>
<script>
const appOrigin = ${JSON.stringify(input.appOrigin)};
const frame = document.getElementById("app-iframe");
window.addEventListener("message", async (event) => {
  if (event.origin !== appOrigin) return;
  const message = event.data || {};
  if (message.type === "devshop:idToken") {
    const answer = await fetch("/admin/session-token?shop=${encodeURIComponent(input.shop)}");
    const { token } = await answer.json();
    event.source.postMessage({ type: "devshop:idToken", id: message.id, token }, appOrigin);
  }
  if (message.type === "devshop:title" && typeof message.title === "string") {
    document.getElementById("app-title").textContent = message.title;
  }
  if (message.type === "devshop:nav") {
    const list = document.getElementById("app-nav");
    list.replaceChildren(...message.items.filter((item) => !item.home).map((item) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.textContent = item.label;
      a.href = ${JSON.stringify(base)} + item.href.replace(/^\\/app/, "");
      a.addEventListener("click", (click) => {
        click.preventDefault();
        frame.contentWindow.postMessage({ type: "devshop:navigate", href: item.href }, appOrigin);
      });
      li.append(a);
      return li;
    }));
  }
  if (message.type === "devshop:scopes") {
    const reply = (answer) => event.source.postMessage({ type: "devshop:scopes", id: message.id, ...answer }, appOrigin);
    const post = (body) =>
      fetch("/admin/app-scopes", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ shop: ${JSON.stringify(input.shop)}, ...body }) });
    const answer = async (response) => {
      const body = await response.json();
      reply(response.ok ? { answer: body } : { error: (body.errors || ["refused"]).join("; ") });
    };
    if (message.action === "query") return answer(await fetch("/admin/app-scopes?shop=${encodeURIComponent(input.shop)}"));
    if (message.action === "revoke") return answer(await post({ action: "revoke", scopes: message.scopes }));
    // The permission grant modal: the merchant accepts or declines every scope asked for.
    const modal = document.getElementById("scopes-modal");
    document.getElementById("scopes-list").replaceChildren(...message.scopes.map((scope) => {
      const li = document.createElement("li");
      li.textContent = scope;
      return li;
    }));
    modal.setAttribute("data-open", "");
    const decide = async (accepted) => {
      modal.removeAttribute("data-open");
      answer(await post({ action: "request", scopes: message.scopes, accepted }));
    };
    document.getElementById("scopes-grant").onclick = () => decide(true);
    document.getElementById("scopes-decline").onclick = () => decide(false);
  }
  if (message.type === "devshop:location" && typeof message.path === "string") {
    const path = message.path.replace(/^\\/app/, "").replace(/[?&](embedded|host|id_token|locale|shop|timestamp|hmac|session)=[^&]*/g, "");
    history.replaceState(null, "", ${JSON.stringify(base)} + path.split("?")[0]);
  }
});
</script></body></html>`;
}
