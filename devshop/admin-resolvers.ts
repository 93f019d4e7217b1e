/**
 * The Admin GraphQL fields the simulator serves, from the shop's state, with
 * Shopify's rules: a code is unique per shop (case-insensitive), a customer
 * context names real customers, metafieldsSet takes at most 25 inputs and no
 * blank value, a Flow trigger handle must belong to one of the app's
 * extensions, up to five bulk queries run at once. Objects carry only the
 * fields served; anything else fails by name (admin-api.ts).
 */
import { createHash } from "node:crypto";
import { execute, GraphQLError, parse, type GraphQLFieldResolver } from "graphql";
import { adminSchema } from "./admin-schema";
import { flowTriggerExtensions } from "./app-config";
import { dateField, exactField, matches, parseSearch, type Fields } from "./search-query";
import { currentTotals, lineNet, money, originalTotals, refundMoney } from "./order-math";
import { contactOf, sharesPersonalFields } from "./protected-data";
import { grantedScopes, hasScope } from "./scopes";
import { accessDenied, creditAccount, customerAccounts, type CreditArgs } from "./store-credit";
import {
  gid,
  idOf,
  type Customer,
  type DevshopState,
  type Discount,
  type Order,
  type ShopState,
} from "./state";

type Args = Record<string, unknown>;

/** Shopify's refusal of an input array past 250 items (https://shopify.dev/docs/api/usage/limits#input-limits). */
export const tooManyIds = (count: number) =>
  `The input array size of ${count} is greater than the maximum allowed of 250.`;

/** How far back an app without read_all_orders sees orders. */
const ORDER_WINDOW_MS = 60 * 86_400_000;

/**
 * Serves a field from the object's own property (a function is called with
 * the arguments); else fails by name, saying which stand-in (`who`) lacks it.
 */
export const servedOrFailBy =
  (who: string): GraphQLFieldResolver<unknown, unknown> =>
  (source, args, context, info) => {
    if (source && typeof source === "object" && info.fieldName in source) {
      const value = (source as Record<string, unknown>)[info.fieldName];
      return typeof value === "function"
        ? (value as (a: unknown, c: unknown) => unknown)(args, context)
        : value;
    }
    throw new GraphQLError(`${who} does not serve ${info.parentType.name}.${info.fieldName}`, {
      extensions: { code: "NOT_SERVED" },
    });
  };

export const servedOrFail = servedOrFailBy("devshop");

/** metafieldDefinitionCreate's answer when the (owner type, namespace, key) is defined already. */
export const definitionTaken = () => ({
  createdDefinition: null,
  userErrors: [
    {
      field: ["definition", "key"],
      code: "TAKEN",
      message: "Key is in use for this namespace and owner type.",
    },
  ],
});

/**
 * Bulk query operations an app may run at once on a shop, since API version
 * 2026-01 (https://shopify.dev/docs/api/usage/bulk-operations/queries).
 */
export const BULK_QUERY_LIMIT = 5;

/**
 * bulkOperationRunQuery's answer past that limit: the code and message of
 * BulkOperationUserErrorCode.LIMIT_REACHED in the 2026-10 schema.
 */
export const bulkLimitReached = () => ({
  bulkOperation: null,
  userErrors: [
    { field: null, code: "LIMIT_REACHED", message: "Bulk operations limit reached. Please try again later." },
  ],
});

const numericId = (text: string) =>
  String(parseInt(createHash("sha1").update(text).digest("hex").slice(0, 12), 16));
type UserError = { field: string[] | null; message: string; code?: string };

const moneyBag = (cents: number, currency: string) => ({
  shopMoney: { amount: money(cents), currencyCode: currency },
  presentmentMoney: { amount: money(cents), currencyCode: currency },
});

function connection<T>(items: T[], args: Args) {
  const first = typeof args.first === "number" ? args.first : items.length;
  const start = typeof args.after === "string" ? Number(args.after) + 1 : 0;
  const page = items.slice(start, start + first);
  return {
    nodes: page,
    edges: page.map((node, index) => ({ node, cursor: String(start + index) })),
    pageInfo: {
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? String(start) : null,
      endCursor: page.length ? String(start + page.length - 1) : null,
    },
  };
}

function metafieldView(shop: ShopState, ownerId: string) {
  const of = (namespace: unknown, key: unknown) => {
    const found = shop.metafields[`${ownerId}|${String(namespace)}|${String(key)}`];
    return found
      ? {
          id: gid("Metafield", numericId(`${ownerId}|${found.namespace}|${found.key}`)),
          ...found,
          jsonValue: found.type === "json" ? JSON.parse(found.value) : found.value,
        }
      : null;
  };
  return {
    metafield: (args: Args) => of(args.namespace, args.key),
    metafields: (args: Args) =>
      connection(
        Object.values(shop.metafields)
          .filter(
            (m) => m.ownerId === ownerId && (args.namespace === undefined || m.namespace === args.namespace),
          )
          .map((m) => of(m.namespace, m.key)),
        args,
      ),
  };
}

