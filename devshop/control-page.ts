/**
 * The simulator's control page (/devshop): each shop's customers, orders and
 * discount codes, with forms to create customers, place, pay, refund (a line,
 * an amount, the shipping), cancel and edit orders; the theme; Flow workflows
 * on and off; Flow actions run for a customer, with the app's answers; a customer's email marketing consent; the app's granted scopes and protected customer data level;
 * webhook switches (duplicate, delay, reorder) and the delivery log; Admin API
 * faults and the call log. Forms post to the JSON API.
 */
import { ADMIN_FAULTS, type AdminApi } from "./admin-api";
import { flowTriggerExtensions } from "./app-config";
import type { FlowWorkflows } from "./flow";
import { DEFAULT_BLOCK_FILE } from "./admin-resolvers";
import { currentTotals, money } from "./order-math";
import type { ShopState } from "./state";
import type { WebhookDelivery } from "./webhooks";
import { escapeHtml } from "./html";

const e = (value: unknown) => escapeHtml(value ?? "");

/** Languages a staff member can pick (Regulars speaks the first four; others fall back to English). */
const STAFF_LANGUAGES = [
  ["en", "English"],
  ["fr", "Français"],
  ["de", "Deutsch"],
  ["es", "Español"],
  ["fr-CA", "Français (Canada)"],
  ["pt-BR", "Português (Brasil)"],
] as const;

