/**
 * Fuzzing the webhook routes (fast-check): 1,000 hostile deliveries, sent as
 * Shopify would send them to every route in app/routes/webhooks.*, some
 * validly signed and some forged. Each one is bad by construction, judged
 * against Shopify's contract (shopify.app.toml and the payload shapes in
 * ARCHITECTURE.md), never against what the app happens to accept:
 *   - a body that is not JSON, or JSON that is not an object;
 *   - another topic's payload (an orders/paid body at the orders/cancelled
 *     address, whose cancelled_at is null; an order at refunds/create; ...),
 *     a dead letter like any body its topic's parser refuses;
 *   - a field the topic's payload requires, removed or given a value of the
 *     wrong type (numbers for strings, strings for numbers, objects, arrays,
 *     nulls, deep nesting, unicode), an amount that is negative or too large
 *     for any real order, an id that is not an id;
 *   - a topic header that Shopify never sends to this URI, or a shop header
 *     that is not a *.myshopify.com domain, or a compliance payload for
 *     another shop;
 *   - a forged, missing or misplaced HMAC (on any body, good ones too).
 * Properties: never a crash (no 5xx, nothing thrown but a Response), and
 * never an effect: every table of the app's schema and of the job queue's
 * schema, listed from the database, keeps its row count and checksum, but
 * for one case. A delivery that is not Shopify's (forged or missing HMAC,
 * a topic or shop header Shopify never sends, a compliance body naming
 * another shop) is refused with a 4xx and writes nothing. A body that
 * Shopify did sign but that its topic's parser refuses is kept, never
 * dropped: 200, and exactly one new row, a dead letter (failed, the body
 * and the reason kept) in the delivery log, and nothing else. (The two
 * topics applied at once, app/uninstalled and app/scopes_update, refuse
 * such a body with a 400.)
 *
 * Not bad input: an authentic, well-formed delivery that earns nothing (a
 * test order, an order without a customer, a redaction for a customer
 * Regulars never saw). Shopify treats every non-2xx as a failure and retries
 * it 8 times over 4 hours (ARCHITECTURE.md), so those are acknowledged with
 * 200; they leave only the delivery log (the idempotency record, shown on
 * the Activity page) and the order's facts. The last test shows that.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { API_SECRET_KEY, getHmac } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { ensureProgram } from "~/db/program.server";
import { jobs } from "~/jobs.server";
import { loadRoute, routeFiles, webhookSubscriptions } from "../support/app-routes";
import { databaseWatch, type Fingerprint } from "../support/db-fingerprint";
import { rawFixture } from "../support/fixtures";
import { storeOfflineSession } from "../support/sessions";
import { callAction, webhookRequest } from "../support/webhooks";
import { applyInbox } from "../support/inbox";

const SHOP = "fuzz-webhooks.myshopify.com";
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const CUSTOMER_ID = "7302485617390244561";

type Action = (args: ActionFunctionArgs) => Promise<Response>;
interface Route {
  path: string;
  topics: string[];
  action: Action;
}

let routes: Route[];
let watch: Awaited<ReturnType<typeof databaseWatch>>;
let baseline: Fingerprint;

// ---------------------------------------------------------------------------
// Shopify's payloads, one valid body per topic, and the fields each requires.

type Kind =
  | "gid"
  | "date"
  | "currency"
  | "money"
  | "int"
  | "id"
  | "array"
  | "object"
  | "bool"
  | "nullableString"
  | "string"
  | "stringArray"
  | "shopDomain"
  /** An order adjustment's amount: signed (negative in the customer's favour). */
  | "signedMoney"
  /** orders/paid's financial_status: one of a paid order. */
  | "paidStatus";

interface Field {
  path: (string | number)[];
  kind: Kind;
  /** Absent is allowed by the contract (only a wrong value is bad). */
  optional?: boolean;
  /** null is allowed by the contract. */
  nullable?: boolean;
}

