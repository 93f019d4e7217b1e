/**
 * Runs one target of a built UI extension in devshop's customer accounts, in the frame devshop
 * gives it (devshop/customer-accounts.ts): defines the `s-*` components (components.js), puts the
 * `shopify` global on the page (shopify-global.js) with session tokens devshop signs for the
 * logged-in customer, loads the extension's script as Shopify CLI built it (it registers its
 * targets with `shopify.extend`), runs the target, and tells the page around it how tall it is.
 * Shopify runs the same script in a sandboxed worker with a remote DOM; here it runs in a frame of
 * its own, so that its `document.body` is its own.
 */
import { createShopifyGlobal } from "./shopify-global.js";
import { defineComponents } from "./components.js";

const config = JSON.parse(document.getElementById("regulars-extension-host").textContent);

/** Shopify's URLs in customer accounts, as devshop's pages (https://shopify.dev/docs/api/customer-account-ui-extensions/latest#custom-protocols). */
function resolveUrl(url) {
  const extension = /^extension:\/\/([\w-]+)\/?(.*)$/.exec(url);
  if (extension) return `${config.accountRoot}/pages/${extension[1]}`;
  const page = /^shopify:customer-account\/(.*)$/.exec(url);
  if (page)
    return page[1] === "profile" || page[1] === "" ? config.accountRoot : `${config.accountRoot}/${page[1]}`;
  return url;
}
const navigate = (url) => {
  window.top.location.href = resolveUrl(url);
};

defineComponents({ resolveUrl, navigate });

/** Asks the page around the frame (devshop's POS screen) to do something, and waits until it has. */
function askPos(ask) {
  const id = Math.random().toString(36).slice(2);
  return new Promise((resolve) => {
    const listen = (event) => {
      if (event.origin !== window.location.origin || !event.data || event.data.regularsPosDone !== id) return;
      window.removeEventListener("message", listen);
      resolve();
    };
    window.addEventListener("message", listen);
    window.parent.postMessage({ regularsPos: { ...ask, id } }, window.location.origin);
  });
}

/** POS's cart, modal and toast, as devshop's POS screen keeps them. */
function posHost(pos) {
  return {
    ...pos,
    addCartCodeDiscount: (code) => askPos({ type: "addCartCodeDiscount", code }),
    presentModal: () => void askPos({ type: "presentModal" }),
    toast: (message) => void askPos({ type: "toast", message }),
  };
}

/** Checkout's answer to a discount code change: the page around the frame asks devshop's checkout. */
function applyDiscountCodeChange(change) {
  const id = Math.random().toString(36).slice(2);
  return new Promise((resolve) => {
    const listen = (event) => {
      const answer = event.data && event.data.regularsDiscountChangeResult;
      if (event.origin !== window.location.origin || !answer || answer.id !== id) return;
      window.removeEventListener("message", listen);
      resolve(answer.result);
    };
    window.addEventListener("message", listen);
    window.parent.postMessage({ regularsDiscountChange: { ...change, id } }, window.location.origin);
  });
}

const { shopify, run } = createShopifyGlobal({
  target: config.target,
  locale: config.locale,
  messages: config.messages,
  defaultMessages: config.defaultMessages,
  currency: config.currency,
  customerId: config.customerId,
  ...(config.order ? { order: config.order } : {}),
  ...(config.orderConfirmation ? { orderConfirmation: config.orderConfirmation } : {}),
  ...(config.checkout ? { checkout: config.checkout, applyDiscountCodeChange } : {}),
  ...(config.pos ? { shop: config.shop, pos: posHost(config.pos) } : {}),
  navigate,
  async getToken() {
    const answer = await fetch(config.tokenUrl, { credentials: "same-origin" });
    if (!answer.ok) throw new Error(`devshop gave no session token (${answer.status})`);
    return (await answer.json()).token;
  },
});
window.shopify = shopify;

// Tell the page around the frame how tall the extension is, as it changes.
const report = () =>
  window.parent.postMessage(
    // The body's own height: the document's would never be less than the frame's, so never shrink.
    { regularsExtensionFrame: config.frame, height: Math.ceil(document.body.getBoundingClientRect().height) },
    window.location.origin,
  );
new ResizeObserver(report).observe(document.body);

const script = document.createElement("script");
script.src = config.script;
script.onload = () => {
  run().then(report, (error) => {
    document.body.textContent = `The extension failed: ${error.message}`;
  });
};
script.onerror = () => {
  document.body.textContent = `No built script at ${config.script}: run npm run build:extensions.`;
};
document.head.append(script);
