/** A value as JSON for a Json column: bigints (money, counts) become decimal strings. */
export function toJsonValue<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
}
