/**
 * Shopify's Admin GraphQL API (discount codes, metafields, customer tags,
 * Flow trigger receipts, the app installation), stood in for behind the
 * app's AdminGraphql boundary (the `admin.graphql` function). Every document
 * is validated against the official 2026-10 schema and executed with
 * graphql-js; state follows Shopify's rules (a code is unique per shop), and
 * faults can be queued: THROTTLED, a 5xx, or a response lost after the
 * mutation took effect.
 */
import { execute, parse, validate } from "graphql";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { adminSchema } from "./admin-schema";

export type Fault = "throttled" | "5xx" | "lost-response";

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

const COST = (available: number) => ({
  requestedQueryCost: 10,
  actualQueryCost: 10,
  throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
});

export function adminStandIn(options: { rejectCustomers?: string[]; bulk?: BulkOptions } = {}) {
  const codes = new Map<string, StoredCode>();
  const bulkOperations: StandInBulkOperation[] = [];
  const bulk: BulkOptions = options.bulk ?? {};
  const calls: { operation: string; variables: Record<string, unknown> }[] = [];
  const faults: Fault[] = [];
  let nextId = 1;

  const create = (kind: StoredCode["kind"], input: Record<string, unknown>) => {
    const code = String(input.code);
    const customers = ((input.context as { customers?: { add?: string[] } })?.customers?.add ??
      []) as string[];
    if (customers.some((c) => options.rejectCustomers?.includes(c))) {
      return {
        codeDiscountNode: null,
        userErrors: [
          { field: ["context", "customers", "add"], code: "INVALID", message: "Customer does not exist" },
        ],
      };
    }
    if (codes.has(code)) {
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
  /** The shop's published theme (null: none), or a failure (no read_themes scope). */
  const theme: {
    main: { name: string; files: { filename: string; content: string }[] } | null;
    fail: boolean;
  } = {
    main: null,
    fail: false,
  };
  const glob = (pattern: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
  const root = {
    currentAppInstallation: () => ({ id: installationId }),
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
            files: ({ filenames }: { filenames?: string[] }) => ({
              nodes: main.files
                .filter((file) => !filenames || filenames.some((name) => glob(name).test(file.filename)))
                .map((file) => ({
                  filename: file.filename,
                  body: { __typename: "OnlineStoreThemeFileBodyText", content: file.content },
                })),
            }),
          },
        ],
      };
    },
    bulkOperationRunQuery: ({ query }: { query: string; groupObjects: boolean }) => {
      if (bulkOperations.some((o) => ["CREATED", "RUNNING", "CANCELING"].includes(o.status))) {
        return {
          bulkOperation: null,
          userErrors: [
            {
              field: null,
              code: "OPERATION_IN_PROGRESS",
              message: "A bulk query operation for this app and shop is already in progress.",
            },
          ],
        };
      }
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
      for (const tag of added) tagsOf(id).add(tag);
      return { node: { __typename: "Customer", id }, userErrors: [] };
    },
    tagsRemove: ({ id, tags: removed }: { id: string; tags: string[] }) => {
      for (const tag of removed) tagsOf(id).delete(tag);
      return { node: { __typename: "Customer", id }, userErrors: [] };
    },
    flowTriggerReceive: ({ handle, payload }: { handle: string; payload: unknown }) => {
      if (!/^regulars-[a-z-]+$/.test(handle)) {
        return { userErrors: [{ field: ["handle"], message: `Trigger ${handle} not found` }] };
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
      for (const m of inputs)
        metafields.set(`${m.ownerId}|${m.namespace}|${m.key}`, { type: m.type, value: m.value });
      return { metafields: inputs.map((m) => ({ key: m.key, namespace: m.namespace })), userErrors: [] };
    },
    discountCodeBasicCreate: ({ basicCodeDiscount }: { basicCodeDiscount: Record<string, unknown> }) =>
      create("basic", basicCodeDiscount),
    discountCodeFreeShippingCreate: ({
      freeShippingCodeDiscount,
    }: {
      freeShippingCodeDiscount: Record<string, unknown>;
    }) => create("freeShipping", freeShippingCodeDiscount),
    codeDiscountNodeByCode: ({ code }: { code: string }) => {
      const found = codes.get(code);
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

  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

  const admin: AdminGraphql = {
    graphql: async (query, init) => {
      const variables = init?.variables ?? {};
      const document = parse(query);
      const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "anonymous";
      calls.push({ operation, variables });
      const errors = validate(adminSchema(), document);
      if (errors.length > 0) {
        return json({
          errors: errors.map((e) => ({
            message: e.message,
            locations: e.locations,
            extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
          })),
        });
      }
      const fault = faults.shift();
      if (fault === "throttled") {
        return json({
          errors: [
            {
              message: "Throttled",
              extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
            },
          ],
          extensions: { cost: COST(5) },
        });
      }
      if (fault === "5xx") return new Response("Bad Gateway", { status: 502 });
      const result = await execute({
        schema: adminSchema(),
        document,
        rootValue: root,
        variableValues: variables,
      });
      if (fault === "lost-response") throw new TypeError("fetch failed: socket hang up");
      return json({ ...result, extensions: { cost: COST(1990) } });
    },
  };

  return {
    admin,
    root,
    codes,
    metafields,
    tags,
    flowReceipts,
    installationId,
    calls,
    faults,
    bulkOperations,
    theme,
  };
}
