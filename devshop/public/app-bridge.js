/*
 * A local stand-in for Shopify's App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js),
 * served by the devshop simulator so an embedded page requests nothing outside localhost.
 * It does what the app relies on: session tokens from the admin frame (postMessage),
 * `Authorization: Bearer` on the app's own fetches (and one retry when the app asks for a
 * fresh token), the session-token bounce page, and the ui-* elements (nav menu in the admin's
 * sidebar, title bar, save bar, modal) plus shopify.toast / loading / modal / saveBar, and
 * shopify.scopes (query, request, revoke: the admin frame shows the permission grant modal).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var apiKey = script && script.getAttribute("data-api-key");
  var adminOrigin = new URL(script.src).origin;
  var params = new URLSearchParams(location.search);
  var parentWindow = window.parent !== window ? window.parent : null;
  var pending = new Map();
  var scopeCalls = new Map();
  var seq = 0;
  var cached = null;

  function claims(token) {
    var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part));
  }
  function remember(token) {
    cached = { token: token, exp: claims(token).exp };
    return token;
  }
  try {
    if (params.get("id_token")) remember(params.get("id_token"));
  } catch {
    cached = null;
  }

  function idToken() {
    if (cached && cached.exp - 10 > Date.now() / 1000) return Promise.resolve(cached.token);
    if (!parentWindow) return Promise.reject(new Error("App Bridge: the app is not embedded in an admin"));
    return new Promise(function (resolve) {
      var id = ++seq;
      pending.set(id, function (token) {
        resolve(remember(token));
      });
      parentWindow.postMessage({ type: "devshop:idToken", id: id }, adminOrigin);
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== adminOrigin) return;
    var message = event.data || {};
    if (message.type === "devshop:idToken" && pending.has(message.id)) {
      pending.get(message.id)(message.token);
      pending.delete(message.id);
    }
    if (message.type === "devshop:scopes" && scopeCalls.has(message.id)) {
      var call = scopeCalls.get(message.id);
      scopeCalls.delete(message.id);
      if (message.error) call.reject(new Error(message.error));
      else call.resolve(message.answer);
    }
    if (message.type === "devshop:navigate") {
      var link = document.querySelector('ui-nav-menu a[href="' + message.href + '"]');
      if (link) link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    }
  });

  // The session-token bounce page: come back with a fresh token.
  if (params.get("shopify-reload")) {
    idToken().then(function (token) {
      var target = new URL(params.get("shopify-reload"), location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }
  // The exit-iframe page: leave the frame.
  if (params.get("exitIframe")) window.open(params.get("exitIframe"), "_top");

  // Authenticated fetch to the app's own origin, as App Bridge does
  // (https://shopify.dev/docs/api/app-home/apis/authentication-and-data/resource-fetching-api).
  // Only fetch: a link, a form or a new tab reaches the app with no token, in Shopify as here
  // (tests/e2e/admin-data.e2e.test.ts relies on it).
  var realFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin !== location.origin) return realFetch(input, init);
    var send = function (token, request) {
      var headers = new Headers(
        (init && init.headers) || (request instanceof Request ? request.headers : undefined),
      );
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      if (request instanceof Request) return realFetch(new Request(request, { headers: headers }));
      return realFetch(request, Object.assign({}, init, { headers: headers }));
    };
    var spare = input instanceof Request ? input.clone() : input;
    return idToken().then(function (token) {
      return send(token, input).then(function (response) {
        if (response.headers.get("X-Shopify-Retry-Invalid-Session-Request") !== "1") return response;
        cached = null;
        return idToken().then(function (fresh) {
          return send(fresh, spare);
        });
      });
    });
  };

  // Where the app is, for the admin's address bar.
  function reportLocation() {
    if (parentWindow)
      parentWindow.postMessage(
        { type: "devshop:location", path: location.pathname + location.search },
        adminOrigin,
      );
  }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      reportLocation();
      return result;
    };
  });
  window.addEventListener("popstate", reportLocation);

  // Nothing is added to the page's DOM before React hydrates it (that would be a hydration
  // mismatch): page-wide styles are an adopted sheet, the ui-* elements draw in shadow roots.
  function sheet(css) {
    var result = new CSSStyleSheet();
    result.replaceSync(css);
    return result;
  }
  document.adoptedStyleSheets = document.adoptedStyleSheets.concat([
    sheet(
      "#devshop-toasts{position:fixed;bottom:16px;left:50%;transform:translateX(-50%);z-index:800;display:grid;gap:8px}" +
        ".devshop-toast{background:#1a1a1a;color:#fff;padding:10px 16px;border-radius:8px;font:14px system-ui,sans-serif}" +
        ".devshop-toast[data-error=true]{background:#8e1f0b}",
    ),
  ]);
  function shadow(element, css, html) {
    var root = element.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [sheet(css)];
    root.innerHTML = html;
    return root;
  }
  function define(name, behaviour) {
    if (!customElements.get(name)) customElements.define(name, behaviour);
  }
  function opener(element) {
    element.show = function () {
      element.setAttribute("data-open", "");
      element.dispatchEvent(new Event("show"));
      return Promise.resolve();
    };
    element.hide = function () {
      if (!element.hasAttribute("data-open")) return Promise.resolve();
      element.removeAttribute("data-open");
      element.dispatchEvent(new Event("hide"));
      return Promise.resolve();
    };
    element.toggle = function () {
      return element.hasAttribute("data-open") ? element.hide() : element.show();
    };
  }
  define(
    "ui-save-bar",
    class extends HTMLElement {
      constructor() {
        super();
        opener(this);
        shadow(
          this,
          ":host{display:none;position:fixed;top:0;left:0;right:0;z-index:600;gap:8px;align-items:center;" +
            "padding:8px 16px;background:#1a1a1a;color:#fff;font:600 14px system-ui,sans-serif}" +
            ":host([data-open]){display:flex}span{flex:1}",
          "<span>Unsaved changes</span><slot></slot>",
        );
      }
    },
  );
  define(
    "ui-modal",
    class extends HTMLElement {
      constructor() {
        super();
        opener(this);
        var root = shadow(
          this,
          ":host{display:none}:host([data-open]){display:grid;place-items:center;position:fixed;inset:0;z-index:700;" +
            "background:rgba(0,0,0,.45)}[role=dialog]{background:#fff;border-radius:12px;padding:16px;min-width:320px;max-width:90vw}",
          '<div role="dialog" aria-modal="true"><div class="content"></div><slot></slot></div>',
        );
        // Where React portals the modal's content (App Bridge's modal.content).
        this.content = root.querySelector(".content");
      }
    },
  );
  define(
    "ui-title-bar",
    class extends HTMLElement {
      static get observedAttributes() {
        return ["title"];
      }
      constructor() {
        super();
        this.root = shadow(
          this,
          ":host{display:flex;gap:8px;align-items:center;padding:8px 0;font:600 14px system-ui,sans-serif}strong{flex:1}",
          "<strong></strong><slot></slot>",
        );
      }
      attributeChangedCallback() {
        this.root.querySelector("strong").textContent = this.getAttribute("title") || "";
        this.publish();
      }
      connectedCallback() {
        this.publish();
      }
      // A page's title bar is drawn by the admin above the app, not in the page: the title goes
      // to the admin frame (https://shopify.dev/docs/api/app-home/app-bridge-web-components/title-bar).
      // A modal's title bar stays in the modal, with its buttons.
      publish() {
        if (!this.isConnected || this.closest("ui-modal")) return;
        this.style.display = "none";
        if (parentWindow)
          parentWindow.postMessage(
            { type: "devshop:title", title: this.getAttribute("title") || "" },
            adminOrigin,
          );
      }
    },
  );
  define(
    "ui-nav-menu",
    class extends HTMLElement {
      constructor() {
        super();
        // The menu shows in the admin's sidebar, not in the page.
        this.attachShadow({ mode: "open" });
      }
      connectedCallback() {
        var self = this;
        var publish = function () {
          var items = Array.prototype.map.call(self.querySelectorAll("a"), function (a) {
            return {
              label: a.textContent,
              href: a.getAttribute("href"),
              home: a.getAttribute("rel") === "home",
            };
          });
          if (parentWindow) parentWindow.postMessage({ type: "devshop:nav", items: items }, adminOrigin);
        };
        publish();
        new MutationObserver(publish).observe(this, { childList: true, subtree: true, characterData: true });
      }
    },
  );

  function toastHost() {
    var host = document.getElementById("devshop-toasts");
    if (!host) {
      host = document.createElement("div");
      host.id = "devshop-toasts";
      host.setAttribute("role", "status");
      host.setAttribute("aria-live", "polite");
      document.body.appendChild(host);
    }
    return host;
  }
  /** shopify.modal / shopify.saveBar: show, hide or toggle the element with that id. */
  function openers() {
    var call = function (method) {
      return function (id) {
        var element = document.getElementById(id);
        return element ? element[method]() : Promise.resolve();
      };
    };
    return { show: call("show"), hide: call("hide"), toggle: call("toggle") };
  }

  /**
   * shopify.scopes: query() resolves to { granted, required, optional }; request(scopes) opens the
   * admin's permission grant modal and resolves to { result: "granted-all" | "declined-all", detail };
   * revoke(scopes) resolves to { detail } (ScopesDetail and friends in @shopify/app-bridge-types).
   */
  function scopesCall(action, scopes) {
    if (!parentWindow) return Promise.reject(new Error("App Bridge: the app is not embedded in an admin"));
    return new Promise(function (resolve, reject) {
      var id = ++seq;
      scopeCalls.set(id, { resolve: resolve, reject: reject });
      parentWindow.postMessage(
        { type: "devshop:scopes", id: id, action: action, scopes: scopes || [] },
        adminOrigin,
      );
    });
  }

  window.shopify = {
    config: {
      apiKey: apiKey,
      shop: params.get("shop"),
      host: params.get("host"),
      locale: params.get("locale") || "en",
    },
    environment: { embedded: Boolean(parentWindow), mobile: false, pos: false },
    origin: adminOrigin,
    idToken: idToken,
    user: function () {
      return Promise.resolve({ name: "Demo Owner", accountAccess: "Account owner" });
    },
    loading: function (on) {
      document.documentElement.setAttribute("data-loading", on ? "true" : "false");
    },
    toast: {
      show: function (message, options) {
        var toast = document.createElement("div");
        toast.className = "devshop-toast";
        toast.setAttribute("data-error", options && options.isError ? "true" : "false");
        toast.textContent = message;
        toastHost().appendChild(toast);
        setTimeout(
          function () {
            toast.remove();
          },
          (options && options.duration) || 5000,
        );
        return String(++seq);
      },
      hide: function () {},
    },
    modal: openers(),
    scopes: {
      query: function () {
        return scopesCall("query");
      },
      request: function (scopes) {
        return scopesCall("request", scopes);
      },
      revoke: function (scopes) {
        return scopesCall("revoke", scopes);
      },
    },
    saveBar: Object.assign(openers(), {
      leaveConfirmation: function () {
        return Promise.resolve();
      },
    }),
  };
  reportLocation();
})();