const orderFields: Field[] = [
  { path: ["admin_graphql_api_id"], kind: "gid" },
  { path: ["updated_at"], kind: "date" },
  { path: ["created_at"], kind: "date" },
  { path: ["processed_at"], kind: "date", optional: true, nullable: true },
  { path: ["currency"], kind: "currency" },
  { path: ["test"], kind: "bool", optional: true },
  { path: ["subtotal_price_set"], kind: "object" },
  { path: ["subtotal_price_set", "shop_money", "amount"], kind: "money" },
  { path: ["current_subtotal_price_set", "shop_money", "amount"], kind: "money", optional: true },
  { path: ["line_items"], kind: "array" },
  { path: ["line_items", 0, "quantity"], kind: "int" },
  { path: ["line_items", 0, "id"], kind: "id" },
  { path: ["line_items", 0, "price_set", "shop_money", "amount"], kind: "money" },
  { path: ["shipping_lines"], kind: "array" },
  { path: ["shipping_lines", 0, "price_set", "shop_money", "amount"], kind: "money" },
  { path: ["shipping_lines", 0, "discount_allocations"], kind: "array", optional: true },
  { path: ["shipping_lines", 0, "tax_lines"], kind: "array", optional: true },
  { path: ["refunds", 0, "order_adjustments", 0, "amount_set", "shop_money", "amount"], kind: "signedMoney" },
  { path: ["customer"], kind: "object", optional: true, nullable: true },
  { path: ["customer", "admin_graphql_api_id"], kind: "gid" },
  { path: ["customer", "email"], kind: "nullableString", optional: true },
  { path: ["discount_codes"], kind: "array", optional: true },
];

