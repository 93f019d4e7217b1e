/**
 * Shopify's Admin GraphQL endpoint (`POST /admin/api/2026-10/graphql.json`)
 * as the tests' stand-ins answer it, on the official 2026-10 schema: the body
 * read as Shopify reads it, a document it would refuse refused with its error
 * shape (HTTP 200, `errors[].extensions.code`), an accepted one executed on a
 * root of plain objects and answered with the cost extension. Both the shop
 * stand-in (admin-stand-in.ts) and the edge (shopify-edge.ts) answer through
 * these, so every test meets one contract.
 */
import { execute, parse, validate, type DocumentNode, type GraphQLError } from "graphql";
import { servedOrFailBy } from "../../devshop/admin-resolvers";
import { adminSchema } from "./admin-schema";

const servedByTheTest = servedOrFailBy("the test's Shopify");

export const ADMIN_GRAPHQL_PATH = "/admin/api/2026-10/graphql.json";

export interface AdminGraphqlCall {
  document: DocumentNode;
  /** The operation's name, as the app names every document it sends. */
  operation: string;
  variables: Record<string, unknown>;
}

export const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** Shopify's answer to a request without a valid token for the shop. */
export const invalidToken = () =>
  jsonResponse(401, {
    errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
  });

export const costExtension = (requested: number, available: number) => ({
  cost: {
    requestedQueryCost: requested,
    actualQueryCost: requested,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
  },
});

const refused = (code: string, errors: readonly Pick<GraphQLError, "message" | "locations" | "path">[]) =>
  jsonResponse(200, {
    errors: errors.map((error) => ({
      message: error.message,
      locations: error.locations,
      path: error.path,
      extensions: { code },
    })),
  });

/** The request's body as a call to execute, or Shopify's answer refusing it. */
export function readAdminGraphql(body: string): AdminGraphqlCall | Response {
  let request: { query?: unknown; variables?: unknown };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return jsonResponse(400, { errors: "Invalid JSON in request body" });
  }
  if (typeof request.query !== "string") {
    return jsonResponse(400, { errors: { query: "Required parameter missing or invalid" } });
  }
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return refused("GRAPHQL_PARSE_FAILED", [error as GraphQLError]);
  }
  const invalid = validate(adminSchema(), document);
  if (invalid.length > 0) return refused("GRAPHQL_VALIDATION_FAILED", invalid);
  return {
    document,
    operation: /(?:query|mutation)\s+(\w+)/.exec(request.query)?.[1] ?? "anonymous",
    variables: (request.variables ?? {}) as Record<string, unknown>,
  };
}

/**
 * Executes an accepted call on `root` and answers as Shopify does, cost
 * included. A field the root's objects do not have fails by name, as on
 * devshop, rather than coming back null as if Shopify had nothing to say.
 */
export async function answerAdminGraphql(
  root: Record<string, unknown>,
  call: AdminGraphqlCall,
  cost = costExtension(10, 1990),
): Promise<Response> {
  const result = await execute({
    schema: adminSchema(),
    document: call.document,
    rootValue: root,
    variableValues: call.variables,
    fieldResolver: servedByTheTest,
  });
  return jsonResponse(200, { ...result, extensions: cost });
}