function customerView(shop: ShopState, customer: Customer) {
  const orders = Object.values(shop.orders).filter((o) => o.customerId === customer.id && !o.test);
  const id = gid("Customer", customer.id);
  // Null without protected customer data level 2 (protected-data.ts).
  const contact = contactOf(shop, customer);
  return {
    __typename: "Customer",
    id,
    legacyResourceId: customer.id,
    email: contact.email,
    firstName: contact.firstName,
    lastName: contact.lastName,
    // Shopify does not say what this non-null field becomes when names are redacted: not served then.
    ...(sharesPersonalFields(shop)
      ? { displayName: `${customer.firstName} ${customer.lastName}`.trim() || customer.email }
      : {}),
    phone: contact.phone,
    tags: customer.tags,
    state: customer.state.toUpperCase(),
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    numberOfOrders: String(orders.length),
    amountSpent: moneyBag(
      orders.reduce((sum, o) => sum + currentTotals(o).total, 0),
      shop.currencyCode,
    ).shopMoney,
    defaultEmailAddress: contact.email === null ? null : { emailAddress: contact.email },
    ...metafieldView(shop, id),
  };
}

function orderView(shop: ShopState, order: Order) {
  const c = shop.currencyCode;
  const original = originalTotals(order);
  const current = currentTotals(order);
  const customer = order.customerId ? shop.customers[order.customerId] : undefined;
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    legacyResourceId: order.id,
    name: `#${order.number}`,
    // devshop's orders are all placed online (https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order#field-Order.fields.sourceName).
    sourceName: "web",
    createdAt: order.createdAt,
    processedAt: order.processedAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt,
    test: order.test,
    currencyCode: c,
    presentmentCurrencyCode: c,
    taxesIncluded: order.taxesIncluded ?? false,
    displayFinancialStatus: order.financialStatus.toUpperCase(),
    email: customer ? contactOf(shop, customer).email : null,
    customer: customer ? customerView(shop, customer) : null,
    // The company of a B2B order, else the customer (the union PurchasingEntity = Customer |
    // PurchasingCompany: https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order#field-Order.fields.purchasingEntity).
    purchasingEntity: order.company
      ? {
          __typename: "PurchasingCompany",
          company: { __typename: "Company", id: gid("Company", order.company.id) },
          location: { __typename: "CompanyLocation", id: gid("CompanyLocation", order.company.locationId) },
        }
      : customer
        ? customerView(shop, customer)
        : null,
    discountCodes: order.discountCodes.map((d) => d.code),
    discountCode: order.discountCodes[0]?.code ?? null,
    // devshop's orders record no address: Shopify answers null for an order without a shipping
    // address (https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order#field-Order.fields.shippingAddress),
    // as its webhooks then leave out shipping_address (https://shopify.dev/docs/api/admin-rest/2026-10/resources/order).
    shippingAddress: null,
    subtotalPriceSet: moneyBag(original.subtotal, c),
    currentSubtotalPriceSet: moneyBag(current.subtotal, c),
    totalTaxSet: moneyBag(original.tax, c),
    currentTotalTaxSet: moneyBag(current.tax, c),
    totalPriceSet: moneyBag(original.total, c),
    currentTotalPriceSet: moneyBag(current.total, c),
    totalDiscountsSet: moneyBag(original.discounts, c),
    currentTotalDiscountsSet: moneyBag(current.discounts, c),
    totalShippingPriceSet: moneyBag(order.shipping, c),
    totalRefundedShippingSet: moneyBag(
      order.refunds.reduce((sum, refund) => sum + refund.shipping, 0),
      c,
    ),
    // After its discounts and refunds (https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order).
    currentShippingPriceSet: moneyBag(current.shipping, c),
    // The shipping summary: its price, discounts and tax before refunds.
    shippingLine: order.shipping
      ? {
          title: "Standard",
          originalPriceSet: moneyBag(order.shipping, c),
          discountedPriceSet: moneyBag(original.shipping, c),
          taxLines: original.shippingTax
            ? [{ title: "Tax", rate: order.taxRate, priceSet: moneyBag(original.shippingTax, c) }]
            : [],
        }
      : null,
    // What refunds gave back beyond their lines and shipping; negative in the customer's favour.
    refundDiscrepancySet: moneyBag(-order.refunds.reduce((sum, refund) => sum + (refund.amount ?? 0), 0), c),
    totalTipReceivedSet: moneyBag(0, c),
    totalRefundedSet: moneyBag(
      order.refunds.reduce((sum, refund) => sum + refundMoney(order, refund), 0),
      c,
    ),
    lineItems: (args: Args) =>
      connection(
        order.lines.map((line) => ({
          __typename: "LineItem",
          id: gid("LineItem", line.id),
          name: line.title,
          title: line.title,
          quantity: line.quantity,
          currentQuantity: line.currentQuantity,
          product: line.productId ? { __typename: "Product", id: gid("Product", line.productId) } : null,
          isGiftCard: line.giftCard,
          originalUnitPriceSet: moneyBag(line.price, c),
          discountedTotalSet: moneyBag(lineNet(line, line.quantity), c),
          totalDiscountSet: moneyBag(line.discount, c),
          discountAllocations: line.discount ? [{ allocatedAmountSet: moneyBag(line.discount, c) }] : [],
        })),
        args,
      ),
    refunds: order.refunds.map((refund) => ({
      __typename: "Refund",
      id: gid("Refund", refund.id),
      createdAt: refund.createdAt,
      refundLineItems: (args: Args) =>
        connection(
          refund.lines.map((line) => ({
            quantity: line.quantity,
            subtotalSet: moneyBag(line.subtotal, c),
            totalTaxSet: moneyBag(line.tax, c),
            lineItem: {
              id: gid("LineItem", line.lineItemId),
              isGiftCard: order.lines.find((l) => l.id === line.lineItemId)?.giftCard ?? false,
            },
          })),
          args,
        ),
      totalRefundedSet: moneyBag(refundMoney(order, refund), c),
      refundShippingLines: (args: Args) =>
        connection(
          refund.shipping
            ? [
                {
                  subtotalAmountSet: moneyBag(refund.shipping, c),
                  taxAmountSet: moneyBag(refund.shippingTax ?? 0, c),
                },
              ]
            : [],
          args,
        ),
      orderAdjustments: (args: Args) =>
        connection(
          refund.amount
            ? [
                {
                  amountSet: moneyBag(-refund.amount, c),
                  taxAmountSet: moneyBag(0, c),
                  reason: "REFUND_DISCREPANCY",
                },
              ]
            : [],
          args,
        ),
    })),
  };
}