function shopSection(shop: ShopState, adminUrl: string, flow: FlowWorkflows): string {
  const api = `/devshop/api/shops/${encodeURIComponent(shop.domain)}`;
  const customers = Object.values(shop.customers);
  const customerOptions = customers
    .slice(-300)
    .map((c) => `<option value="${c.id}">${e(`${c.firstName} ${c.lastName} <${c.email}>`)}</option>`)
    .join("");
  const productOptions = Object.values(shop.products)
    .map((p) => `<option value="${p.id}">${e(p.title)} (${money(p.price)})</option>`)
    .join("");
  const orders = Object.values(shop.orders)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .slice(0, 25)
    .map((o) => {
      const customer = o.customerId ? shop.customers[o.customerId] : undefined;
      const line = o.lines.find((l) => l.currentQuantity > 0);
      return `<tr><td>#${o.number}</td><td>${e(customer?.email ?? "guest")}</td><td>${o.processedAt.slice(0, 10)}</td>
<td>${o.financialStatus}${o.cancelledAt ? " · cancelled" : ""}</td><td>${money(currentTotals(o).total)}</td><td>${e(o.discountCodes.map((d) => d.code).join(", "))}</td>
<td>${o.financialStatus === "pending" ? `<form method="post" action="${api}/orders/${o.id}/pay"><button>Pay</button></form>` : ""}
${line && !o.cancelledAt && o.financialStatus !== "pending" ? `<form method="post" action="${api}/orders/${o.id}/refund"><input type="hidden" name="lineItemId" value="${line.id}"><input type="hidden" name="quantity" value="1"><button>Refund 1 × ${e(line.title)}</button></form>` : ""}
${!o.cancelledAt && ["paid", "partially_refunded"].includes(o.financialStatus) ? `<form method="post" action="${api}/orders/${o.id}/refund"><input name="amount" size="6" placeholder="5.00" required><button>Refund amount</button></form><form method="post" action="${api}/orders/${o.id}/refund"><input type="hidden" name="shipping" value="true"><button>Refund shipping</button></form>` : ""}
${line && !o.cancelledAt ? `<form method="post" action="${api}/orders/${o.id}/edit"><input type="hidden" name="lineItemId" value="${line.id}"><input type="hidden" name="quantity" value="${line.currentQuantity + 1}"><button>Edit: +1 ${e(line.title)}</button></form>` : ""}
${!o.cancelledAt ? `<form method="post" action="${api}/orders/${o.id}/cancel"><button>Cancel</button></form>` : ""}</td></tr>`;
    })
    .join("");
  const discounts = Object.values(shop.discounts)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 25)
    .map(
      (d) =>
        `<tr><td><code>${e(d.code)}</code></td><td>${e(d.customerIds.map((id) => shop.customers[id]?.email ?? id).join(", "))}</td><td>${e(d.endsAt?.slice(0, 16) ?? "never")}</td><td>${d.usedBy.length}/${d.usageLimit ?? "∞"}</td></tr>`,
    )
    .join("");
  return `<section><h2>${e(shop.name)} <small>${e(shop.domain)}</small></h2>
<p>${shop.installation.installed ? `<a href="${e(adminUrl)}">Open the app in the admin</a>` : "App not installed"} · <a href="/">Online store</a> ·
${customers.length} customers · ${Object.keys(shop.orders).length} orders · ${Object.keys(shop.discounts).length} discount codes</p>
<div class="forms">
<form method="post" action="${api}/customers"><h3>New customer</h3><input name="firstName" placeholder="First name" required><input name="lastName" placeholder="Last name" required><input name="email" type="email" placeholder="Email" required><button>Create</button></form>
<form method="post" action="${api}/orders"><h3>Place an order</h3><select name="customerId"><option value="">Guest</option>${customerOptions}</select><select name="productId">${productOptions}</select><input name="quantity" type="number" min="1" max="100" value="1"><input name="discountCode" placeholder="Discount code"><label><input type="checkbox" name="paid" value="true" checked> paid</label><button>Place</button></form>
<form method="post" action="${api}/faults"><h3>Admin API fault</h3><select name="fault">${ADMIN_FAULTS.map((fault) => `<option>${fault}</option>`).join("")}</select><button>Queue</button></form>
${customers.length ? `<form method="post" action="${api}/customers/marketing-consent"><h3>Email marketing</h3><select name="customerId">${customerOptions}</select><button name="state" value="subscribed">Subscribe</button><button name="state" value="unsubscribed">Unsubscribe</button></form>` : ""}
${customers.length ? `<form method="post" action="${api}/compliance/customers-data-request"><h3>Privacy request</h3><select name="customerId">${customerOptions}</select><button>Customer asks for their data</button><button formaction="${api}/compliance/customers-redact">Erase the customer's data</button></form>` : ""}
${themeForm(shop, api)}
<form method="post" action="${api}/uninstall"><h3>Uninstall</h3><button>Uninstall the app</button></form>
<form method="post" action="${api}/scopes"><h3>Access scopes</h3><small>Granted: ${e(shop.installation.scopes.replaceAll(",", ", ") || "none")}</small><input name="grant" placeholder="optional scope to grant, e.g. read_all_orders"><input name="revoke" placeholder="optional scope to revoke"><button>Apply (sends app/scopes_update)</button></form>
<form method="post" action="${api}/staff-locale"><h3>Staff language</h3><small>The admin sends it to the app as <code>locale</code></small><select name="locale">${STAFF_LANGUAGES.map(([tag, name]) => `<option value="${tag}"${(shop.staffLocale ?? "en") === tag ? " selected" : ""}>${e(name)}</option>`).join("")}</select><button>Apply</button></form>
<form method="post" action="${api}/protected-data"><h3>Protected customer data</h3><select name="level"><option value="2"${(shop.customerDataLevel ?? 2) === 2 ? " selected" : ""}>Level 2: names, emails, phones, addresses too</option><option value="1"${shop.customerDataLevel === 1 ? " selected" : ""}>Level 1: those fields arrive null</option></select><button>Apply</button></form>
</div>
${workflowsTable(shop, api, flow)}
${actionsSection(shop, api, flow, customerOptions)}
<h3>Orders</h3><table><thead><tr><th>Order</th><th>Customer</th><th>Date</th><th>Status</th><th>Total</th><th>Codes</th><th></th></tr></thead><tbody>${orders}</tbody></table>
<h3>Discount codes</h3><table><thead><tr><th>Code</th><th>For</th><th>Ends</th><th>Used</th></tr></thead><tbody>${discounts}</tbody></table></section>`;
}

/** Flow workflows using each of the app's triggers: on or off (the app hears of it through its lifecycle callback). */
function workflowsTable(shop: ShopState, api: string, flow: FlowWorkflows): string {
  const rows = flowTriggerExtensions()
    .map((trigger) => {
      const on = flow.enabled(shop, trigger.handle);
      const received = shop.flowReceipts.filter((receipt) => receipt.handle === trigger.handle).length;
      return `<tr><td>${e(trigger.name)} <code>${e(trigger.handle)}</code></td><td>${on ? "on" : "off"}</td><td>${received}</td>