const PAYLOADS: Record<string, { body: () => string; fields: Field[] }> = {
  "orders/paid": {
    body: () => rawFixture("orders-paid"),
    fields: [...orderFields, { path: ["financial_status"], kind: "paidStatus" }],
  },
  "orders/updated": { body: () => rawFixture("orders-updated"), fields: orderFields },
  "orders/cancelled": {
    body: () => rawFixture("orders-cancelled"),
    fields: [...orderFields, { path: ["cancelled_at"], kind: "date" }],
  },
  "refunds/create": {
    // A refund of line items and an amount beyond them (an order adjustment), and shipping.
    body: () =>
      editJson(
        editJson(
          rawFixture("refunds-create"),
          ["order_adjustments"],
          JSON.stringify(
            (JSON.parse(rawFixture("refunds-create-amount")) as { order_adjustments: unknown })
              .order_adjustments,
          ),
        )!,
        ["refund_shipping_lines"],
        JSON.stringify(
          (JSON.parse(rawFixture("refunds-create-shipping")) as { refund_shipping_lines: unknown })
            .refund_shipping_lines,
        ),
      )!,
    fields: [
      { path: ["id"], kind: "id" },
      { path: ["admin_graphql_api_id"], kind: "gid" },
      { path: ["order_id"], kind: "id" },
      { path: ["created_at"], kind: "date" },
      { path: ["refund_line_items"], kind: "array" },
      { path: ["refund_line_items", 0, "line_item_id"], kind: "id" },
      { path: ["refund_line_items", 0, "quantity"], kind: "int" },
      { path: ["refund_line_items", 0, "subtotal_set", "shop_money", "amount"], kind: "money" },
      { path: ["refund_shipping_lines"], kind: "array", optional: true },
      { path: ["refund_shipping_lines", 0, "subtotal_amount_set", "shop_money", "amount"], kind: "money" },
      { path: ["order_adjustments"], kind: "array", optional: true },
      { path: ["order_adjustments", 0, "amount_set"], kind: "object" },
      { path: ["order_adjustments", 0, "amount_set", "shop_money", "amount"], kind: "signedMoney" },
    ],
  },
  "customers/create": {
    body: () => rawFixture("customers-create"),
    fields: [
      { path: ["admin_graphql_api_id"], kind: "gid" },
      { path: ["email"], kind: "nullableString", optional: true },
      { path: ["first_name"], kind: "nullableString", optional: true },
      { path: ["last_name"], kind: "nullableString", optional: true },
      { path: ["tags"], kind: "string", optional: true },
      { path: ["state"], kind: "string", optional: true },
    ],
  },
  "customers/update": {
    body: () => rawFixture("customers-update"),
    fields: [
      { path: ["admin_graphql_api_id"], kind: "gid" },
      { path: ["email"], kind: "nullableString", optional: true },
      { path: ["tags"], kind: "string", optional: true },
    ],
  },
  "customers/redact": {
    body: () =>
      `{"shop_id":954889,"shop_domain":"${SHOP}","customer":{"id":${CUSTOMER_ID},"email":"maren.okafor@example.com","phone":"+12155550143"},"orders_to_redact":[6817362940512877913]}`,
    fields: [
      { path: ["shop_domain"], kind: "shopDomain" },
      { path: ["customer"], kind: "object" },
      { path: ["customer", "id"], kind: "id" },
    ],
  },
  "customers/data_request": {
    body: () =>
      `{"shop_id":954889,"shop_domain":"${SHOP}","orders_requested":[6817362940512877913],"customer":{"id":${CUSTOMER_ID},"email":"maren.okafor@example.com","phone":"+12155550143"},"data_request":{"id":9999}}`,
    fields: [
      { path: ["shop_domain"], kind: "shopDomain" },
      { path: ["customer"], kind: "object" },
      { path: ["customer", "id"], kind: "id" },
    ],
  },
  "shop/redact": {
    body: () => `{"shop_id":954889,"shop_domain":"${SHOP}"}`,
    fields: [{ path: ["shop_domain"], kind: "shopDomain" }],
  },
  "app/scopes_update": {
    body: () =>
      `{"id":954889,"previous":["read_orders"],"current":["read_customers","read_orders","write_discounts"],"updated_at":"2026-11-23T10:00:00Z"}`,
    fields: [{ path: ["current"], kind: "stringArray" }],
  },
  // The Shop resource; the app acts on the topic and the shop header alone.
  "app/uninstalled": {
    body: () => `{"id":954889,"name":"Fuzz","domain":"${SHOP}","myshopify_domain":"${SHOP}"}`,
    fields: [],
  },
};

// ---------------------------------------------------------------------------
// Values that break a field of each kind.

const unicode = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 });
const notNumeric = unicode.filter((s) => !/^\s*-?\d/.test(s));
const deep = fc
  .integer({ min: 50, max: 3000 })
  .chain((depth) =>
    fc.constantFrom("[".repeat(depth) + "]".repeat(depth), '{"a":'.repeat(depth) + "1" + "}".repeat(depth)),
  );
/** A JSON text fragment (so deep nesting and huge literals survive as written). */
const json = (arb: fc.Arbitrary<unknown>) => arb.map((value) => JSON.stringify(value));
const anyOtherType = (exclude: (value: unknown) => boolean) =>
  fc.oneof(
    json(
      fc
        .oneof(
          fc.integer(),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.boolean(),
          fc.constant(null),
          unicode,
          fc.array(fc.integer(), { maxLength: 3 }),
          fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
        )
        .filter((value) => !exclude(value)),
    ),
    deep,
  );
const isString = (v: unknown) => typeof v === "string";
/**
 * An integer too large for a double is read as its digits (lossless-json.ts:
 * Shopify's 64-bit ids must stay exact), so where a string is expected it is
 * one: not a wrong type.
 */
const readAsDigits = (v: unknown) => typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v);
const stringLike = (v: unknown) => isString(v) || readAsDigits(v);

