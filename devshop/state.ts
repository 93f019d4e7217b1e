/**
 * Everything the local Shopify knows, as plain JSON: shops with their
 * customers, products, orders, discount codes, metafields, app installation,
 * Flow receipts and bulk operations. Saved to a file after each change (when
 * a file is given) so a second `npm run demo` finds the same shop.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { StoreCreditBook } from "./store-credit";

/** Money in the shop currency, in cents. */
export type Cents = number;

export interface Customer {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  state: "enabled" | "disabled";
  /** email_marketing_consent.state as Shopify reports it; absent: "not_subscribed". */
  emailMarketingConsent?: "subscribed" | "not_subscribed" | "unsubscribed" | "pending";
  /** When the consent was last given or withdrawn (consent_updated_at); absent: when created, if subscribed. */
  emailMarketingConsentAt?: string;
  /** The customer's language (Customer.locale), when known. */
  locale?: string;
}

interface Product {
  id: string;
  title: string;
  price: Cents;
  giftCard: boolean;
}

/** A collection and the numeric ids of the products in it (manual or smart: only membership is modelled). */
interface Collection {
  id: string;
  title: string;
  handle: string;
  productIds: string[];
}

export interface OrderLine {
  id: string;
  productId: string;
  title: string;
  price: Cents;
  quantity: number;
  /** After edits and refunds. */
  currentQuantity: number;
  giftCard: boolean;
  /** Discount on the whole line (all units). */
  discount: Cents;
}

interface RefundLine {
  lineItemId: string;
  quantity: number;
  subtotal: Cents;
  tax: Cents;
}

export interface Refund {
  id: string;
  createdAt: string;
  lines: RefundLine[];
  /** Shipping refunded (as charged: with its tax when prices include it). */
  shipping: Cents;
  /** The tax on the shipping refunded. */
  shippingTax?: Cents;
  /**
   * Refunded beyond the lines and shipping (an amount refunded with no line
   * items), or, negative, short of them (a cancellation after such a refund).
   */
  amount?: Cents;
}

export interface Order {
  id: string;
  number: number;
  customerId: string | null;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  financialStatus: "pending" | "paid" | "partially_refunded" | "refunded";
  cancelledAt: string | null;
  test: boolean;
  lines: OrderLine[];
  /** The shipping line's price, before its discount. */
  shipping: Cents;
  /** Taken off the shipping line (a free-shipping code takes all of it). */
  shippingDiscount?: Cents;
  /** Tax rate applied to merchandise, e.g. 0.06. */
  taxRate: number;
  /** Prices include tax (Shopify's taxes_included). */
  taxesIncluded?: boolean;
  /** Shipping is taxed at the same rate. */
  taxShipping?: boolean;
  discountCodes: { code: string; amount: Cents; type: "percentage" | "fixed_amount" | "shipping" }[];
  refunds: Refund[];
  /** Paid with the customer's store credit at checkout (a payment, not a discount: store-credit.ts). */
  storeCreditPaid?: Cents;
  /** A B2B order's company (numeric id) and its location: Order.purchasingEntity, the REST `company`. */
  company?: { id: string; locationId: string };
}

/** A code discount as the Admin API created it (input kept as sent). */
export interface Discount {
  id: string;
  code: string;
  kind: "basic" | "freeShipping";
  title: string;
  startsAt: string;
  endsAt: string | null;
  customerIds: string[];
  usageLimit: number | null;
  appliesOncePerCustomer: boolean;
  /** basic: percentage (0..1) or a fixed amount. */
  percentage: number | null;
  amount: Cents | null;
  minimumSubtotal: Cents | null;
  usedBy: { orderId: string; customerId: string | null }[];
  createdAt: string;
}

interface Metafield {
  ownerId: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  updatedAt: string;
}

interface BulkOperation {
  id: string;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED";
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  /** The JSONL result, served at /devshop/bulk/{id}.jsonl once completed. */
  lines: string[];
}

interface Installation {
  id: string;
  installed: boolean;
  scopes: string;
  accessTokens: { token: string; expiresAt: string }[];
  refreshTokens: string[];
}

