/**
 * Shopify's Admin GraphQL endpoint (`POST /admin/api/<version>/graphql.json`)
 * as the tests' stand-ins answer it, on the official schema of that version: the body
 * read as Shopify reads it (devshop's readAdminRequest, so a document is
 * refused the same way everywhere), an accepted one executed on a root of
 * plain objects and answered with the cost extension. Both the shop
 * stand-in (admin-stand-in.ts) and the edge (shopify-edge.ts) answer through
 * these, so every test meets one contract.
 */
import { execute, type DocumentNode } from "graphql";
import { rateLimited, readAdminRequest } from "../../devshop/admin-api";
import { servedOrFailBy } from "../../devshop/admin-resolvers";
import { ADMIN_API_VERSION } from "~/shopify/api-version";
import { adminSchema } from "./admin-schema";

const servedByTheTest = servedOrFailBy("the test's Shopify");

export const ADMIN_GRAPHQL_PATH = `/admin/api/${ADMIN_API_VERSION}/graphql.json`;

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

/** Shopify's answer to a call over its rate limit: HTTP 429 with Retry-After (devshop's, as a Response). */
export const tooManyRequests = (retryAfterSeconds: string) => {
  const answer = rateLimited(retryAfterSeconds);
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
};

export const costExtension = (requested: number, available: number) => ({
  cost: {
    requestedQueryCost: requested,
    actualQueryCost: requested,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
  },
});

/**
 * The request's body as a call to execute, or Shopify's answer refusing it
 * (read as devshop reads it: readAdminRequest).
 */
export function readAdminGraphql(body: string): AdminGraphqlCall | Response {
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return jsonResponse(400, { errors: "Invalid JSON in request body" });
  }
  const read = readAdminRequest(request);
  if ("status" in read) return jsonResponse(read.status, read.body);
  return {
    document: read.document,
    operation: read.operation?.name?.value ?? "anonymous",
    variables: read.variables,
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