const badValue: Record<Kind, fc.Arbitrary<string>> = {
  gid: fc.oneof(
    anyOtherType(isString),
    json(unicode.filter((s) => !/^gid:\/\/shopify\/\w+\/\d+$/.test(s))),
    json(fc.constantFrom("gid://shopify/Order/-1", "gid://shopify/Order/1e5", "gid://shopify/Order/", "1")),
  ),
  date: fc.oneof(anyOtherType(stringLike), json(notNumeric.filter((s) => Number.isNaN(Date.parse(s))))),
  currency: fc.oneof(
    anyOtherType(isString),
    json(fc.string({ maxLength: 12 }).filter((s) => s.length !== 3)),
  ),
  money: fc.oneof(
    anyOtherType((v) => isString(v) || typeof v === "number"),
    json(notNumeric),
    json(fc.constantFrom("1,00", "NaN", "Infinity", "0x10", "1e5", "١٢٫٠٠", "12.00 EUR", "")),
    // Negative: Shopify's amounts are never below zero.
    json(fc.integer({ min: 1, max: 10_000_000 }).map((n) => `-${n}.00`)),
    json(fc.integer({ min: -10_000_000, max: -1 })),
    // Larger than any order: 10^15 and up in the shop's currency.
    json(fc.integer({ min: 15, max: 400 }).map((digits) => `${"9".repeat(digits)}.99`)),
    fc.integer({ min: 16, max: 400 }).map((digits) => "9".repeat(digits)),
  ),
  int: fc.oneof(
    anyOtherType((v) => typeof v === "number" && Number.isInteger(v)),
    json(fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Number.isInteger(v))),
  ),
  id: fc.oneof(
    anyOtherType((v) => (typeof v === "number" && Number.isInteger(v) && v >= 0) || isString(v)),
    json(fc.integer({ min: -1_000_000, max: -1 })),
    json(notNumeric),
  ),
  array: anyOtherType(Array.isArray),
  object: anyOtherType((v) => v !== null && typeof v === "object" && !Array.isArray(v)),
  bool: anyOtherType((v) => typeof v === "boolean"),
  nullableString: anyOtherType((v) => v === null || stringLike(v)),
  string: anyOtherType(stringLike),
  stringArray: fc.oneof(
    anyOtherType(Array.isArray),
    json(fc.array(fc.oneof(fc.integer(), fc.constant(null), fc.boolean()), { minLength: 1, maxLength: 3 })),
  ),
  shopDomain: fc.oneof(
    anyOtherType(isString),
    json(fc.constantFrom("other-shop.myshopify.com", "evil.example", "")),
  ),
  signedMoney: fc.oneof(
    anyOtherType((v) => isString(v) || typeof v === "number"),
    json(notNumeric),
    json(fc.constantFrom("1,00", "NaN", "Infinity", "0x10", "1e5", "--1.00", "12.00 EUR", "")),
    json(fc.integer({ min: 15, max: 400 }).map((digits) => `-${"9".repeat(digits)}.99`)),
    fc.integer({ min: 16, max: 400 }).map((digits) => "9".repeat(digits)),
  ),
  // Not a paid order: pending, authorized, partially paid or voided (Shopify's financial statuses).
  paidStatus: fc.oneof(
    anyOtherType(isString),
    json(fc.constantFrom("pending", "authorized", "partially_paid", "voided", "expired", "")),
    json(unicode.filter((s) => !["paid", "partially_refunded", "refunded"].includes(s.toLowerCase()))),
  ),
};

// ---------------------------------------------------------------------------
// Edits to a JSON text that keep everything else exactly as written.

/** Replaces (or removes, with value undefined) the field at `path`; null when the path is absent. */
function editJson(text: string, path: (string | number)[], value: string | undefined): string | null {
  const marker = "\u0000FUZZ\u0000";
  const document = JSON.parse(text) as unknown;
  let node = document as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = node?.[key];
    if (next === null || typeof next !== "object") return null;
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (!(last in node)) return null;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
    return JSON.stringify(document);
  }
  node[last] = marker;
  return JSON.stringify(document).replace(JSON.stringify(marker), () => value);
}

