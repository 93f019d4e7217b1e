/**
 * The bulk result's lines read by hand (bulk-order-lines-fast.ts) against the
 * zod schemas they stand in for: on lines Shopify writes and on thousands of
 * damaged ones (a field removed, or replaced by another JSON value or by a
 * near miss: a bad GID, date, amount or quantity), the hand-written reader
 * either hands the line to the schemas (null) or gives exactly what they give.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBulkLine, parseBulkLineWithSchemas } from "~/shopify/bulk-order-lines";
import { isFields, readLineItemLine, readOrderLine } from "~/shopify/bulk-order-lines-fast";
import { FIXTURE_ORDER, orderLines, type BulkOrderSpec } from "../support/bulk-jsonl";

const spec: fc.Arbitrary<BulkOrderSpec> = fc
  .record({
    id: fc.bigInt({ min: 1n, max: 2n ** 63n }),
    customer: fc.option(fc.bigInt({ min: 1n, max: 2n ** 63n })),
    subtotal: fc.integer({ min: 0, max: 10_000_000 }).map((cents) => (cents / 100).toFixed(2)),
    tax: fc.constantFrom("0.00", "1.5", "0.125", "12"),
    giftCard: fc.option(fc.constantFrom("10.00", "25.5")),
    items: fc.integer({ min: 0, max: 3 }),
    processedAt: fc.date({ min: new Date("2015-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }),
    cancelled: fc.boolean(),
    status: fc.constantFrom("PAID", "PARTIALLY_REFUNDED", "REFUNDED", "PENDING"),
    refunds: fc.array(fc.bigInt({ min: 1n, max: 2n ** 63n }), { maxLength: 2 }),
    discountCodes: fc.array(fc.string(), { maxLength: 2 }),
    email: fc.option(fc.string()),
  })
  .map((s) => ({ ...s, giftCard: s.giftCard ?? undefined, email: s.email ?? undefined }));

/** Values a damaged field might hold: other JSON, and near misses of the real ones. */
const damage = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    null,
    "",
    "gid://shopify/Order/12a",
    "gid://shopify/Order/",
    "gid://shopify/Customer/5",
    "gid://shopify/Order/5\n",
    "2025-13-01T00:00:00Z",
    "not a date",
    "2025-06-01",
    { shopMoney: { amount: "1.2345" } },
    { shopMoney: { amount: "-3.00" } },
    { shopMoney: { amount: " 4.00" } },
    { shopMoney: { amount: "1e3" } },
    { shopMoney: { amount: 12.5 } },
    { shopMoney: { amount: "12." } },
    { shopMoney: { amount: "9999999999999.99" } },
    { shopMoney: {} },
    { shopMoney: null },
    -1,
    1.5,
    2 ** 60,
    "EURO",
    "EU",
    [],
    [{}],
    [{ id: "gid://shopify/Refund/1", createdAt: null }],
    [{ allocatedAmountSet: { shopMoney: { amount: "1.00" } } }],
    { id: "gid://shopify/Customer/1", defaultEmailAddress: null },
    { id: "gid://shopify/Customer/1", defaultEmailAddress: {} },
    { id: "gid://shopify/Customer/1", firstName: 5 },
  ),
);

/** Every path in a JSON value. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])));
  else if (isFields(value))
    for (const [key, item] of Object.entries(value)) out.push(...pathsOf(item, [...prefix, key]));
  return out;
}

/** `value` with the thing at `path` replaced (or removed, for `undefined`). */
function damaged(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

/** The hand-written reader's answer, or null when it leaves the line to the schemas. */
function fast(value: unknown) {
  if (!isFields(value)) return null;
  return value.__parentId === undefined ? readOrderLine(value) : readLineItemLine(value);
}

function schemas(value: unknown) {
  try {
    const parsed = parseBulkLineWithSchemas(value);
    return parsed.kind === "order" ? parsed.order : parsed.item;
  } catch {
    return null;
  }
}

describe("bulk lines read by hand", () => {
  it("reads every line Shopify writes itself, as the schemas read it", () => {
    fc.assert(
      fc.property(spec, (s) => {
        for (const line of orderLines(s)) {
          const value: unknown = JSON.parse(line);
          const read = fast(value);
          expect(read).not.toBeNull();
          expect(read).toEqual(schemas(value));
        }
      }),
      { numRuns: 300 },
    );
    for (const line of orderLines(FIXTURE_ORDER)) expect(fast(JSON.parse(line))).not.toBeNull();
  });

  it("a damaged line is left to the schemas or read exactly as they read it", () => {
    fc.assert(
      fc.property(
        spec,
        fc.nat(),
        fc.nat(),
        fc.option(damage, { nil: undefined, freq: 4 }),
        (s, pick, at, replacement) => {
          const lines = orderLines(s);
          const value: unknown = JSON.parse(lines[pick % lines.length]!);
          const paths = pathsOf(value);
          const broken = damaged(value, paths[at % paths.length]!, replacement);
          const read = fast(broken);
          if (read !== null) expect(read).toEqual(schemas(broken));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("parseBulkLine still names what is wrong with a line the schemas refuse", () => {
    const [order] = orderLines(FIXTURE_ORDER);
    const value = { ...(JSON.parse(order!) as object), currencyCode: "EURO" };
    expect(() => parseBulkLine(value)).toThrow(/malformed order line/);
    expect(() => parseBulkLine([1])).toThrow(/malformed order line/);
  });
});
