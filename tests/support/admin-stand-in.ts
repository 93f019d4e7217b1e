/**
 * A shop's Admin GraphQL API (discount codes, metafields, customer tags,
 * Flow trigger receipts, the app installation, bulk queries, the theme),
 * stood in for at the network edge: `admin` is the app's own client for jobs
 * (offlineAdmin: graphql-request with the shop's token, over `fetch`), and
 * `fetch` is Shopify's endpoint answering it (admin-graphql-endpoint.ts: the
 * official 2026-10 schema, Shopify's error shapes, the cost extension).
 * State follows Shopify's rules (a code is unique per shop, metafieldsSet
 * takes at most 25 inputs, ...), and faults can be queued: THROTTLED, an
 * HTTP 429 with Retry-After, a 502, or a connection lost after the mutation
 * took effect.
 */
import { GraphQLError, parse, validate } from "graphql";
import type { AdminGraphql } from "~/shopify/admin-api/admin-client.server";
import {
  BULK_QUERY_LIMIT,
  bulkLimitReached,
  definitionTaken,
  tooManyIds,
} from "../../devshop/admin-resolvers";
import { readAppConfig } from "../../devshop/app-config";
import { scopeList } from "../../devshop/scopes";
import { offlineAdmin } from "~/shopify/admin-api/offline-admin.server";
import type { ShopDetails } from "~/shopify/admin-api/shop-details.server";
import {
  ADMIN_GRAPHQL_PATH,
  answerAdminGraphql,
  costExtension,
  invalidToken,
  jsonResponse,
  readAdminGraphql,
  tooManyRequests,
} from "./admin-graphql-endpoint";
import { adminSchema } from "./admin-schema";
import { flowTriggerExtensions } from "./flow-extensions";
import {
  accessDenied,
  creditAccount,
  customerAccounts,
  type CreditArgs,
  type StoreCreditBook,
} from "../../devshop/store-credit";

type Fault = "throttled" | "429" | "5xx" | "lost-response";

/** The scopes Shopify grants at install: shopify.app.toml's required ones. */
export const requiredScopes = () => scopeList(readAppConfig().scopes);

/** ... and the optional read_all_orders too, as after the merchant granted it. */
export const allOrdersScopes = () => [...requiredScopes(), "read_all_orders"];

/**
 * A bulk query as Shopify runs it: CREATED, then RUNNING, then COMPLETED with
 * a JSONL URL (or FAILED with partial data) after `pollsUntilDone` polls. The
 * test serves the file; `resultUrl` says where.
 */
export interface StandInBulkOperation {
  id: string;
  query: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED";
  polls: number;
}

export interface BulkOptions {
  /** Polls seen as CREATED then RUNNING before the operation finishes. */
  pollsUntilDone?: number;
  /** The URL of the result file for a query (null: no orders matched, no file). */
  resultUrl?: (query: string) => string | null;
  rootObjectCount?: number;
  /** Finish as FAILED with this error code; the result URL becomes partialDataUrl. */
  failWith?: "TIMEOUT" | "INTERNAL_SERVER_ERROR" | "ACCESS_DENIED";
}

interface StoredCode {
  id: string;
  kind: "basic" | "freeShipping";
  input: Record<string, unknown>;
}

export interface StandInOptions {
  /**
   * The shop's products (gids), its collections' products (by collection gid) and titles (else
   * "Collection <n>"), for `nodes` and `collections` (read_products, as devshop).
   */
  catalog?: { products: string[]; collections: Record<string, string[]>; titles?: Record<string, string> };
  /** The shop whose Admin API this is (the host `admin` calls). */
  shop?: string;
  /** The offline token Shopify issued to the app for the shop. */
  accessToken?: string;
  /** The shop's name, currency, time zone and plan (ShopDetails). */
  details?: Partial<ShopDetails>;
  rejectCustomers?: string[];
  bulk?: BulkOptions;
  /** The scopes Shopify granted the app on the shop; default the toml's required ones (as after install). */
  grantedScopes?: string[];
  /** Shopify's clock (store credit expiries are checked against it); default the real one. */
  now?: () => Date;
}

/**
 * The app's jobs client (offlineAdmin) for a shop whose offline token does
 * not expire, over a `fetch` that stands in for the network to Shopify.
 */
