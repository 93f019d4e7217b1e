/**
 * Whether a shop granted the app some scopes, from the comma-separated list
 * Shopify gives (the session's `scope`, app/scopes_update's `current`) as
 * stored on the Shop row. Optional scopes (shopify.app.toml `optional_scopes`)
 * turn features on: store credit, older orders, bonus events limited to
 * collections; each is off without its scopes, and its page says why.
 */
export function grantsScopes(grantedScopes: string | null | undefined, needed: readonly string[]): boolean {
  const granted = new Set((grantedScopes ?? "").split(",").map((scope) => scope.trim()));
  return needed.every((scope) => granted.has(scope));
}