// ---------------------------------------------------------------------------
// The deliveries.

interface Delivery {
  what: string;
  route: number;
  topic: string;
  shop: string;
  body: string;
  /** How the HMAC header is made. */
  hmac:
    | { kind: "valid" }
    | { kind: "secret"; secret: string }
    | { kind: "other-body" }
    | { kind: "missing" }
    | { kind: "garbage"; value: string };
}

/** A delivery that prints as what it is (fast-check shows it when a property fails). */
const delivery = (d: Delivery): Delivery =>
  Object.assign(d, {
    [fc.toStringMethod]: () =>
      `${d.what} -> ${routes[d.route]!.path} (topic ${d.topic}, shop ${d.shop}, HMAC ${d.hmac.kind}, ${d.body.length} bytes)`,
  });

const routeIndex = () => fc.nat({ max: 1000 }).map((n) => n % routes.length);
const topicOf = (route: number, pick: number) => routes[route]!.topics[pick % routes[route]!.topics.length]!;
const ascii = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 40,
});
const storageForm = (topic: string) => topic.toUpperCase().replace(/\/|\./g, "_");
const MYSHOPIFY = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** A body that is not JSON. */
const notJson = fc
  .oneof(
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.constantFrom("", "{", "}", "NaN", "{'a':1}", '{"a":1,}', "undefined", "\u0000"),
    fc.nat({ max: 3000 }).map((n) => rawFixture("orders-paid").slice(0, n)),
    fc.integer({ min: 10_000, max: 300_000 }).map((n) => "{".repeat(n)),
    fc.jsonValue().map((value) => `${JSON.stringify(value)} trailing`),
  )
  .filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });

/** JSON that is not an object: every Shopify webhook payload is one. */
const notAnObject = fc
  .oneof(
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    deep.filter((text) => text.startsWith("[")),
  )
  .filter((text) => {
    const parsed = JSON.parse(text) as unknown;
    return parsed === null || typeof parsed !== "object" || Array.isArray(parsed);
  });

const bodyOnly = (what: string, body: fc.Arbitrary<string>) =>
  fc
    .record({ route: routeIndex(), pick: fc.nat(), body })
    .map(({ route, pick, body: text }) =>
      delivery({ what, route, topic: topicOf(route, pick), shop: SHOP, body: text, hmac: { kind: "valid" } }),
    );

/** A required field of the route's topic removed, or given a value its kind can never take. */
const brokenField = fc
  .record({ route: routeIndex(), pick: fc.nat(), field: fc.nat(), remove: fc.boolean(), seed: fc.nat() })
  .chain(({ route, pick, field, remove }) => {
    const topic = topicOf(route, pick);
    const { body, fields } = PAYLOADS[topic]!;
    if (fields.length === 0) return fc.constant(null);
    const target = fields[field % fields.length]!;
    const removing = remove && !target.optional;
    const values = target.nullable
      ? badValue[target.kind].filter((v) => v !== "null")
      : badValue[target.kind];
    return (removing ? fc.constant(undefined) : values).map((value) => {
      const edited = editJson(body(), target.path, value);
      return edited === null
        ? null
        : delivery({
            what: `${topic} ${target.path.join(".")} ${removing ? "removed" : `= ${value?.slice(0, 60)}`}`,
            route,
            topic,
            shop: SHOP,
            body: edited,
            hmac: { kind: "valid" },
          });
    });
  })
  .filter((delivery): delivery is Delivery => delivery !== null);

