/**
 * The access scopes Shopify has granted Regulars on a shop, asked of Shopify
 * itself (currentAppInstallation.accessScopes), not of the copy kept from
 * token exchanges and app/scopes_update, which can lag a grant the merchant
 * just made through App Bridge's scopes API.
 */
import type { GrantedScopesQuery } from "../../types/admin.generated";
import { AdminApiError, type AdminGraphql, runQuery } from "./admin-client.server";
import { READ_ALL_ORDERS } from "./order-access";

const GRANTED_SCOPES_QUERY = `#graphql
  query GrantedScopes {
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`;

export async function fetchGrantedScopes(admin: AdminGraphql): Promise<string[]> {
  const data = await runQuery<GrantedScopesQuery>(admin, GRANTED_SCOPES_QUERY);
  if (!data.currentAppInstallation) throw new AdminApiError("GrantedScopes returned no app installation");
  return data.currentAppInstallation.accessScopes.map((scope) => scope.handle);
}

export async function canReadAllOrders(admin: AdminGraphql): Promise<boolean> {
  return (await fetchGrantedScopes(admin)).includes(READ_ALL_ORDERS);
}