<td><form method="post" action="${api}/flow/${encodeURIComponent(trigger.handle)}"><input type="hidden" name="enabled" value="${on ? "false" : "true"}"><button>Turn ${on ? "off" : "on"}</button></form></td></tr>`;
    })
    .join("");
  const callbacks = flow.log
    .filter((record) => record.shop === shop.domain)
    .slice(-5)
    .reverse()
    .map(
      (r) =>
        `${e(r.at.slice(11, 19))} ${e(r.trigger)} ${r.enabled ? "on" : "off"}: ${e(r.answer ?? "no callback")}`,
    )
    .join("<br>");
  return `<h3>Flow workflows</h3><table><thead><tr><th>Trigger</th><th>Workflow</th><th>Events received</th><th></th></tr></thead><tbody>${rows}</tbody></table>
${callbacks ? `<p><small>Lifecycle callbacks: ${callbacks}</small></p>` : ""}`;
}

/**
 * The app's Flow actions: a form per action that runs it for a customer as a workflow does
 * (a signed request to its runtime URL; the same run id sends the same run again), and the
 * last runs with the app's answer (status and body).
 */
function actionsSection(shop: ShopState, api: string, flow: FlowWorkflows, customerOptions: string): string {
  const actions = flow.actions();
  if (actions.length === 0) return "";
  const forms = actions
    .map((action) => {
      const inputs = action.fields
        .filter((field) => field.key !== "customer_id")
        .map(
          (field) =>
            `<label>${e(field.name)} <input name="${e(field.key)}"${field.type === "number_integer" ? ' type="number" step="1"' : ""}${field.required ? " required" : ""}></label>`,
        )
        .join("");
      return `<form method="post" action="${api}/flow-actions/${encodeURIComponent(action.handle)}" data-flow-action="${e(action.handle)}"><h3>${e(action.name)}</h3><select name="customerId" aria-label="Customer">${customerOptions}</select>${inputs}<label>Action run id <input name="actionRunId" placeholder="new run"></label><button>Run</button></form>`;
    })
    .join("");
  const runs = flow.actionLog
    .filter((run) => run.shop === shop.domain)
    .slice(-10)
    .reverse()
    .map(
      (run) =>
        `<tr><td>${e(run.at.slice(11, 19))}</td><td>${e(run.handle)}</td><td><code>${e(run.actionRunId)}</code></td><td data-flow-action-status>${e(run.status)}</td><td><code>${e(typeof run.body === "string" ? run.body : JSON.stringify(run.body))}</code></td></tr>`,
    )
    .join("");
  return `<h3>Flow actions</h3><div class="forms">${forms}</div>
<table><thead><tr><th>At</th><th>Action</th><th>Run id</th><th>Status</th><th>Answer</th></tr></thead><tbody data-flow-action-runs>${runs}</tbody></table>`;
}

/** The main theme: the app embed on or off, where the loyalty block is, how many templates the theme has. */
function themeForm(shop: ShopState, api: string): string {
  const theme = shop.theme ?? { embedActive: false, blockAdded: false };
  const at = theme.blockAdded ? (theme.blockIn ?? DEFAULT_BLOCK_FILE) : "none";
  const places = [
    ["none", "Not added"],
    [DEFAULT_BLOCK_FILE, "Home page template"],
    ["templates/product.json", "Product template"],
    ["sections/header-group.json", "Header group"],
    ["sections/footer-group.json", "Footer group"],
  ];
  const options = places
    .map(([value, label]) => `<option value="${value}"${value === at ? " selected" : ""}>${label}</option>`)
    .join("");
  return `<form method="post" action="${api}/theme"><h3>Theme</h3>