/** A good body for the route with a topic header Shopify never sends to that URI. */
const wrongTopic = fc
  .record({
    route: routeIndex(),
    pick: fc.nat(),
    topic: fc.oneof(
      fc.constantFrom(
        ...Object.keys(PAYLOADS),
        "products/create",
        "orders/create",
        "ORDERS_PAID",
        "bulk_operations/finish",
      ),
      ascii,
    ),
  })
  // ORDERS_PAID is orders/paid as the library stores it: another spelling, not another topic.
  .filter(({ route, topic }) => !routes[route]!.topics.map(storageForm).includes(storageForm(topic)))
  .map(({ route, pick, topic }) =>
    delivery({
      what: `topic header ${topic}`,
      route,
      topic,
      shop: SHOP,
      body: PAYLOADS[topicOf(route, pick)]!.body(),
      hmac: { kind: "valid" },
    }),
  );

/**
 * Another topic's payload at an address: each topic's parser requires what
 * that topic's payload always has (orders/cancelled a cancelled_at, orders/paid
 * the financial status of a paid order, refunds/create a refund, customers/* a
 * customer), so none of these is applied.
 */
const FOREIGN: Record<string, string[]> = {
  "orders/cancelled": ["orders-paid", "orders-updated", "refunds-create", "customers-create"],
  "orders/paid": ["refunds-create", "refunds-create-amount", "customers-update"],
  "orders/updated": ["refunds-create-shipping", "customers-create"],
  "refunds/create": ["orders-paid", "orders-cancelled", "customers-update"],
  "customers/create": ["orders-paid", "refunds-create"],
  "customers/update": ["orders-updated", "refunds-create-amount"],
};
const wrongPayload = fc
  .record({ route: routeIndex(), pick: fc.nat(), body: fc.nat() })
  .map(({ route, pick, body }) => {
    const topic = topicOf(route, pick);
    const bodies = FOREIGN[topic];
    if (!bodies) return null;
    const fixture = bodies[body % bodies.length]!;
    return delivery({
      what: `${fixture} at ${topic}`,
      route,
      topic,
      shop: SHOP,
      body: rawFixture(fixture),
      hmac: { kind: "valid" },
    });
  })
  .filter((d): d is Delivery => d !== null);

/** A good delivery from a "shop" that is not a *.myshopify.com domain. */
const wrongShop = fc
  .record({
    route: routeIndex(),
    pick: fc.nat(),
    shop: fc.oneof(
      fc.constantFrom(
        "evil.example",
        "fuzz-webhooks.myshopify.com.evil.example",
        "-x.myshopify.com",
        "FUZZ.myshopify.com",
        "fuzz webhooks.myshopify.com",
        "fuzz-webhooks.myshopify.com/admin",
        "fuzz-webhooks.myshopify.com'--",
      ),
      ascii,
    ),
  })
  .filter(({ shop }) => !MYSHOPIFY.test(shop))
  .map(({ route, pick, shop }) =>
    delivery({
      what: `shop header ${shop}`,
      route,
      topic: topicOf(route, pick),
      shop,
      body: PAYLOADS[topicOf(route, pick)]!.body(),
      hmac: { kind: "valid" },
    }),
  );

/** Any delivery above, or a good one, with a forged, missing or misplaced HMAC. */
const forged = fc
  .record({
    delivery: fc.oneof(
      fc.record({ route: routeIndex(), pick: fc.nat() }).map(({ route, pick }) =>
        delivery({
          what: "good delivery",
          route,
          topic: topicOf(route, pick),
          shop: SHOP,
          body: PAYLOADS[topicOf(route, pick)]!.body(),
          hmac: { kind: "valid" },
        }),
      ),
      brokenField,
      bodyOnly("not JSON", notJson),
    ),
    hmac: fc.oneof(
      ascii.filter((s) => s !== API_SECRET_KEY).map((secret) => ({ kind: "secret" as const, secret })),
      fc.constant({ kind: "other-body" as const }),
      fc.constant({ kind: "missing" as const }),
      ascii.map((value) => ({ kind: "garbage" as const, value })),
    ),
  })
  .map(({ delivery: d, hmac }) => delivery({ ...d, what: `forged (${hmac.kind}): ${d.what}`, hmac }));

