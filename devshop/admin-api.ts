/**
 * Admin GraphQL, `POST /admin/api/2026-10/graphql.json`, executed on the
 * vendored official 2026-10 schema:
 *   - a document Shopify would reject is rejected with Shopify's error shape
 *     (`errors[].extensions.code` GRAPHQL_VALIDATION_FAILED);
 *   - the fields Regulars uses are served from the shop's state
 *     (admin-resolvers.ts); any other field fails loudly by name;
 *   - cost-based throttling: a leaky bucket per shop (2,000 points, 100 a
 *     second), `extensions.cost.throttleStatus` on every answer and a
 *     THROTTLED error when a query costs more than is available;
 *   - faults for tests and demos: THROTTLED, an HTTP 429 with Retry-After, a
 *     5xx, or a slow answer.
 */
import {
  execute,
  getNamedType,
  isObjectType,
  isAbstractType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { adminSchema } from "./admin-schema";
import { adminRoot, servedOrFail, type AdminRootOptions } from "./admin-resolvers";
import type { DevshopState, ShopState } from "./state";

export type AdminFault = "throttled" | "429" | "5xx" | "slow";
export const ADMIN_FAULTS: readonly AdminFault[] = ["throttled", "429", "5xx", "slow"];

const FREE_WRAPPERS = new Set(["edges", "pageInfo"]);
const BUCKET = { maximumAvailable: 2000, restoreRate: 100 };

export interface AdminAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * Shopify's answer to a request over its rate limit: HTTP 429 Too Many
 * Requests with a Retry-After header, "the number of seconds to wait until you
 * can make a request again", written like "2.0"
 * (https://shopify.dev/docs/api/admin-rest/usage/rate-limits#retry-after-header;
 * Shopify's GraphQL client retries a 429 after its Retry-After too:
 * https://github.com/Shopify/shopify-app-js/blob/main/packages/api-clients/graphql-client/src/graphql-client/http-fetch.ts).
 * The body is the REST API's error shape.
 */
export const rateLimited = (retryAfterSeconds: string): AdminAnswer => ({
  status: 429,
  body: { errors: "Exceeded the rate limit for this app on this shop. Reduce request rates and try again." },
  headers: { "Content-Type": "application/json", "Retry-After": retryAfterSeconds },
});

/** Shopify's static cost: 1 per object, connections multiplied by first/last, 10 per mutation. */
function requestedCost(document: DocumentNode, operation: OperationDefinitionNode): number {
  const schema = adminSchema();
  const root = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  const costOf = (selection: SelectionSetNode | undefined, parent: GraphQLOutputType | null): number => {
    if (!selection || !parent) return 0;
    const named = getNamedType(parent);
    let total = 0;
    for (const node of selection.selections) {
      if (node.kind === Kind.INLINE_FRAGMENT) {
        total += costOf(
          node.selectionSet,
          node.typeCondition ? (schema.getType(node.typeCondition.name.value) as GraphQLOutputType) : parent,
        );
        continue;
      }
      if (node.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = document.definitions.find(
          (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === node.name.value,
        );
        if (fragment?.kind === Kind.FRAGMENT_DEFINITION) {
          total += costOf(
            fragment.selectionSet,
            schema.getType(fragment.typeCondition.name.value) as GraphQLOutputType,
          );
        }
        continue;
      }
      const field =
        isObjectType(named) || isAbstractType(named)
          ? (named as { getFields?: () => Record<string, { type: GraphQLOutputType }> }).getFields?.()[
              node.name.value
            ]
          : undefined;
      const type = field?.type ?? null;
      const child = costOf(node.selectionSet, type);
      const size = node.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
      const count = size?.value.kind === Kind.INT ? Number(size.value.value) : size ? 10 : 1;
      // Each object costs 1; a connection's edges and pageInfo wrappers are free.
      const own = node.selectionSet && !FREE_WRAPPERS.has(node.name.value) ? 1 : 0;
      total += size ? 2 + count * child : own + child;
    }
    return total;
  };
  const base = costOf(operation.selectionSet, root ?? null);
  return operation.operation === "mutation" ? 10 + Math.max(0, base - 1) : Math.max(1, base);
}

/** An Admin GraphQL request Shopify accepts: its document, the operation to run and its variables. */
export interface AdminRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode | undefined;
  variables: Record<string, unknown>;
}

/**
 * Reads a request body as Shopify does: no query is a 400; a document that
 * does not parse, or that the 2026-10 schema rejects, is refused with
 * Shopify's error shape (HTTP 200, `errors[].extensions.code`).
 */
export function readAdminRequest(body: {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}): AdminRequest | AdminAnswer {
  if (typeof body.query !== "string") {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return {
      status: 200,
      body: {
        errors: [{ message: (error as Error).message, extensions: { code: "GRAPHQL_PARSE_FAILED" } }],
      },
    };
  }
  const invalid = validate(adminSchema(), document);
  if (invalid.length > 0) {
    return {
      status: 200,
      body: {
        errors: invalid.map((error) => ({
          message: error.message,
          locations: error.locations,
          path: error.path,
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        })),
      },
    };
  }
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode =>
      d.kind === Kind.OPERATION_DEFINITION &&
      (typeof body.operationName !== "string" || d.name?.value === body.operationName),
  );
  return { document, operation, variables: (body.variables ?? {}) as Record<string, unknown> };
}

interface Bucket {
  available: number;
  at: number;
}

export class AdminApi {
  readonly faults = new Map<string, AdminFault[]>();
  /** What a queued 429 says to wait, in seconds ("2.0", Shopify's example). */
  retryAfterSeconds = "2.0";
  private readonly buckets = new Map<string, Bucket>();
  /** Every operation served, by shop: name and whether it succeeded. */
  readonly log: { shop: string; operation: string; at: string; outcome: string }[] = [];

  constructor(
    private readonly state: DevshopState,
    private readonly clock: () => Date,
    /** The simulator's public origin (bulk operation result URLs). */
    private readonly origin: () => string,
    private readonly options: AdminRootOptions = {},
  ) {}

  /** Keeps the newest 5,000 calls (a long demo would otherwise grow the log without end). */
  private record(entry: AdminApi["log"][number]): void {
    this.log.push(entry);
    if (this.log.length > 5000) this.log.splice(0, this.log.length - 5000);
  }

  queueFault(shop: string, ...faults: AdminFault[]): void {
    this.faults.set(shop, [...(this.faults.get(shop) ?? []), ...faults]);
  }

  private throttle(shop: string, cost: number): { ok: boolean; status: Record<string, number> } {
    const now = this.clock().getTime();
    const bucket = this.buckets.get(shop) ?? { available: BUCKET.maximumAvailable, at: now };
    bucket.available = Math.min(
      BUCKET.maximumAvailable,
      bucket.available + ((now - bucket.at) / 1000) * BUCKET.restoreRate,
    );
    bucket.at = now;
    const ok = cost <= bucket.available;
    if (ok) bucket.available -= cost;
    this.buckets.set(shop, bucket);
    return {
      ok,
      status: {
        maximumAvailable: BUCKET.maximumAvailable,
        currentlyAvailable: Math.floor(bucket.available),
        restoreRate: BUCKET.restoreRate,
      },
    };
  }

  async run(
    shop: ShopState,
    body: { query?: unknown; variables?: unknown; operationName?: unknown },
  ): Promise<AdminAnswer> {
    const read = readAdminRequest(body);
    if ("status" in read) return read;
    const { document, operation } = read;
    const name = operation?.name?.value ?? "anonymous";
    const cost = operation ? requestedCost(document, operation) : 1;
    const fault = this.faults.get(shop.domain)?.shift();
    if (fault === "5xx") {
      this.record({ shop: shop.domain, operation: name, at: this.clock().toISOString(), outcome: "502" });
      return { status: 502, body: "Bad Gateway" };
    }
    if (fault === "429") {
      this.record({ shop: shop.domain, operation: name, at: this.clock().toISOString(), outcome: "429" });
      return rateLimited(this.retryAfterSeconds);
    }
    if (fault === "slow") await new Promise((resolve) => setTimeout(resolve, 3000));
    const throttle = this.throttle(shop.domain, fault === "throttled" ? Number.POSITIVE_INFINITY : cost);
    if (!throttle.ok) {
      this.record({
        shop: shop.domain,
        operation: name,
        at: this.clock().toISOString(),
        outcome: "THROTTLED",
      });
      return {
        status: 200,
        body: {
          errors: [
            {
              message: "Throttled",
              extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
            },
          ],
          extensions: {
            cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttle.status },
          },
        },
      };
    }
    const result = await execute({
      schema: adminSchema(),
      document,
      rootValue: adminRoot(this.state, shop, this.clock, this.origin(), this.options),
      variableValues: read.variables,
      operationName: typeof body.operationName === "string" ? body.operationName : undefined,
      fieldResolver: servedOrFail,
    });
    if (operation?.operation === "mutation") this.state.changed();
    this.record({
      shop: shop.domain,
      operation: name,
      at: this.clock().toISOString(),
      outcome: result.errors?.length ? `error: ${result.errors[0]!.message}` : "ok",
    });
    return {
      status: 200,
      body: {
        ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
        data: result.data ?? null,
        extensions: {
          cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: throttle.status },
        },
      },
    };
  }
}