function discountView(discount: Discount) {
  const status = (now: Date) =>
    discount.endsAt && Date.parse(discount.endsAt) <= now.getTime()
      ? "EXPIRED"
      : Date.parse(discount.startsAt) > now.getTime()
        ? "SCHEDULED"
        : "ACTIVE";
  return {
    __typename: "DiscountCodeNode",
    id: discount.id,
    codeDiscount: {
      __typename: discount.kind === "basic" ? "DiscountCodeBasic" : "DiscountCodeFreeShipping",
      title: discount.title,
      startsAt: discount.startsAt,
      endsAt: discount.endsAt,
      status: status(new Date()),
      usageLimit: discount.usageLimit,
      asyncUsageCount: discount.usedBy.length,
      appliesOncePerCustomer: discount.appliesOncePerCustomer,
    },
  };
}

/** The search fields the simulator filters orders on. */
const orderSearchFields = (order: Order): Fields => ({
  created_at: dateField(() => order.createdAt),
  processed_at: dateField(() => order.processedAt),
  updated_at: dateField(() => order.updatedAt),
  financial_status: exactField(() => order.financialStatus),
  test: exactField(() => String(order.test)),
  customer_id: exactField(() => order.customerId ?? ""),
  status: exactField(() => (order.cancelledAt ? "cancelled" : "open")),
});

/** A bulk query's result as JSONL: each connection node a line, nested ones with __parentId. */
export function flattenBulk(data: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const isConnection = (value: unknown): value is { edges?: { node: unknown }[]; nodes?: unknown[] } =>
    Boolean(value && typeof value === "object" && ("edges" in value || "nodes" in value));
  const walk = (node: Record<string, unknown>, parentId: string | null) => {
    const own: Record<string, unknown> = {};
    const children: Record<string, unknown>[] = [];
    for (const [key, value] of Object.entries(node)) {
      if (isConnection(value)) {
        for (const child of value.edges?.map((e) => e.node) ?? value.nodes ?? [])
          children.push(child as Record<string, unknown>);
      } else own[key] = value;
    }
    lines.push(JSON.stringify(parentId ? { ...own, __parentId: parentId } : own));
    for (const child of children) walk(child, typeof node.id === "string" ? node.id : null);
  };
  for (const value of Object.values(data)) {
    if (!isConnection(value)) continue;
    for (const node of value.edges?.map((e) => e.node) ?? value.nodes ?? [])
      walk(node as Record<string, unknown>, null);
  }
  return lines;
}