function request(d: Delivery): Request {
  const route = routes[d.route]!;
  const req = webhookRequest({
    topic: d.topic,
    shop: d.shop,
    body: null,
    rawBody: d.body,
    path: route.path,
    ...(d.hmac.kind === "secret" ? { secret: d.hmac.secret } : {}),
  });
  if (d.hmac.kind === "other-body") {
    // The app's own signature, of another body (one byte more).
    req.headers.set("X-Shopify-Hmac-Sha256", getHmac(`${d.body} `, API_SECRET_KEY));
  }
  if (d.hmac.kind === "missing") req.headers.delete("X-Shopify-Hmac-Sha256");
  if (d.hmac.kind === "garbage") req.headers.set("X-Shopify-Hmac-Sha256", d.hmac.value);
  return req;
}

async function deliver(d: Delivery): Promise<Response> {
  return callAction(routes[d.route]!.action, request(d));
}

beforeAll(async () => {
  const subscriptions = webhookSubscriptions();
  routes = await Promise.all(
    routeFiles()
      .filter((route) => route.id.startsWith("webhooks."))
      .map(async (route) => {
        const subscription = subscriptions.find((s) => s.uri === route.urlPath);
        if (!subscription) throw new Error(`${route.file} serves no subscription of shopify.app.toml`);
        const { action } = await loadRoute(route);
        return { path: route.urlPath, topics: subscription.topics, action: action as unknown as Action };
      }),
  );
  // GIVEN an installed shop with a member, orders, a refund, the delivery log and queued jobs
  await prisma.shop.create({ data: { domain: SHOP, installedAt: new Date() } });
  await storeOfflineSession(prisma, SHOP, { accessToken: "shpat_fuzz", scope: "write_discounts" });
  await ensureProgram(prisma, SHOP);
  for (const topic of ["customers/create", "orders/paid", "refunds/create", "customers/update"]) {
    const route = routes.findIndex((r) => r.topics.includes(topic));
    const res = await deliver({
      what: "seed",
      route,
      topic,
      shop: SHOP,
      body: PAYLOADS[topic]!.body(),
      hmac: { kind: "valid" },
    });
    expect(res.status, `seed ${topic}`).toBe(200);
  }
  // Applied as the inbox worker would, so the seed leaves jobs behind too.
  expect((await applyInbox(SHOP)).applied).toBe(4);
  watch = await databaseWatch(prisma, jobs.schema);
  baseline = await watch.take();
  expect(baseline[`${jobs.schema}.job`]?.rows).toBeGreaterThan(0);
}, 60_000);

