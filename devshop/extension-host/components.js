/**
 * Minimal renderings of the Polaris web components Regulars' UI extensions use, as custom
 * elements for devshop's customer accounts: enough to read text, headings, badges, progress and
 * lists, and to click buttons and links. The extension (Preact) owns each element's children
 * (light DOM); these draw around them in a shadow root with a <slot>, from the attributes Preact
 * sets (`heading`, `tone`, `disabled`, `loading`, `command`, `commandfor`, `href`...). Shopify
 * draws the real ones (https://shopify.dev/docs/api/customer-account-ui-extensions/latest/polaris-web-components).
 */

const GAPS = {
  none: "0",
  "small-500": "2px",
  "small-400": "2px",
  "small-300": "4px",
  "small-200": "6px",
  "small-100": "8px",
  small: "8px",
  base: "12px",
  large: "20px",
  "large-100": "24px",
  "large-200": "32px",
};
const TONES = { critical: "#b42318", warning: "#8a6100", success: "#1a7f37", info: "#1f4fa3" };

const escape = (value) =>
  String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );

/** A custom element drawn from its attributes around its slotted children. */
function define(name, { observed = [], draw, setup }) {
  if (customElements.get(name)) return;
  customElements.define(
    name,
    class extends HTMLElement {
      static observedAttributes = observed;
      connectedCallback() {
        if (!this.shadowRoot) {
          this.attachShadow({ mode: "open" });
          setup?.(this);
        }
        this.shadowRoot.innerHTML = draw(this);
      }
      attributeChangedCallback() {
        if (this.shadowRoot) this.shadowRoot.innerHTML = draw(this);
      }
    },
  );
}

