/**
 * The narrow view of an Admin API client that adapters in app/shopify/ need:
 * the `admin.graphql` function of @shopify/shopify-app-remix (request-scoped
 * or from `unauthenticated.admin(shop)` in jobs). Every adapter checks the
 * top-level `errors` here and its own `userErrors` itself.
 */
export type AdminGraphql = {
  graphql: (
    query: string,
    options?: { variables?: Record<string, unknown> },
  ) => Promise<Response>;
};

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

export async function runQuery<Data>(
  admin: AdminGraphql,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Data> {
  const response = await admin.graphql(query, variables ? { variables } : undefined);
  const body = (await response.json()) as { data?: Data; errors?: unknown };
  if (body.errors) {
    throw new AdminApiError(`Admin API error: ${JSON.stringify(body.errors)}`, body.errors);
  }
  if (!body.data) throw new AdminApiError("Admin API response has no data");
  return body.data;
}