describe("hostile webhook deliveries", () => {
  it("every webhook route of app/routes is subscribed in shopify.app.toml and fuzzed here", () => {
    expect(routes.map((route) => route.path).sort()).toEqual(
      webhookSubscriptions()
        .map((s) => s.uri)
        .sort(),
    );
    for (const route of routes)
      for (const topic of route.topics) expect(PAYLOADS[topic], topic).toBeDefined();
  });

  it(`${RUNS} bad deliveries: a 4xx each or a dead letter, never a crash, never an effect`, async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: brokenField, weight: 4 },
          { arbitrary: bodyOnly("not JSON", notJson), weight: 1 },
          { arbitrary: bodyOnly("not an object", notAnObject), weight: 1 },
          { arbitrary: wrongTopic, weight: 1 },
          { arbitrary: wrongPayload, weight: 1 },
          { arbitrary: wrongShop, weight: 1 },
          { arbitrary: forged, weight: 2 },
        ),
        async (d) => {
          const req = request(d);
          const webhookId = req.headers.get("X-Shopify-Webhook-Id")!;
          const res = await callAction(routes[d.route]!.action, req);
          const status = `${d.hmac.kind === "valid" ? "signed" : "forged"} ${res.status}`;
          seen[status] = (seen[status] ?? 0) + 1;
          expect(res.status, d.what).toBeLessThan(500);
          if (res.status === 200) {
            // Only a signed body for an inbox topic may be kept, and only as a dead letter: the
            // worker that applies it finds its parser refusing it.
            expect(d.hmac.kind, d.what).toBe("valid");
            await applyInbox(d.shop);
            const changed = await watch.changedSince(baseline);
            expect(changed, d.what).toHaveLength(1);
            expect(changed[0], d.what).toMatch(/\.WebhookDelivery$/);
            const letter = await prisma.webhookDelivery.findUniqueOrThrow({
              where: { shop_webhookId: { shop: d.shop, webhookId } },
            });
            // The body as text: what was sent, as UTF-8 (a lone surrogate becomes U+FFFD on the way).
            const sent = new TextDecoder().decode(new TextEncoder().encode(d.body));
            expect([letter.outcome, letter.payload], d.what).toEqual(["failed", sent]);
            expect(letter.detail, d.what).toBeTruthy();
            await prisma.webhookDelivery.delete({ where: { id: letter.id } });
          } else {
            expect(res.status, d.what).toBeGreaterThanOrEqual(400);
          }
          expect(await watch.changedSince(baseline), d.what).toEqual([]);
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    // Both sides of the signature check were exercised, and dead letters were kept.
    expect(Object.keys(seen).some((key) => key.startsWith("signed 400"))).toBe(true);
    expect(seen["signed 200"]).toBeGreaterThan(0);
    expect(seen["forged 401"]).toBeGreaterThan(0);
  }, 240_000);
});

describe("authentic deliveries that earn nothing", () => {
  it("are acknowledged with 200 (Shopify would retry anything else) and leave only the log and the order's facts", async () => {
    const before = await watch.take();
    const member = () =>
      prisma.member.findFirstOrThrow({
        where: { shop: SHOP, customerGid: `gid://shopify/Customer/${CUSTOMER_ID}` },
      });
    const balance = (await member()).balance;
    const paidRoute = routes.findIndex((r) => r.topics.includes("orders/paid"));
    const complianceRoute = routes.findIndex((r) => r.topics.includes("customers/redact"));
    const order = (id: number, overrides: string) =>
      editJson(
        editJson(PAYLOADS["orders/paid"]!.body(), ["admin_graphql_api_id"], `"gid://shopify/Order/${id}"`)!,
        ["test"],
        overrides,
      )!;
    const cases: Delivery[] = [
      // A test order of a known customer.
      {
        what: "test order",
        route: paidRoute,
        topic: "orders/paid",
        shop: SHOP,
        body: order(1, "true"),
        hmac: { kind: "valid" },
      },
      // An order without a customer (a guest checkout).
      {
        what: "guest order",
        route: paidRoute,
        topic: "orders/paid",
        shop: SHOP,
        body: editJson(order(2, "false"), ["customer"], "null")!,
        hmac: { kind: "valid" },
      },
      // A redaction for a customer Regulars never saw.
      {
        what: "redact unknown customer",
        route: complianceRoute,
        topic: "customers/redact",
        shop: SHOP,
        body: PAYLOADS["customers/redact"]!.body().replace(CUSTOMER_ID, "1234567"),
        hmac: { kind: "valid" },
      },
    ];
    for (const d of cases) expect((await deliver(delivery(d))).status, d.what).toBe(200);
    expect((await member()).balance).toBe(balance);
    expect(
      await prisma.ledgerEntry.count({
        where: { shop: SHOP, orderGid: { in: ["gid://shopify/Order/1", "gid://shopify/Order/2"] } },
      }),
    ).toBe(0);
    // The delivery log and the orders' facts (and the member's identity as the test order carried it).
    const changed = (await watch.changedSince(before)).map((name) => name.slice(name.indexOf(".") + 1));
    expect(changed).toContain("WebhookDelivery");
    expect(changed.filter((table) => !["WebhookDelivery", "OrderRecord", "Member"].includes(table))).toEqual(
      [],
    );
  });
});