/** @param {{ resolveUrl: (url: string) => string, navigate: (url: string) => void }} host */
export function defineComponents(host) {
  const attr = (element, name) => element.getAttribute(name);

  define("s-page", {
    observed: ["heading", "subheading"],
    draw: (e) =>
      `<style>:host{display:block}h1{font-size:1.6rem;margin:0 0 1rem}</style>${attr(e, "heading") ? `<h1>${escape(attr(e, "heading"))}</h1>` : ""}<slot></slot>`,
  });
  define("s-section", {
    observed: ["heading"],
    draw: (e) =>
      `<style>:host{display:block;border:1px solid #e1e3e5;border-radius:12px;padding:16px;background:#fff}h2{font-size:1.1rem;margin:0 0 .75rem}</style><section>${attr(e, "heading") ? `<h2>${escape(attr(e, "heading"))}</h2>` : ""}<slot></slot></section>`,
  });
  define("s-stack", {
    observed: ["direction", "gap", "alignitems", "justifycontent"],
    draw: (e) => {
      const inline = attr(e, "direction") === "inline";
      return `<style>:host{display:flex;flex-direction:${inline ? "row" : "column"};${inline ? "flex-wrap:wrap;" : ""}gap:${GAPS[attr(e, "gap") ?? "none"] ?? "0"};align-items:${attr(e, "alignitems") === "center" ? "center" : "stretch"};justify-content:${attr(e, "justifycontent") ?? "flex-start"}}</style><slot></slot>`;
    },
  });
  define("s-heading", {
    draw: () => `<style>:host{display:block;font-size:1.4rem;font-weight:650}</style><slot></slot>`,
  });
  define("s-text", {
    observed: ["type", "color", "tone"],
    draw: (e) =>
      `<style>:host{display:inline;${attr(e, "type") === "strong" ? "font-weight:650;" : ""}${attr(e, "color") === "subdued" ? "color:#616161;" : ""}${TONES[attr(e, "tone")] ? `color:${TONES[attr(e, "tone")]};` : ""}}</style><slot></slot>`,
  });
  define("s-paragraph", {
    draw: () => `<style>:host{display:block;margin:.25rem 0}</style><slot></slot>`,
  });
  define("s-badge", {
    draw: () =>
      `<style>:host{display:inline-block;align-self:flex-start;padding:2px 10px;border-radius:999px;background:#e4e5e7;font-size:.85rem;font-weight:550}</style><slot></slot>`,
  });
  define("s-progress", {
    observed: ["value", "max", "accessibilitylabel"],
    draw: (e) =>
      `<style>:host{display:block}progress{width:100%;height:10px;accent-color:#303030}</style><progress max="${escape(attr(e, "max") ?? "1")}" value="${escape(attr(e, "value") ?? "0")}" aria-label="${escape(attr(e, "accessibilitylabel") ?? "")}"></progress>`,
  });
  define("s-banner", {
    observed: ["heading", "tone"],
    draw: (e) => {
      const color = TONES[attr(e, "tone")] ?? TONES.info;
      return `<style>:host{display:block;border-left:4px solid ${color};background:#f6f6f7;border-radius:8px;padding:12px 16px}strong{display:block;color:${color};margin-bottom:6px}</style><div role="${attr(e, "tone") === "critical" ? "alert" : "status"}">${attr(e, "heading") ? `<strong>${escape(attr(e, "heading"))}</strong>` : ""}<slot></slot></div>`;
    },
  });
  define("s-spinner", {
    observed: ["accessibilitylabel"],
    draw: (e) => `<span role="status" aria-label="${escape(attr(e, "accessibilitylabel") ?? "")}">…</span>`,
  });
  define("s-unordered-list", {
    draw: () => `<style>:host{display:block;padding-left:1.25rem}</style><slot></slot>`,
  });
  define("s-list-item", {
    draw: () => `<style>:host{display:list-item;list-style:disc;margin:.2rem 0}</style><slot></slot>`,
  });
  define("s-divider", { draw: () => `<hr>` });
  define("s-scroll-box", {
    draw: () => `<style>:host{display:block;overflow:auto}</style><slot></slot>`,
  });
  // POS: a block on a details screen, and a tile on the smart grid (heading, subheading, disabled).
  define("s-pos-block", {
    observed: ["heading"],
    draw: (e) =>
      `<style>:host{display:block;border:1px solid #e1e3e5;border-radius:12px;padding:16px;background:#fff}h2{font-size:1.1rem;margin:0 0 .75rem}</style>${attr(e, "heading") ? `<h2>${escape(attr(e, "heading"))}</h2>` : ""}<slot></slot>`,
  });
  define("s-tile", {
    observed: ["heading", "subheading", "disabled"],
    draw: (e) =>
      `<style>:host{display:block}button{font:inherit;text-align:left;width:100%;min-height:90px;padding:14px;border-radius:12px;border:1px solid #c9cccf;background:#fff;cursor:pointer}button:disabled{opacity:.55;cursor:default}strong{display:block;font-size:1.05rem}span{color:#616161}</style><button part="button" ${e.hasAttribute("disabled") ? "disabled" : ""}><strong>${escape(attr(e, "heading") ?? "")}</strong><span>${escape(attr(e, "subheading") ?? "")}</span></button>`,
    setup: (e) =>
      e.addEventListener(
        "click",
        (event) => {
          if (e.hasAttribute("disabled")) event.stopImmediatePropagation();
        },
        { capture: true },
      ),
  });
  // What the copy command copies: its `text`; it says so with a `copy` event.
  define("s-clipboard-item", { draw: () => `<style>:host{display:none}</style>` });
  define("s-link", {
    observed: ["href"],
    draw: (e) =>
      `<style>a{color:#1f4fa3;cursor:pointer}</style><a href="${escape(host.resolveUrl(attr(e, "href") ?? ""))}" target="_top"><slot></slot></a>`,
    // The customer accounts page navigates, not the extension's frame (Shopify's navigation API).
    setup: (e) =>
      e.addEventListener("click", (event) => {
        if (!attr(e, "href")) return;
        event.preventDefault();
        host.navigate(attr(e, "href"));
      }),
  });
  define("s-button", {
    observed: ["disabled", "loading", "variant", "accessibilitylabel"],
    draw: (e) => {
      const off = e.hasAttribute("disabled") || e.hasAttribute("loading");
      const primary = attr(e, "variant") === "primary";
      return `<style>button{font:inherit;padding:6px 14px;border-radius:8px;border:1px solid #8a8a8a;background:${primary ? "#303030" : "#fff"};color:${primary ? "#fff" : "#303030"};cursor:pointer}button:disabled{opacity:.5;cursor:default}</style><button part="button" ${off ? "disabled" : ""} aria-label="${escape(attr(e, "accessibilitylabel") ?? "")}">${e.hasAttribute("loading") ? "… " : ""}<slot></slot></button>`;
    },
    setup: (e) => {
      // A click on a disabled button does not reach the extension's onClick.
      e.addEventListener(
        "click",
        (event) => {
          if (e.hasAttribute("disabled") || e.hasAttribute("loading")) {
            event.stopImmediatePropagation();
            return;
          }
          const command = attr(e, "command");
          const target = attr(e, "commandfor") && document.getElementById(attr(e, "commandfor"));
          if (command === "--copy" && target) {
            const text = target.getAttribute("text") ?? "";
            // The clipboard may refuse (no permission): the copy event still tells the extension.
            Promise.resolve(navigator.clipboard?.writeText(text))
              .catch(() => undefined)
              .then(() => target.dispatchEvent(new Event("copy")));
          }
          if (attr(e, "href")) host.navigate(attr(e, "href"));
        },
        { capture: true },
      );
    },
  });
}