/** Dawn's JSON templates (its gift card template is Liquid), as a shop starts with them. */
const DAWN_TEMPLATES = [
  "404",
  "article",
  "blog",
  "cart",
  "collection",
  "customers/account",
  "customers/activate_account",
  "customers/addresses",
  "customers/login",
  "customers/order",
  "customers/register",
  "customers/reset_password",
  "index",
  "list-collections",
  "page",
  "page.contact",
  "password",
  "product",
  "search",
];
/** Dawn's section groups (https://shopify.dev/docs/storefronts/themes/architecture/section-groups). */
const DAWN_SECTION_GROUPS = ["header", "footer"];
/** Where the theme editor's deep link (target=newAppsSection, template=index) puts the block. */
export const DEFAULT_BLOCK_FILE = "templates/index.json";

const APP = "regulars";
const loyaltyBlock = {
  type: `shopify://apps/${APP}/blocks/loyalty-status/7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f`,
  settings: {},
};
/** An "Apps" section holding the loyalty block, as the theme editor wraps an app block it adds. */
const appsSection = {
  type: "apps",
  blocks: { loyalty: loyaltyBlock },
  block_order: ["loyalty"],
  settings: {},
};

/**
 * The main theme's JSON files as Shopify stores them (filename order), with the
 * app's blocks where the merchant put them: the embed in config/settings_data.json
 * `current.blocks` (with `disabled`), the block in a template or a section group
 * (https://shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration#detecting-app-blocks-and-app-embed-blocks).
 */
