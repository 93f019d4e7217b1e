/**
 * The app's access scopes on a shop, as Shopify-managed installation keeps
 * them (https://shopify.dev/docs/apps/build/authentication-authorization/app-installation/manage-access-scopes):
 *   - installing grants the toml's `scopes` (required), never `optional_scopes`;
 *   - an optional scope is granted only when the merchant accepts a request
 *     (App Bridge's `shopify.scopes.request`), and can be revoked; a required
 *     one cannot be revoked;
 *   - every change of the granted scopes sends `app/scopes_update` with
 *     `{ id, previous, current, updated_at }` and, since 2025-07, `shop_id`
 *     (https://shopify.dev/changelog/new-webhook-topic-app-scopes_update,
 *     https://shopify.dev/changelog/add-shopid-to-appscopesupdate-webhook-payload).
 * An access token carries the installation's scopes as they are now.
 */
import type { AppConfig } from "./app-config";
import type { ShopState } from "./state";

type ScopeConfig = Pick<AppConfig, "scopes" | "optionalScopes">;

export const scopeList = (scopes: string): string[] =>
  scopes
    .split(",")
    .map((scope) => scope.trim())
    .filter(Boolean);

export const grantedScopes = (shop: ShopState): string[] => scopeList(shop.installation.scopes);

export const hasScope = (shop: ShopState, scope: string): boolean => grantedScopes(shop).includes(scope);

/** What App Bridge's `shopify.scopes.query()` answers (ScopesDetail in @shopify/app-bridge-types). */
export function scopesDetail(shop: ShopState, config: ScopeConfig) {
  return {
    granted: grantedScopes(shop),
    required: scopeList(config.scopes),
    optional: config.optionalScopes,
  };
}

/**
 * Token exchange: a shop that has not installed the app (or uninstalled it)
 * is granted the required scopes only; an installed one keeps the optional
 * scopes it was granted since, as long as the app still declares them.
 */
export function grantOnTokenExchange(shop: ShopState, config: ScopeConfig): void {
  const required = scopeList(config.scopes);
  const kept = shop.installation.installed
    ? grantedScopes(shop).filter(
        (scope) => config.optionalScopes.includes(scope) && !required.includes(scope),
      )
    : [];
  shop.installation.installed = true;
  shop.installation.scopes = [...required, ...kept].join(",");
}

export class ScopeRequestError extends Error {}

export interface ScopeChange {
  previous: string[];
  current: string[];
}

/** Grants optional scopes the merchant accepted; refuses any the app does not declare optional. */
export function grantOptionalScopes(shop: ShopState, config: ScopeConfig, scopes: string[]): ScopeChange {
  const undeclared = scopes.filter((scope) => !config.optionalScopes.includes(scope));
  if (undeclared.length) {
    throw new ScopeRequestError(`${undeclared.join(", ")} is not an optional scope of this app`);
  }
  const previous = grantedScopes(shop);
  const current = [...previous, ...scopes.filter((scope) => !previous.includes(scope))];
  shop.installation.scopes = current.join(",");
  return { previous, current };
}

/** Revokes optional scopes; a required scope cannot be revoked. */
export function revokeOptionalScopes(shop: ShopState, config: ScopeConfig, scopes: string[]): ScopeChange {
  const required = scopes.filter((scope) => scopeList(config.scopes).includes(scope));
  if (required.length)
    throw new ScopeRequestError(`${required.join(", ")} is required and cannot be revoked`);
  const previous = grantedScopes(shop);
  const current = previous.filter((scope) => !scopes.includes(scope));
  shop.installation.scopes = current.join(",");
  return { previous, current };
}

/** The app/scopes_update body for a change. */
export function scopesUpdatePayload(shop: ShopState, change: ScopeChange, at: Date) {
  return {
    id: Number(/\d+$/.exec(shop.installation.id)?.[0] ?? 0),
    previous: change.previous,
    current: change.current,
    updated_at: at.toISOString(),
    shop_id: 1,
  };
}

export const changed = (change: ScopeChange) =>
  change.previous.length !== change.current.length ||
  change.previous.some((scope) => !change.current.includes(scope));