<input type="hidden" name="embedActive" value="false"><label><input type="checkbox" name="embedActive" value="true"${theme.embedActive ? " checked" : ""}> rewards launcher (app embed) on</label>
<label>Loyalty block <select name="blockIn">${options}</select></label>
<label>Alternate product templates <input name="extraTemplates" type="number" min="0" max="1000" value="${theme.extraTemplates ?? 0}"></label><button>Save theme</button></form>`;
}

export function controlPage(input: {
  shops: ShopState[];
  webhooks: WebhookDelivery;
  adminApi: AdminApi;
  flow: FlowWorkflows;
  adminUrl: (shop: string) => string;
}): string {
  const { switches } = input.webhooks;
  const deliveries = input.webhooks.log
    .slice(-30)
    .reverse()
    .map(
      (d) =>
        `<tr><td>${e(d.at.slice(11, 19))}</td><td>${e(d.shop)}</td><td>${e(d.topic)}</td><td>${d.status}</td><td>${d.attempts}</td><td>${e(d.lastStatus)}</td></tr>`,
    )
    .join("");
  const calls = input.adminApi.log
    .slice(-30)
    .reverse()
    .map(
      (c) =>
        `<tr><td>${e(c.at.slice(11, 19))}</td><td>${e(c.shop)}</td><td>${e(c.operation)}</td><td>${e(c.outcome)}</td></tr>`,
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>devshop</title>
<style>body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1rem}table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}td form{display:inline}.forms{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:1rem}.forms form{display:grid;gap:.3rem;border:1px solid #ddd;border-radius:8px;padding:.6rem}h3{margin:.4rem 0}</style></head>
<body><h1>devshop <small>a local Shopify</small></h1>
${input.shops.map((shop) => shopSection(shop, input.adminUrl(shop.domain), input.flow)).join("")}
<section><h2>Webhooks</h2>
<form method="post" action="/devshop/api/webhooks/switches">Send each event <input name="duplicates" type="number" min="1" max="10" value="${switches.duplicates}"> times,
delay <input name="delayMs" type="number" min="0" max="60000" value="${switches.delayMs}"> ms, reverse batches of <input name="reorderBatch" type="number" min="0" max="100" value="${switches.reorderBatch}"> (0 = in order) <button>Apply</button></form>
<table><thead><tr><th>At</th><th>Shop</th><th>Topic</th><th>Status</th><th>Attempts</th><th>Last answer</th></tr></thead><tbody>${deliveries}</tbody></table></section>
<section><h2>Admin API calls</h2><table><thead><tr><th>At</th><th>Shop</th><th>Operation</th><th>Outcome</th></tr></thead><tbody>${calls}</tbody></table></section>
</body></html>`;
}

/** The theme editor a deep link opens: it shows what the link asks for and saves it to the main theme. */
export function themeEditorPage(input: {
  shop: ShopState;
  embed: string | null;
  block: string | null;
  action: string;
}) {
  const what = input.embed
    ? `Activate the app embed <code>${e(input.embed)}</code> in the main theme`
    : input.block
      ? `Add the app block <code>${e(input.block)}</code> to the home page`
      : "Nothing to change";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Theme editor · ${e(input.shop.name)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:640px;margin:3rem auto}button{font-size:1rem;padding:.5rem 1rem}</style></head>
<body><h1>Theme editor <small>devshop</small></h1><p>${what}.</p>
<p>Now: app embed ${input.shop.theme?.embedActive ? "on" : "off"}, app block ${input.shop.theme?.blockAdded ? `in ${e(input.shop.theme.blockIn ?? DEFAULT_BLOCK_FILE)}` : "not added"}.</p>
<form method="post" action="${e(input.action)}"><button>Save</button></form></body></html>`;
}