export function themeFiles(shop: ShopState): Record<string, string> {
  const theme = shop.theme ?? { embedActive: false, blockAdded: false };
  const blockFile = theme.blockAdded ? (theme.blockIn ?? DEFAULT_BLOCK_FILE) : null;
  const withBlock = (filename: string, sections: Record<string, unknown>, order: string[]) =>
    filename === blockFile
      ? { sections: { ...sections, apps: appsSection }, order: [...order, "apps"] }
      : { sections, order };
  const files: Record<string, string> = {
    "config/settings_data.json": JSON.stringify({
      current: {
        blocks: {
          "1234567890": {
            type: `shopify://apps/${APP}/blocks/rewards-launcher/0b7f6d1e-5a61-4c3c-9d2e-2f3c1a9e7b11`,
            disabled: !theme.embedActive,
            settings: {},
          },
        },
      },
    }),
  };
  for (const group of DAWN_SECTION_GROUPS) {
    const filename = `sections/${group}-group.json`;
    files[filename] = JSON.stringify({
      type: group,
      name: `${group[0]!.toUpperCase()}${group.slice(1)} group`,
      ...withBlock(filename, { [group]: { type: group, settings: {} } }, [group]),
    });
  }
  const templates = [
    ...DAWN_TEMPLATES,
    ...Array.from({ length: theme.extraTemplates ?? 0 }, (_, i) => `product.alt-${i + 1}`),
  ];
  for (const template of templates) {
    const filename = `templates/${template}.json`;
    files[filename] = JSON.stringify(
      withBlock(filename, { main: { type: `main-${template}`, settings: {} } }, ["main"]),
    );
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The most files devshop puts in a page of a theme's `files`, however many are
 * asked: Shopify may return "fewer than n files ... to stay within the payload
 * size limit" (OnlineStoreTheme.files in the 2026-10 schema), so a client must
 * follow pageInfo. The figure is devshop's; Shopify's depends on the files' size.
 */
const THEME_FILES_PAGE_LIMIT = 50;

export interface AdminRootOptions {
  /** How long a bulk query runs before it completes (50 ms; tests hold it longer). */
  bulkRunMs?: number;
}

export function adminRoot(
  state: DevshopState,
  shop: ShopState,
  clock: () => Date,
  origin: string,
  options: AdminRootOptions = {},
) {
  const customerByGid = (id: unknown) => shop.customers[idOf(String(id))];
  const tagged = (id: unknown, change: (customer: Customer) => void) => {
    const customer = customerByGid(id);
    if (!customer || !String(id).startsWith("gid://shopify/Customer/")) {
      return { node: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
    }
    change(customer);
    customer.updatedAt = clock().toISOString();
    return { node: customerView(shop, customer), userErrors: [] };
  };
  const createDiscount = (kind: Discount["kind"], input: Args) => {
    const errors: UserError[] = [];
    const code = String(input.code ?? "").trim();
    const customers = (
      (input.context as { customers?: { add?: string[] } } | undefined)?.customers?.add ?? []
    ).map(String);
    if (!code) errors.push({ field: ["code"], code: "BLANK", message: "Code can't be blank" });
    if (code.length > 255) errors.push({ field: ["code"], code: "TOO_LONG", message: "Code is too long" });
    if (Object.values(shop.discounts).some((d) => d.code.toLowerCase() === code.toLowerCase())) {
      errors.push({
        field: ["code"],
        code: "TAKEN",
        message: "Code must be unique. Please try a different code.",
      });
    }
    if (customers.some((c) => !customerByGid(c))) {
      errors.push({
        field: ["context", "customers", "add"],
        code: "INVALID",
        message: "Customer does not exist",
      });
    }
    const startsAt = String(input.startsAt ?? clock().toISOString());
    const endsAt = input.endsAt ? String(input.endsAt) : null;
    if (endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) {
      errors.push({ field: ["endsAt"], code: "INVALID", message: "End date must be after the start date" });
    }
    const value = (
      input.customerGets as
        { value?: { percentage?: number; discountAmount?: { amount: string } } } | undefined
    )?.value;
    if (kind === "basic" && !value?.percentage && !value?.discountAmount) {
      errors.push({ field: ["customerGets", "value"], code: "BLANK", message: "Value can't be blank" });
    }
    if (value?.percentage !== undefined && (value.percentage <= 0 || value.percentage > 1)) {
      errors.push({
        field: ["customerGets", "value", "percentage"],
        code: "INVALID",
        message: "Percentage must be between 0 and 1",
      });
    }
    if (errors.length) return { codeDiscountNode: null, userErrors: errors };
    const minimum = (
      input.minimumRequirement as { subtotal?: { greaterThanOrEqualToSubtotal: string } } | undefined
    )?.subtotal;
    const discount: Discount = {
      id: gid("DiscountCodeNode", state.id()),
      code,
      kind,
      title: String(input.title ?? code),
      startsAt,
      endsAt,
      customerIds: customers.map(idOf),
      usageLimit: typeof input.usageLimit === "number" ? input.usageLimit : null,
      appliesOncePerCustomer: Boolean(input.appliesOncePerCustomer),
      percentage: value?.percentage ?? null,
      amount: value?.discountAmount ? Math.round(Number(value.discountAmount.amount) * 100) : null,
      minimumSubtotal: minimum ? Math.round(Number(minimum.greaterThanOrEqualToSubtotal) * 100) : null,
      usedBy: [],
      createdAt: clock().toISOString(),
    };
    shop.discounts[discount.id] = discount;
    return { codeDiscountNode: discountView(discount), userErrors: [] };
  };
  const runningBulk = () =>
    Object.values(shop.bulkOperations).filter((op) => op.status === "CREATED" || op.status === "RUNNING");
  const bulkView = (op: (typeof shop.bulkOperations)[string] | undefined) =>
    op
      ? {
          id: op.id,
          status: op.status,
          errorCode: op.status === "FAILED" ? "INTERNAL_SERVER_ERROR" : null,
          createdAt: op.createdAt,
          completedAt: op.completedAt,
          objectCount: String(op.objectCount),
          rootObjectCount: String(op.lines.filter((l) => !l.includes('"__parentId"')).length),
          fileSize: op.status === "COMPLETED" ? String(op.lines.join("\n").length) : null,
          url:
            op.status === "COMPLETED" && op.lines.length
              ? `${origin}/devshop/bulk/${idOf(op.id)}.jsonl`
              : null,
          partialDataUrl: null,
          query: op.query,
          type: "QUERY",
        }
      : null;

  const customersList = () => Object.values(shop.customers).sort((a, b) => Number(a.id) - Number(b.id));
  /**
   * Without read_all_orders an app sees the orders created in the last 60
   * days only, in queries and bulk queries alike: older ones are not found
   * (https://shopify.dev/docs/api/usage/access-scopes, the Order object's note in
   * the 2026-10 schema, https://shopify.dev/changelog/apps-now-need-shopify-approval-to-read-orders-older-than-60-days).
   */
  const visible = (order: Order) =>
    hasScope(shop, "read_all_orders") || Date.parse(order.createdAt) >= clock().getTime() - ORDER_WINDOW_MS;
  const ordersList = () =>
    Object.values(shop.orders)
      .filter(visible)
      .sort((a, b) => Number(a.id) - Number(b.id));

  /**
   * Products and collections need read_products ("read_products: Product, ProductVariant,
   * Collection", https://shopify.dev/docs/api/usage/access-scopes); without it Shopify answers
   * ACCESS_DENIED on the field.
   */
  const needProducts = (field: string) => {
    if (!hasScope(shop, "read_products")) throw accessDenied(field, "read_products");
  };
  const collectionView = (collection: { id: string; title: string }) => ({
    __typename: "Collection",
    id: gid("Collection", collection.id),
    title: collection.title,
  });

  const root: Record<string, unknown> = {
    /**
     * Products by id, each answering Product.inCollection(id:)
     * (https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Product#field-Product.fields.inCollection),
     * and collections by id (their title); other ids (another type, a deleted product) are null.
     * More than 250 ids are refused (https://shopify.dev/docs/api/usage/limits#input-limits).
     */
    nodes: (args: Args) => {
      const ids = (args.ids as string[]) ?? [];
      if (ids.length > 250)
        throw new GraphQLError(tooManyIds(ids.length), { extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } });
      return ids.map((id) => {
        if (id.startsWith("gid://shopify/Collection/")) {
          needProducts("nodes");
          const collection = shop.collections?.[idOf(id)];
          return collection ? collectionView(collection) : null;
        }
        const product = id.startsWith("gid://shopify/Product/") ? shop.products[idOf(id)] : undefined;
        if (!product) return null;
        return {
          __typename: "Product",
          id,
          title: product.title,
          inCollection: (a: Args) => {
            needProducts("inCollection");
            return (
              String(a.id).startsWith("gid://shopify/Collection/") &&
              (shop.collections?.[idOf(String(a.id))]?.productIds.includes(product.id) ?? false)
            );
          },
        };
      });
    },
    /** The shop's collections by title (sortKey TITLE), a page of `first` (at most 250). */
    collections: (args: Args) => {
      needProducts("collections");
      const first = Number(args.first ?? 0);
      const all = Object.values(shop.collections ?? {}).sort((a, b) => a.title.localeCompare(b.title));
      return {
        nodes: all.slice(0, first).map(collectionView),
        pageInfo: { hasNextPage: all.length > first, hasPreviousPage: false },
      };
    },
    shop: {
      id: gid("Shop", "1"),
      name: shop.name,
      email: shop.email,
      myshopifyDomain: shop.domain,
      currencyCode: shop.currencyCode,
      ianaTimezone: shop.ianaTimezone,
      plan: { shopifyPlus: shop.shopifyPlus, partnerDevelopment: true, displayName: "Development" },
    },
    currentAppInstallation: {
      id: shop.installation.id,
      accessScopes: grantedScopes(shop).map((handle) => ({ handle })),
      ...metafieldView(shop, shop.installation.id),
    },
    customer: (args: Args) => {
      const customer = customerByGid(args.id);
      return customer
        ? {
            ...customerView(shop, customer),
            // Needs read_store_credit_accounts (the field's required access in the schema).
            storeCreditAccounts: (accountArgs: Args) => {
              if (!hasScope(shop, "read_store_credit_accounts"))
                throw accessDenied("storeCreditAccounts", "read_store_credit_accounts");
              return customerAccounts(
                shop.storeCredit ?? { accounts: {} },
                customer.id,
                accountArgs,
                clock(),
                connection,
              );
            },
          }
        : null;
    },
    /** Store credit for a customer (devshop/store-credit.ts: accounts per currency, Shopify's refusals). */
    storeCreditAccountCredit: (args: Args) => {
      if (!hasScope(shop, "write_store_credit_account_transactions"))
        throw accessDenied("storeCreditAccountCredit", "write_store_credit_account_transactions");
      const result = creditAccount(
        (shop.storeCredit ??= { accounts: {} }),
        (customerId) => shop.customers[customerId] !== undefined,
        args as unknown as CreditArgs,
        clock(),
        () => Number(state.id()),
        shop.currencyCode,
      );
      state.changed();
      return result;
    },
    customers: (args: Args) => {
      const email = /email:["']?([^"'\s]+)["']?/.exec(String(args.query ?? ""))?.[1]?.toLowerCase();
      return connection(
        customersList()
          .filter((c) => !email || c.email === email)
          .map((c) => customerView(shop, c)),
        args,
      );
    },
    order: (args: Args) => {
      const order = shop.orders[idOf(String(args.id))];
      return order && visible(order) ? orderView(shop, order) : null;
    },
    orders: (args: Args) => {
      const search = args.query ? parseSearch(String(args.query)) : null;
      return connection(
        ordersList()
          .filter((o) => !search || matches(search, orderSearchFields(o)))
          .map((o) => orderView(shop, o)),
        args,
      );
    },
    themes: (args: Args) => {
      // Shopify's answer to an app without read_themes (an ACCESS_DENIED error on the field).
      if (shop.theme?.unreadable)
        throw new Error("Access denied for themes field. Required access: `read_themes` access scope.");
      const roles = (args.roles as string[] | undefined) ?? ["MAIN"];
      if (!roles.includes("MAIN")) return connection([], args);
      const id = gid("OnlineStoreTheme", "1");
      const files = themeFiles(shop);
      return connection(
        [
          {
            id,
            name: "Dawn",
            role: "MAIN",
            files: (fileArgs: Args) => {
              const wanted = (fileArgs.filenames as string[] | undefined) ?? Object.keys(files);
              // "Use '*' to match zero or more characters" (the filenames argument in the schema).
              const pattern = (name: string) =>
                new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
              const first = typeof fileArgs.first === "number" ? fileArgs.first : THEME_FILES_PAGE_LIMIT;
              const after = typeof fileArgs.after === "string" ? fileArgs.after : null;
              const matching = Object.entries(files).filter(
                ([filename]) =>
                  wanted.some((w) => pattern(w).test(filename)) && (after === null || filename > after),
              );
              const page = matching.slice(0, Math.min(first, THEME_FILES_PAGE_LIMIT));
              return {
                nodes: page.map(([filename, content]) => ({
                  filename,
                  body: { __typename: "OnlineStoreThemeFileBodyText", content },
                })),
                pageInfo: {
                  hasNextPage: matching.length > page.length,
                  hasPreviousPage: after !== null,
                  startCursor: page[0]?.[0] ?? null,
                  endCursor: page.at(-1)?.[0] ?? null,
                },
                userErrors: [],
              };
            },
          },
        ],
        args,
      );
    },
    codeDiscountNodeByCode: (args: Args) => {
      const found = Object.values(shop.discounts).find(
        (d) => d.code.toLowerCase() === String(args.code).toLowerCase(),
      );
      return found ? discountView(found) : null;
    },
    codeDiscountNode: (args: Args) =>
      shop.discounts[String(args.id)] ? discountView(shop.discounts[String(args.id)]!) : null,
    bulkOperation: (args: Args) => bulkView(shop.bulkOperations[String(args.id)]),
    currentBulkOperation: () =>
      bulkView(Object.values(shop.bulkOperations).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]),

    tagsAdd: (args: Args) =>
      tagged(args.id, (c) => {
        for (const tag of args.tags as string[]) if (!c.tags.includes(tag.trim())) c.tags.push(tag.trim());
      }),
    tagsRemove: (args: Args) =>
      tagged(args.id, (c) => {
        c.tags = c.tags.filter((tag) => !(args.tags as string[]).includes(tag));
      }),
    metafieldsSet: (args: Args) => {
      const inputs = args.metafields as {
        ownerId: string;
        namespace?: string;
        key: string;
        type?: string;
        value: string;
      }[];
      const errors: UserError[] = [];
      if (inputs.length > 25) {
        errors.push({
          field: ["metafields"],
          code: "LESS_THAN_OR_EQUAL_TO",
          message: "Exceeded the maximum metafields input limit of 25.",
        });
      }
      inputs.forEach((m, i) => {
        const owner =
          m.ownerId === shop.installation.id ||
          (m.ownerId.startsWith("gid://shopify/Customer/") && customerByGid(m.ownerId));
        if (!owner)
          errors.push({
            field: ["metafields", String(i), "ownerId"],
            code: "INVALID",
            message: "Owner does not exist",
          });
        if (m.value === "")
          errors.push({
            field: ["metafields", String(i), "value"],
            code: "BLANK",
            message: "Value can't be blank.",
          });
        if (m.type === "number_integer" && !/^-?\d+$/.test(m.value)) {
          errors.push({
            field: ["metafields", String(i), "value"],
            code: "INVALID_VALUE",
            message: "Value must be an integer.",
          });
        }
        // A boolean metafield's value is "true" or "false"
        // (https://shopify.dev/docs/apps/build/custom-data/metafields/list-of-data-types).
        if (m.type === "boolean" && m.value !== "true" && m.value !== "false") {
          errors.push({
            field: ["metafields", String(i), "value"],
            code: "INVALID_VALUE",
            message: "Value must be true or false.",
          });
        }
        if (m.type === "json") {
          try {
            JSON.parse(m.value);
          } catch {
            errors.push({
              field: ["metafields", String(i), "value"],
              code: "INVALID_VALUE",
              message: "Value must be valid JSON.",
            });
          }
        }
      });
      if (errors.length) return { metafields: [], userErrors: errors };
      const now = clock().toISOString();
      for (const m of inputs) {
        const namespace = m.namespace ?? "$app";
        const key = `${m.ownerId}|${namespace}|${m.key}`;
        shop.metafields[key] = {
          ownerId: m.ownerId,
          namespace,
          key: m.key,
          type: m.type ?? shop.metafields[key]?.type ?? "single_line_text_field",
          value: m.value,
          updatedAt: now,
        };
      }
      return {
        metafields: inputs.map((m) => ({ key: m.key, namespace: m.namespace ?? "$app", value: m.value })),
        userErrors: [],
      };
    },
    metafieldDefinitionCreate: (args: Args) => {
      const d = args.definition as {
        ownerType: string;
        namespace: string;
        key: string;
        name: string;
        type: string;
      };
      if (
        shop.metafieldDefinitions.some(
          (x) => x.ownerType === d.ownerType && x.namespace === d.namespace && x.key === d.key,
        )
      ) {
        return definitionTaken();
      }
      shop.metafieldDefinitions.push({
        ownerType: d.ownerType,
        namespace: d.namespace,
        key: d.key,
        name: d.name,
        type: d.type,
      });
      return { createdDefinition: { id: gid("MetafieldDefinition", state.id()) }, userErrors: [] };
    },
    discountCodeBasicCreate: (args: Args) => createDiscount("basic", args.basicCodeDiscount as Args),
    discountCodeFreeShippingCreate: (args: Args) =>
      createDiscount("freeShipping", args.freeShippingCodeDiscount as Args),
    discountCodeDelete: (args: Args) => {
      const id = String(args.id);
      if (!shop.discounts[id]) {
        return {
          deletedCodeDiscountId: null,
          userErrors: [{ field: ["id"], code: "INVALID", message: "Discount does not exist" }],
        };
      }
      delete shop.discounts[id];
      return { deletedCodeDiscountId: id, userErrors: [] };
    },
    flowTriggerReceive: (args: Args) => {
      const extension = flowTriggerExtensions().find((e) => e.handle === args.handle);
      if (!extension)
        return { userErrors: [{ field: ["handle"], message: `Trigger ${String(args.handle)} not found` }] };
      const payload = (args.payload ?? {}) as Record<string, unknown>;
      const missing = extension.payloadKeys.filter((key) => !(key in payload));
      if (missing.length) {
        return { userErrors: [{ field: ["payload"], message: `Payload is missing ${missing.join(", ")}` }] };
      }
      shop.flowReceipts.push({ handle: String(args.handle), payload, at: clock().toISOString() });
      return { userErrors: [] };
    },
    bulkOperationRunQuery: async (args: Args) => {
      if (runningBulk().length >= BULK_QUERY_LIMIT) return bulkLimitReached();
      const id = gid("BulkOperation", state.id());
      const op = {
        id,
        query: String(args.query),
        status: "RUNNING" as const,
        createdAt: clock().toISOString(),
        completedAt: null,
        objectCount: 0,
        lines: [] as string[],
      };
      shop.bulkOperations[id] = op;
      let result;
      try {
        result = await execute({
          schema: adminSchema(),
          document: parse(op.query),
          rootValue: adminRoot(state, shop, clock, origin, options),
          fieldResolver: servedOrFail,
        });
      } catch (error) {
        delete shop.bulkOperations[id];
        return {
          bulkOperation: null,
          userErrors: [{ field: ["query"], code: "INVALID", message: (error as Error).message }],
        };
      }
      if (result.errors?.length) {
        delete shop.bulkOperations[id];
        return {
          bulkOperation: null,
          userErrors: result.errors.map((e) => ({ field: ["query"], code: "INVALID", message: e.message })),
        };
      }
      // The work runs "in the background": the answer says RUNNING; the next poll sees COMPLETED.
      const lines = flattenBulk((result.data ?? {}) as Record<string, unknown>);
      setTimeout(() => {
        if (op.status !== "RUNNING") return; // cancelled meanwhile
        Object.assign(op, {
          status: "COMPLETED",
          completedAt: clock().toISOString(),
          objectCount: lines.length,
          lines,
        });
        state.changed();
      }, options.bulkRunMs ?? 50).unref();
      return { bulkOperation: bulkView(op), userErrors: [] };
    },
    bulkOperationCancel: (args: Args) => {
      const op = shop.bulkOperations[String(args.id)];
      if (!op)
        return {
          bulkOperation: null,
          userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
        };
      if (op.status === "RUNNING" || op.status === "CREATED") op.status = "CANCELED";
      return { bulkOperation: bulkView(op), userErrors: [] };
    },
  };
  return root;
}
