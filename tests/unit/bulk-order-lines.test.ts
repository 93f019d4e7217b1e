/**
 * The bulk result's lines read by hand (app/shopify/payloads/bulk-order-lines.ts)
 * against a zod schema of the Admin API's types (tests/support/
 * bulk-line-schema.ts): on lines Shopify writes and on thousands of damaged
 * ones (a field removed, or replaced by another JSON value or by a near miss:
 * a bad GID, date, amount or quantity), the reader refuses exactly the lines
 * the schema refuses and reads the others to exactly the schema's values.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bulkOrderSnapshot, parseBulkLine, type OrderLine } from "~/shopify/payloads/bulk-order-lines";
import { PayloadError } from "~/shopify/payloads/order-payload";
import { FIXTURE_ORDER, orderLines, type BulkOrderSpec } from "../support/bulk-jsonl";
import { readWithSchema } from "../support/bulk-line-schema";

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
    customerTags: fc.option(fc.array(fc.string(), { maxLength: 3 })),
    purchasingEntity: fc.option(
      fc.oneof(fc.constant("customer" as const), fc.bigInt({ min: 1n, max: 2n ** 63n })),
    ),
  })
  .map((s) => ({
    ...s,
    giftCard: s.giftCard ?? undefined,
    email: s.email ?? undefined,
    customerTags: s.customerTags ?? undefined,
    purchasingEntity: s.purchasingEntity ?? undefined,
  }));

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

const isFields = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The reader's answer, or null when it refuses the line (naming what is wrong). */
function read(value: unknown) {
  try {
    const parsed = parseBulkLine(value);
    return parsed.kind === "order" ? parsed.order : parsed.item;
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).issues).toHaveLength(1);
    return null;
  }
}

describe("bulk lines read by hand", () => {
  it("reads every line Shopify writes itself, as the schema reads it", () => {
    fc.assert(
      fc.property(spec, (s) => {
        for (const line of orderLines(s)) {
          const value: unknown = JSON.parse(line);
          const answer = read(value);
          expect(answer).not.toBeNull();
          expect(answer).toEqual(readWithSchema(value));
        }
      }),
      { numRuns: 300 },
    );
    for (const line of orderLines(FIXTURE_ORDER)) expect(read(JSON.parse(line))).not.toBeNull();
  });

  it("a damaged line is refused when the schema refuses it, else read exactly as it reads it", () => {
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
          expect(read(broken)).toEqual(readWithSchema(broken));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("names what is wrong with a line it refuses", () => {
    const [order, item] = orderLines(FIXTURE_ORDER).map((line) => JSON.parse(line) as object);
    expect(() => parseBulkLine({ ...order, currencyCode: "EURO" })).toThrow(
      "malformed order line: currencyCode must be a 3-letter currency code",
    );
    expect(() =>
      parseBulkLine({ ...order, refunds: [{ id: "gid://shopify/Refund/1" }, { id: "x" }] }),
    ).toThrow(/malformed order line: refunds\.1 must be/);
    expect(() => parseBulkLine({ ...item, currentQuantity: -1 })).toThrow(
      "malformed line item line: currentQuantity must be a whole number, 0 or more",
    );
    expect(() => parseBulkLine([1])).toThrow("malformed order line: (root) must be an object");
  });
});

describe("exclusions read from the bulk query", () => {
  const snapshotOf = (spec: Partial<BulkOrderSpec>) => {
    const [orderLine] = orderLines({ ...FIXTURE_ORDER, items: 0, ...spec });
    const parsed = parseBulkLine(JSON.parse(orderLine!));
    if (parsed.kind !== "order") throw new Error("not an order line");
    return bulkOrderSnapshot(parsed.order as OrderLine, []);
  };

  it("a PurchasingCompany makes the order B2B; the Customer does not; not asked: not said", () => {
    expect(snapshotOf({ purchasingEntity: 42n }).b2b).toBe(true);
    expect(snapshotOf({ purchasingEntity: "customer" }).b2b).toBe(false);
    expect(snapshotOf({})).not.toHaveProperty("b2b");
  });

  it("the customer's tags, when the line has them", () => {
    expect(snapshotOf({ customerTags: ["Wholesale", "VIP"] }).customer).toMatchObject({
      tags: ["Wholesale", "VIP"],
      tagsPresent: true,
    });
    expect(snapshotOf({}).customer).toMatchObject({ tags: [], tagsPresent: false });
  });
});