export interface ShopState {
  domain: string;
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  shopifyPlus: boolean;
  customers: Record<string, Customer>;
  products: Record<string, Product>;
  /** Collections by numeric id (absent in state saved before they were modelled). */
  collections?: Record<string, Collection>;
  orders: Record<string, Order>;
  discounts: Record<string, Discount>;
  metafields: Record<string, Metafield>;
  metafieldDefinitions: { ownerType: string; namespace: string; key: string; name: string; type: string }[];
  flowReceipts: { handle: string; payload: unknown; at: string }[];
  /** Shopify Flow workflows using each of the app's triggers: on or off, by trigger handle (devshop/flow.ts). */
  flowWorkflows?: Record<string, boolean>;
  bulkOperations: Record<string, BulkOperation>;
  installation: Installation;
  nextOrderNumber: number;
  /** Customers' store credit accounts, one per currency (devshop/store-credit.ts). */
  storeCredit?: StoreCreditBook;
  /** The main theme: whether the app embed is on and where the app block is (admin-resolvers.ts themeFiles). */
  theme?: ThemeState;
  /**
   * The protected customer data the app is approved for on this shop
   * (protected-data.ts): 2 (names, emails, phones, addresses too) unless set to 1, or 0 (none:
   * UI extensions' session tokens then carry no customer, customer-accounts.ts).
   */
  customerDataLevel?: 0 | 1 | 2;
  /** Where the merchant moved the app proxy (Settings > Apps); none = where the app configured it. */
  appProxy?: { prefix: string; subpath: string };
  /**
   * The staff member's language (their account's preferred language, a BCP 47 tag such as "fr"
   * or "pt-BR"), which the admin sends the app as `locale`; English unless set.
   */
  staffLocale?: string;
}

export interface ThemeState {
  embedActive: boolean;
  blockAdded: boolean;
  /** false: the Earn points block is not on the product pages (default: it is). */
  productBlockAdded?: boolean;
  /**
   * The JSON file the block sits in once added: the home page template (the
   * theme editor's deep link puts it there) unless set to another template or
   * a section group such as sections/header-group.json.
   */
  blockIn?: string;
  /** Alternate product templates the merchant made (templates/product.alt-N.json): a theme of many pages of files. */
  extraTemplates?: number;
  /** Shopify refuses to show the theme (as without the read_themes scope): tests of a failed theme check. */
  unreadable?: boolean;
}

export interface DevshopData {
  nextId: number;
  shops: Record<string, ShopState>;
}

function emptyShop(domain: string, name: string): ShopState {
  return {
    domain,
    name,
    email: `owner@${domain}`,
    currencyCode: "EUR",
    ianaTimezone: "Europe/Paris",
    shopifyPlus: false,
    customers: {},
    products: {},
    orders: {},
    discounts: {},
    metafields: {},
    metafieldDefinitions: [],
    flowReceipts: [],
    bulkOperations: {},
    installation: { id: "", installed: false, scopes: "", accessTokens: [], refreshTokens: [] },
    nextOrderNumber: 1001,
  };
}

export class DevshopState {
  private saveTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly data: DevshopData,
    private readonly file: string | null,
  ) {}

  static open(file: string | null): DevshopState {
    if (file && existsSync(file)) {
      return new DevshopState(JSON.parse(readFileSync(file, "utf8")) as DevshopData, file);
    }
    return new DevshopState({ nextId: 7_000_000_001, shops: {} }, file);
  }

  /** A fresh numeric id, unique across every resource (as Shopify's are per type). */
  id(): string {
    return String(this.data.nextId++);
  }

  shop(domain: string): ShopState {
    const shop = this.data.shops[domain];
    if (!shop) throw new Error(`devshop has no shop ${domain}`);
    return shop;
  }

  ensureShop(domain: string, name: string): ShopState {
    this.data.shops[domain] ??= emptyShop(domain, name);
    const shop = this.data.shops[domain];
    shop.installation.id ||= `gid://shopify/AppInstallation/${this.id()}`;
    return shop;
  }

  /** The shop an Admin API access token belongs to, if it is live. */
  shopForAccessToken(token: string, now: Date): ShopState | null {
    for (const shop of Object.values(this.data.shops)) {
      const found = shop.installation.accessTokens.find((t) => t.token === token);
      if (found && shop.installation.installed && Date.parse(found.expiresAt) > now.getTime()) return shop;
    }
    return null;
  }

  /** Records a change; the file is written shortly after (coalesced). */
  changed(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.save();
    }, 2000);
    this.saveTimer.unref();
  }

  save(): void {
    if (!this.file) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(this.data));
    renameSync(temp, this.file);
  }
}

export const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
export const idOf = (value: string) => /\/(\d+)$/.exec(value)?.[1] ?? value;
