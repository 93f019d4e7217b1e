/**
 * devshop's `shopify` global for UI extensions: the documented subset Regulars' extensions use,
 * shared by devshop's customer accounts (host.js, in the browser) and the unit tests (Node with
 * happy-dom). A built extension script calls `shopify.extend(target, run)` for each target it
 * registers (what Shopify CLI's bundle ends with) and, through @shopify/ui-extensions/preact,
 * `shopify.setSignals(signals)`; the host then calls the target's `run`.
 *
 *   extend, setSignals                 registration (the CLI's bundle)
 *   extension.target, extensionPoint   the target being rendered
 *   sessionToken.get()                 a token from `getToken` (devshop signs it server-side)
 *   i18n.translate/formatNumber/formatCurrency/formatDate
 *                                      the extension's locales/ in the buyer's language, falling
 *                                      back to en.default; `count` picks the plural form
 *                                      (https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/localization-api)
 *   localization.language              { isoCode }
 *   authenticatedAccount.customer      { id } of the logged-in customer, or undefined
 *   order                              { id, name } on order targets
 *   navigation.navigate(url)           extension://handle and shopify:customer-account/ URLs
 *   applyDiscountCodeChange(change)    checkout targets (https://shopify.dev/docs/api/checkout-ui-extensions/latest/apis/discounts)
 *   cost.subtotalAmount, buyerIdentity.customer, shop, discountCodes
 *                                      checkout and thank-you targets (https://shopify.dev/docs/api/checkout-ui-extensions/latest/apis)
 *
 *   session.getSessionToken(), cart.current / addCartCodeDiscount, action.presentModal,
 *   toast.show, customer.id           POS targets (https://shopify.dev/docs/api/pos-ui-extensions/latest/apis)
 *
 * Signals are Shopify's SubscribableSignalLike: `{ value, subscribe(fn) }`.
 */

/** A read-only signal-like value: `value` and `subscribe`. */
export function signalLike(initial) {
  const listeners = new Set();
  let current = initial;
  return {
    get value() {
      return current;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** devshop's side: change the value and tell subscribers. */
    set(next) {
      current = next;
      for (const listener of listeners) listener(next);
    },
  };
}

function lookup(messages, key) {
  return key
    .split(".")
    .reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), messages);
}

/**
 * Shopify's translate: the key's string in the extension's locale file, `{{name}}` replaced by the
 * option of that name; with a numeric `count`, an object's plural form for the language
 * (Intl.PluralRules: one, other...). A key missing everywhere answers the key itself, as Shopify does.
 */
export function translator(locale, messages, fallback) {
  const plural = new Intl.PluralRules(locale);
  return (key, options = {}) => {
    let found = lookup(messages, key);
    if (found === undefined) found = lookup(fallback, key);
    if (found && typeof found === "object" && typeof options.count === "number") {
      found = found[plural.select(options.count)] ?? found.other;
    }
    if (typeof found !== "string") return key;
    return found.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name) =>
      options[name] === undefined ? whole : String(options[name]),
    );
  };
}

/** Intl's options without Shopify's own `inExtensionLocale` (one language here: the buyer's). */
function intlOptions(options) {
  const format = { ...options };
  delete format.inExtensionLocale;
  return format;
}

/**
 * @param {object} input
 * @param {string} input.target the extension target rendered, e.g. "customer-account.page.render"
 * @param {string} input.locale the buyer's language, e.g. "fr"
 * @param {Record<string, unknown>} input.messages the extension's locale file for that language
 * @param {Record<string, unknown>} input.defaultMessages its en.default.json
 * @param {() => Promise<string | undefined>} input.getToken a session token for this surface (POS: undefined without the app's permission)
 * @param {string} [input.currency] the shop's currency (formatCurrency's default)
 * @param {string} [input.shop] the shop's myshopify domain
 * @param {string | null} [input.customerId] the logged-in customer's GID
 * @param {{ id: string, name: string } | null} [input.order] the order an order target shows
 * @param {{ order: { id: string }, number?: string, isFirstOrder: boolean }} [input.orderConfirmation]
 *   the thank-you target's order (OrderConfirmationApi:
 *   https://shopify.dev/docs/api/checkout-ui-extensions/latest/apis/order-confirmation)
 * @param {(url: string) => void} [input.navigate]
 * @param {(change: { type: string, code: string }) => Promise<{ type: string, message?: string }>} [input.applyDiscountCodeChange]
 * @param {{ subtotal: { amount: number, currencyCode: string }, shop: { name: string, storefrontUrl: string, myshopifyDomain: string }, discountCodes?: string[] }} [input.checkout]
 *   checkout and thank-you targets: the checkout's subtotal, the shop, the codes applied
 * @param {{ cartCustomerId: number | null, customerId?: number, addCartCodeDiscount: (code: string) => Promise<void>, presentModal: () => void, toast: (message: string) => void }} [input.pos]
 *   POS targets: the cart's customer, the customer details screen's, and the host's cart and modal
 */