export function jobsClientOver(
  shop: string,
  accessToken: string,
  shopifyFetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>,
): AdminGraphql {
  return offlineAdmin({
    shop,
    tokens: {
      load: async (asked) =>
        asked === shop ? { accessToken, expires: null, refreshToken: null, refreshTokenExpires: null } : null,
      refresh: () => Promise.reject(new Error(`the offline token of ${shop} here does not expire`)),
    },
    fetch: shopifyFetch as typeof fetch,
  });
}

export function adminStandIn(options: StandInOptions = {}) {
  const shop = options.shop ?? "stand-in.myshopify.com";
  const accessToken = options.accessToken ?? "shpat_stand_in";
  const codes = new Map<string, StoredCode>();
  const bulkOperations: StandInBulkOperation[] = [];
  const bulk: BulkOptions = options.bulk ?? {};
  const calls: { operation: string; variables: Record<string, unknown> }[] = [];
  const faults: Fault[] = [];
  /** What a queued 429 says to wait, in seconds, as Shopify writes it ("2.0"). */
  const throttling = { retryAfter: "2.0" };
  let nextId = 1;

  /** Shopify's codes are unique in a shop, and found, whatever their case. */
  const codeNamed = (code: string) => {
    const wanted = code.toLowerCase();
    for (const [name, stored] of codes) if (name.toLowerCase() === wanted) return stored;
    return undefined;
  };
  const rejected = (id: string) => options.rejectCustomers?.includes(id) ?? false;
  const clock = options.now ?? (() => new Date());
  const granted = (scope: string) => (options.grantedScopes ?? requiredScopes()).includes(scope);
  /** Customers' store credit accounts (devshop/store-credit.ts: Shopify's rules for them). */
  const storeCredit: StoreCreditBook = { accounts: {} };
  const firstOf = <T>(items: T[], args: Record<string, unknown>) => ({
    nodes: typeof args.first === "number" ? items.slice(0, args.first) : items,
  });

  const create = (kind: StoredCode["kind"], input: Record<string, unknown>) => {
    const code = String(input.code);
    const customers = ((input.context as { customers?: { add?: string[] } })?.customers?.add ??
      []) as string[];
    if (customers.some(rejected)) {
      return {
        codeDiscountNode: null,
        userErrors: [
          { field: ["context", "customers", "add"], code: "INVALID", message: "Customer does not exist" },
        ],
      };
    }
    if (codeNamed(code)) {
      return {
        codeDiscountNode: null,
        userErrors: [
          { field: ["code"], code: "TAKEN", message: "Code must be unique. Please try a different code." },
        ],
      };
    }
    const id = `gid://shopify/DiscountCodeNode/${nextId++}`;
    codes.set(code, { id, kind, input });
    return { codeDiscountNode: { id }, userErrors: [] };
  };

  const metafields = new Map<string, { type: string; value: string }>();
  const tags = new Map<string, Set<string>>();
  const flowReceipts: { handle: string; payload: unknown }[] = [];
  const installationId = "gid://shopify/AppInstallation/42";
  const tagsOf = (id: string) => {
    let set = tags.get(id);
    if (!set) tags.set(id, (set = new Set()));
    return set;
  };
  const bulkView = (operation: StandInBulkOperation) => {
    const done = operation.status === "COMPLETED" || operation.status === "FAILED";
    const url = done ? (bulk.resultUrl?.(operation.query) ?? null) : null;
    return {
      id: operation.id,
      status: operation.status,
      errorCode: operation.status === "FAILED" ? bulk.failWith : null,
      objectCount: String(done ? (bulk.rootObjectCount ?? 0) : 0),
      rootObjectCount: String(done ? (bulk.rootObjectCount ?? 0) : 0),
      url: operation.status === "COMPLETED" ? url : null,
      partialDataUrl: operation.status === "FAILED" ? url : null,
    };
  };
  /**
   * The shop's published theme (null: none), or a failure (no read_themes scope).
   * `pageSize`: the most files Shopify puts in a page of `files`, fewer than asked
   * "to stay within the payload size limit" (OnlineStoreTheme.files in the schema).
   */
  const theme: {
    main: { name: string; files: { filename: string; content: string }[] } | null;
    fail: boolean;
    pageSize?: number;
  } = {
    main: null,
    fail: false,
  };
  const glob = (pattern: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
  const details: ShopDetails = {
    name: "Test Shop",
    currencyCode: "EUR",
    ianaTimezone: "Europe/Paris",
    shopifyPlus: false,
    ...options.details,
  };
  const metafieldDefinitions: { ownerType: string; namespace: string; key: string; type: string }[] = [];
  const noCustomer = () => ({
    node: null,
    userErrors: [{ field: ["id"], message: "Customer does not exist" }],
  });
  const catalog = options.catalog ?? { products: [], collections: {} };
  const needProducts = (field: string) => {
    if (!granted("read_products")) throw accessDenied(field, "read_products");
  };
  const collectionView = (id: string) => ({
    __typename: "Collection",
    id,
    title: catalog.titles?.[id] ?? `Collection ${id.split("/").pop()}`,
  });
  const root = {
    /** Products by gid answering inCollection, and collections (devshop/admin-resolvers.ts `nodes`); others null. */
    nodes: ({ ids }: { ids: string[] }) => {
      if (ids.length > 250)
        throw new GraphQLError(tooManyIds(ids.length), { extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } });
      return ids.map((id) => {
        if (id.startsWith("gid://shopify/Collection/")) {
          needProducts("nodes");
          return catalog.collections[id] ? collectionView(id) : null;
        }
        return catalog.products.includes(id)
          ? {
              __typename: "Product",
              id,
              inCollection: ({ id: collection }: { id: string }) => {
                needProducts("inCollection");
                return catalog.collections[collection]?.includes(id) ?? false;
              },
            }
          : null;
      });
    },
    /** The collections by title, a page of `first`. */
    collections: ({ first }: { first: number }) => {
      needProducts("collections");
      const all = Object.keys(catalog.collections)
        .map(collectionView)
        .sort((a, b) => a.title.localeCompare(b.title));
      return {
        nodes: all.slice(0, first),
        pageInfo: { hasNextPage: all.length > first, hasPreviousPage: false },
      };
    },
    shop: () => ({
      id: "gid://shopify/Shop/1",
      name: details.name,
      myshopifyDomain: shop,
      currencyCode: details.currencyCode,
      ianaTimezone: details.ianaTimezone,
      plan: { shopifyPlus: details.shopifyPlus },
    }),
    currentAppInstallation: () => ({
      id: installationId,
      accessScopes: (options.grantedScopes ?? requiredScopes()).map((handle) => ({ handle })),
    }),
    /** A (owner type, namespace, key) is defined once. */
    metafieldDefinitionCreate: ({ definition }: { definition: (typeof metafieldDefinitions)[number] }) => {
      if (
        metafieldDefinitions.some(
          (d) =>
            d.ownerType === definition.ownerType &&
            d.namespace === definition.namespace &&
            d.key === definition.key,
        )
      ) {
        return definitionTaken();
      }
      metafieldDefinitions.push(definition);
      return {
        createdDefinition: { id: `gid://shopify/MetafieldDefinition/${nextId++}` },
        userErrors: [],
      };
    },
    themes: ({ roles }: { roles?: string[] }) => {
      if (theme.fail)
        throw new Error("Access denied for themes field. Required access: `read_themes` access scope.");
      if (!theme.main || !(roles ?? []).includes("MAIN")) return { nodes: [] };
      const main = theme.main;
      return {
        nodes: [
          {
            id: "gid://shopify/OnlineStoreTheme/1",
            name: main.name,
            files: ({
              filenames,
              first,
              after,
            }: {
              filenames?: string[];
              first?: number;
              after?: string;
            }) => {
              // Shopify's files, in filename order, a page at a time: at most `first`, and fewer
              // when its payload limit says so; the cursor is the last filename of the page.
              const matching = main.files
                .filter((file) => !filenames || filenames.some((name) => glob(name).test(file.filename)))
                .sort((a, b) => a.filename.localeCompare(b.filename))
                .filter((file) => after === undefined || file.filename > after);
              const size = Math.min(first ?? matching.length, theme.pageSize ?? Number.POSITIVE_INFINITY);
              const page = matching.slice(0, size);
              return {
                nodes: page.map((file) => ({
                  filename: file.filename,
                  body: { __typename: "OnlineStoreThemeFileBodyText", content: file.content },
                })),
                pageInfo: {
                  hasNextPage: matching.length > page.length,
                  endCursor: page.at(-1)?.filename ?? null,
                },
                userErrors: [],
              };
            },
          },
        ],
      };
    },
    bulkOperationRunQuery: ({ query }: { query: string; groupObjects: boolean }) => {
      // Up to five run at once (API 2026-01 and later); a sixth is LIMIT_REACHED, as on devshop.
      const running = bulkOperations.filter((o) => ["CREATED", "RUNNING", "CANCELING"].includes(o.status));
      if (running.length >= BULK_QUERY_LIMIT) return bulkLimitReached();
      try {
        const errors = validate(adminSchema(), parse(query));
        if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("; "));
      } catch (error) {
        return {
          bulkOperation: null,
          userErrors: [{ field: ["query"], code: "INVALID", message: (error as Error).message }],
        };
      }
      const operation: StandInBulkOperation = {
        id: `gid://shopify/BulkOperation/${nextId++}`,
        query,
        status: "CREATED",
        polls: 0,
      };
      bulkOperations.push(operation);
      return { bulkOperation: { id: operation.id, status: operation.status }, userErrors: [] };
    },
    bulkOperation: ({ id }: { id: string }) => {
      const operation = bulkOperations.find((o) => o.id === id);
      if (!operation) return null;
      // Each poll moves it on: CREATED -> RUNNING -> COMPLETED (or FAILED).
      const until = bulk.pollsUntilDone ?? 2;
      if (operation.status === "CREATED" || operation.status === "RUNNING") {
        operation.polls++;
        operation.status =
          operation.polls >= until
            ? bulk.failWith
              ? "FAILED"
              : "COMPLETED"
            : operation.polls > 0
              ? "RUNNING"
              : "CREATED";
      } else if (operation.status === "CANCELING") {
        operation.status = "CANCELED";
      }
      return bulkView(operation);
    },
    bulkOperationCancel: ({ id }: { id: string }) => {
      const operation = bulkOperations.find((o) => o.id === id);
      if (!operation)
        return {
          bulkOperation: null,
          userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }],
        };
      if (operation.status === "CREATED" || operation.status === "RUNNING") operation.status = "CANCELING";
      return { bulkOperation: { id, status: operation.status }, userErrors: [] };
    },
    tagsAdd: ({ id, tags: added }: { id: string; tags: string[] }) => {
      if (rejected(id)) return noCustomer();
      for (const tag of added) tagsOf(id).add(tag);
      return { node: { __typename: "Customer", id }, userErrors: [] };
    },
    tagsRemove: ({ id, tags: removed }: { id: string; tags: string[] }) => {
      if (rejected(id)) return noCustomer();
      for (const tag of removed) tagsOf(id).delete(tag);
      return { node: { __typename: "Customer", id }, userErrors: [] };
    },
    flowTriggerReceive: ({ handle, payload }: { handle: string; payload: unknown }) => {
      // A trigger belongs to one of the app's Flow extensions, and its payload has every field the extension declares.
      const extension = flowTriggerExtensions().find((e) => e.handle === handle);
      if (!extension) return { userErrors: [{ field: ["handle"], message: `Trigger ${handle} not found` }] };
      const fields = (payload ?? {}) as Record<string, unknown>;
      const missing = extension.payloadKeys.filter((key) => !(key in fields));
      if (missing.length > 0) {
        return { userErrors: [{ field: ["payload"], message: `Payload is missing ${missing.join(", ")}` }] };
      }
      flowReceipts.push({ handle, payload });
      return { userErrors: [] };
    },
    metafieldsSet: ({
      metafields: inputs,
    }: {
      metafields: { ownerId: string; namespace: string; key: string; type: string; value: string }[];
    }) => {
      if (inputs.length > 25) {
        return {
          metafields: [],
          userErrors: [
            {
              field: ["metafields"],
              code: "LESS_THAN_OR_EQUAL_TO",
              message: "Exceeded the maximum metafields input limit of 25.",
            },
          ],
        };
      }
      const blank = inputs.findIndex((m) => m.value === "");
      if (blank >= 0) {
        return {
          metafields: [],
          userErrors: [
            {
              field: ["metafields", String(blank), "value"],
              code: "BLANK",
              message: "Value can't be blank.",
            },
          ],
        };
      }
      // A boolean's value is "true" or "false" (https://shopify.dev/docs/apps/build/custom-data/metafields/list-of-data-types).
      const notBoolean = inputs.findIndex(
        (m) => m.type === "boolean" && m.value !== "true" && m.value !== "false",
      );
      if (notBoolean >= 0) {
        return {
          metafields: [],
          userErrors: [
            {
              field: ["metafields", String(notBoolean), "value"],
              code: "INVALID_VALUE",
              message: "Value must be true or false.",
            },
          ],
        };
      }
      for (const m of inputs)
        metafields.set(`${m.ownerId}|${m.namespace}|${m.key}`, { type: m.type, value: m.value });
      return { metafields: inputs.map((m) => ({ key: m.key, namespace: m.namespace })), userErrors: [] };
    },
    /** A customer (any id but a rejected one exists here), as far as store credit goes. */
    customer: ({ id }: { id: string }) =>
      rejected(id)
        ? null
        : {
            id,
            storeCreditAccounts: (args: Record<string, unknown>) => {
              if (!granted("read_store_credit_accounts"))
                throw accessDenied("storeCreditAccounts", "read_store_credit_accounts");
              return customerAccounts(storeCredit, id.split("/").pop()!, args, clock(), firstOf);
            },
          },
    storeCreditAccountCredit: (args: CreditArgs) => {
      if (!granted("write_store_credit_account_transactions"))
        throw accessDenied("storeCreditAccountCredit", "write_store_credit_account_transactions");
      return creditAccount(
        storeCredit,
        (customerId) => !rejected(`gid://shopify/Customer/${customerId}`),
        args,
        clock(),
        () => nextId++,
        details.currencyCode,
      );
    },
    discountCodeBasicCreate: ({ basicCodeDiscount }: { basicCodeDiscount: Record<string, unknown> }) =>
      create("basic", basicCodeDiscount),
    discountCodeFreeShippingCreate: ({
      freeShippingCodeDiscount,
    }: {
      freeShippingCodeDiscount: Record<string, unknown>;
    }) => create("freeShipping", freeShippingCodeDiscount),
    codeDiscountNodeByCode: ({ code }: { code: string }) => {
      const found = codeNamed(code);
      return found ? { id: found.id } : null;
    },
    discountCodeDelete: ({ id }: { id: string }) => {
      for (const [code, stored] of codes) {
        if (stored.id === id) {
          codes.delete(code);
          return { deletedCodeDiscountId: id, userErrors: [] };
        }
      }
      return {
        deletedCodeDiscountId: null,
        userErrors: [{ field: ["id"], code: "INVALID", message: "Discount does not exist" }],
      };
    },
  };

  /**
   * Shopify's answer to one call, for a caller that already holds a valid
   * token (the edge checks its own): a queued fault, else the call executed.
   */
  const answer = async (body: string): Promise<Response> => {
    const call = readAdminGraphql(body);
    if (call instanceof Response) return call;
    calls.push({ operation: call.operation, variables: call.variables });
    const fault = faults.shift();
    if (fault === "throttled") {
      return jsonResponse(200, {
        errors: [
          {
            message: "Throttled",
            extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
          },
        ],
        extensions: { cost: { ...costExtension(10, 5).cost, actualQueryCost: null } },
      });
    }
    if (fault === "429") return tooManyRequests(throttling.retryAfter);
    if (fault === "5xx") return new Response("Bad Gateway", { status: 502 });
    const response = await answerAdminGraphql(root, call);
    // Shopify did the work; the connection dropped before the answer arrived.
    if (fault === "lost-response")
      throw new TypeError("fetch failed", { cause: new Error("socket hang up") });
    return response;
  };

  /** The network as far as the shop: its Admin GraphQL endpoint, and nothing else. */
  const shopifyFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.host !== shop) throw new Error(`Admin API stand-in of ${shop} was sent a request to ${url.href}`);
    if (url.pathname !== ADMIN_GRAPHQL_PATH || request.method !== "POST") {
      return jsonResponse(404, { errors: "Not Found" });
    }
    if (request.headers.get("X-Shopify-Access-Token") !== accessToken) return invalidToken();
    return answer(await request.text());
  };

  const admin = jobsClientOver(shop, accessToken, shopifyFetch);

  return {
    shop,
    accessToken,
    admin,
    answer,
    fetch: shopifyFetch,
    root,
    codes,
    metafields,
    metafieldDefinitions,
    details,
    tags,
    flowReceipts,
    installationId,
    calls,
    faults,
    throttling,
    bulkOperations,
    theme,
    storeCredit,
  };
}
