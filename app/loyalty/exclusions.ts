/**
 * Who is left out of the program: customers with a tag the merchant chose ("wholesale", "staff")
 * and B2B orders (a company on the order). They earn nothing and see no program
 * (docs/decisions/0021-exclusions.md).
 *
 * Tags are compared without case and without surrounding spaces, as Shopify compares them ("Tags
 * aren't case sensitive": https://help.shopify.com/en/manual/shopify-admin/productivity-tools/using-tags).
 */

/** A tag as it is compared: trimmed, lower-cased. */
const tagKey = (tag: string) => tag.trim().toLowerCase();

/** The excluded tag the customer carries (as the merchant wrote it), or null when none. */
export function excludedTagOf(
  customerTags: readonly string[],
  excludedTags: readonly string[],
): string | null {
  if (excludedTags.length === 0 || customerTags.length === 0) return null;
  const carried = new Set(customerTags.map(tagKey));
  return excludedTags.find((tag) => carried.has(tagKey(tag))) ?? null;
}

/** Whether a customer with these tags is left out of the program. */
export function isExcludedCustomer(
  customerTags: readonly string[],
  excludedTags: readonly string[],
): boolean {
  return excludedTagOf(customerTags, excludedTags) !== null;
}

/**
 * The merchant's list as it is kept: each tag trimmed, once (without case), in the order given,
 * empty entries dropped.
 */
export function normalizeExcludedTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const tag of tags) {
    const trimmed = tag.trim();
    if (!trimmed || seen.has(tagKey(trimmed))) continue;
    seen.add(tagKey(trimmed));
    kept.push(trimmed);
  }
  return kept;
}