export function createShopifyGlobal(input) {
  const registered = new Map();
  const locale = input.locale;
  const formatNumber = (number, options = {}) => {
    return new Intl.NumberFormat(locale, intlOptions(options)).format(number);
  };
  const shopify = {
    extend(target, run) {
      registered.set(target, run);
    },
    setSignals() {
      // The host's signals are signal-likes of their own; the extension's Preact signals need nothing more here.
    },
    extensionPoint: input.target,
    extension: {
      target: input.target,
      apiVersion: "2026-07",
      capabilities: signalLike(["network_access"]),
      rendered: signalLike(true),
      scriptUrl: "",
    },
    sessionToken: { get: () => input.getToken() },
    i18n: {
      translate: translator(locale, input.messages, input.defaultMessages),
      formatNumber,
      formatCurrency: (number, options = {}) =>
        formatNumber(number, {
          style: "currency",
          currency: options.currency ?? input.currency ?? "USD",
          ...options,
        }),
      formatDate: (date, options = {}) => new Intl.DateTimeFormat(locale, intlOptions(options)).format(date),
    },
    localization: {
      language: signalLike({ isoCode: locale }),
      extensionLanguage: signalLike({ isoCode: locale }),
      country: signalLike(undefined),
    },
    authenticatedAccount: {
      customer: signalLike(input.customerId ? { id: input.customerId } : undefined),
      purchasingCompany: signalLike(undefined),
    },
    navigation: {
      navigate: (url) => input.navigate?.(url),
    },
    settings: signalLike({}),
    storage: {
      read: async () => null,
      write: async () => undefined,
      delete: async () => undefined,
    },
  };
  if (input.order !== undefined) shopify.order = signalLike(input.order ?? undefined);
  if (input.orderConfirmation) shopify.orderConfirmation = signalLike(input.orderConfirmation);
  if (input.checkout) {
    const discountCodes = signalLike((input.checkout.discountCodes ?? []).map((code) => ({ code })));
    Object.assign(shopify, {
      cost: {
        subtotalAmount: signalLike(input.checkout.subtotal),
        totalAmount: signalLike(input.checkout.subtotal),
      },
      buyerIdentity: { customer: shopify.authenticatedAccount.customer, email: signalLike(undefined) },
      shop: { id: "gid://shopify/Shop/1", ...input.checkout.shop },
      discountCodes,
    });
    if (input.applyDiscountCodeChange) {
      // The host says whether the checkout took the code; the extension sees the codes change.
      shopify.applyDiscountCodeChange = async (change) => {
        const result = await input.applyDiscountCodeChange(change);
        if (result.type === "success" && change.type === "addDiscountCode") {
          discountCodes.set([
            ...discountCodes.value.filter((d) => d.code !== change.code),
            { code: change.code },
          ]);
        }
        return result;
      };
    }
  }
  if (input.pos) {
    const pos = input.pos;
    const cart = signalLike({
      customer: pos.cartCustomerId ? { id: pos.cartCustomerId } : undefined,
      lineItems: [],
      cartDiscounts: [],
    });
    Object.assign(shopify, {
      session: {
        getSessionToken: () => input.getToken(),
        currentSession: { shopDomain: input.shop ?? "", locationId: 1, staffMemberId: 1 },
        staffMember: signalLike(undefined),
        deviceId: 1,
      },
      cart: {
        current: cart,
        addCartCodeDiscount: async (code) => {
          await pos.addCartCodeDiscount(code);
          cart.set({ ...cart.value, cartDiscounts: [...cart.value.cartDiscounts, { code }] });
        },
      },
      action: { presentModal: () => pos.presentModal() },
      toast: { show: (message) => pos.toast(message) },
      ...(pos.customerId ? { customer: { id: pos.customerId } } : {}),
    });
  }
  return {
    shopify,
    /** Runs the target the script registered; throws when it registered none by that name. */
    async run(target = input.target) {
      const run = registered.get(target);
      if (!run)
        throw new Error(
          `The extension script registered no ${target} (it registered ${[...registered.keys()].join(", ") || "nothing"})`,
        );
      await run();
    },
  };
}
