/**
 * Fuzzing the app proxy routes (fast-check): 1,000 hostile storefront
 * requests to every route in app/routes/proxy.* (status, redeem, birthday, actions/follow):
 * forged, unsigned, tampered-after-signing and stale signatures; guests and
 * customer ids that are not ids; bodies that are not JSON, JSON of the wrong
 * shape, huge bodies, reward keys that do not exist or that the customer
 * cannot afford, another customer's id or idempotency key in the body,
 * impossible birthdays and a second birthday, follows of rules that are unknown or off.
 * Properties: never a crash (no 5xx, nothing thrown but a Response); every
 * bad request gets a 4xx; never a write (every table of the app's and the job
 * queue's schema keeps its row count and checksum).
 *
 * Not bad input: a correctly signed GET of the status with extra query
 * parameters. Shopify forwards whatever query the storefront URL carried
 * (utm_*, fbclid, a theme's own) and signs it, so the status must answer it
 * (200), as a read.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { API_SECRET_KEY, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { jobs, withJobs } from "~/jobs.server";
import { adjustPoints } from "~/services/members/adjust-points.server";
import { reservePoints } from "~/services/rewards/redeem-reward.server";
import { setBirthday } from "~/services/program/program-settings.server";
import { loadRoute, routeFiles } from "../support/app-routes";
import { databaseWatch, type Fingerprint } from "../support/db-fingerprint";
import { callProxy, proxyRequest, proxyRequestSignedAt } from "../support/proxy-requests";
import { shopifyForShop } from "../support/shopify-for-shop";
import type { ShopifyEdge } from "../support/shopify-edge";

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** A member who can afford no reward (100 points; the cheapest costs 400). */
const POOR = "9007199254740993";
/** A member whose birthday is set. */
const BIRTHDAY_SET = "9007199254740994";
/** Another customer, rich, with a redemption: only ever named by the attacker, never logged in. */
const OTHER = "9007199254740995";
const OTHER_KEY = "other-customer-key-1";
const OTHER_SHOP = "other-proxy.myshopify.com";

type Handler = (args: ActionFunctionArgs) => Promise<Response>;
let handlers: Record<string, Handler>;
let edge: ShopifyEdge;
let watch: Awaited<ReturnType<typeof databaseWatch>>;
let baseline: Fingerprint;
let rewardKeys: string[];

type Auth =
  | { kind: "signed" }
  | { kind: "secret"; secret: string }
  | { kind: "unsigned" }
  | { kind: "tampered"; param: string; value: string | null }
  | { kind: "stale"; ageSeconds: number };

interface ProxyCase {
  what: string;
  route: "status" | "redeem" | "birthday" | "actions.follow";
  customerId: string;
  query: Record<string, string>;
  body: string | null;
  auth: Auth;
  /** 200 only for a signed status read; everything else here is bad input. */
  expect: "200" | "4xx";
}

const described = (c: ProxyCase): ProxyCase =>
  Object.assign(c, {
    [fc.toStringMethod]: () =>
      `${c.what}: ${c.route} as "${c.customerId}" auth ${JSON.stringify(c.auth)} query ${JSON.stringify(c.query).slice(0, 80)} body ${
        c.body === null ? "none" : `${c.body.length} bytes ${JSON.stringify(c.body.slice(0, 80))}`
      }`,
  });

// ---------------------------------------------------------------------------
// Building blocks.

const ascii = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 30,
});
const unicode = fc.string({ unit: "grapheme", maxLength: 30 });
const notJson = fc
  .oneof(
    fc.string({ unit: "binary", maxLength: 100 }),
    fc.constantFrom(
      "",
      "{",
      "rewardKey=5-off",
      "{'rewardKey':'5-off'}",
      '{"rewardKey":"5-off",}',
      "null null",
    ),
  )
  .filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });
/** Customers who may be logged in: members, an unknown id, guests, ids that are not ids. */
const loggedIn = fc.oneof(
  fc.constantFrom(POOR, BIRTHDAY_SET, ""),
  fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String),
  ascii.filter((s) => !/^\d+$/.test(s)),
);
/** Another customer's ids and shop, as an attacker would put them in a body. */
const hostileExtras = fc.oneof(
  fc.constant({}),
  fc.constantFrom(
    { customerId: OTHER },
    { customer_id: OTHER, shop: OTHER_SHOP },
    { logged_in_customer_id: OTHER },
    { customerGid: `gid://shopify/Customer/${OTHER}` },
  ),
);
const junkQuery = fc.dictionary(
  fc.oneof(fc.constantFrom("format", "layout", "utm_source", "fbclid", "customer_id", "locale"), ascii),
  fc.oneof(ascii, fc.constantFrom("html", "false", "json", OTHER)),
  { maxKeys: 4 },
);
const huge = fc.integer({ min: 10_000, max: 300_000 }).map((n) => "x".repeat(n));
const idempotencyKey = fc.oneof(
  fc.stringMatching(/^[\w-]{8,40}$/),
  fc.constant(OTHER_KEY),
  ascii,
  unicode,
  fc.constant(null),
  fc.integer(),
);

/** Redeem bodies: none of them can succeed for the customers who may be logged in. */
const redeemBody = fc.oneof(
  notJson,
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .record({
      rewardKey: fc.oneof(
        fc.constantFrom("5-off", "10-off", "25-off", "free-shipping"),
        unicode.filter((s) => s.length > 0),
        fc.stringMatching(/^[a-z0-9-]{1,40}$/),
        fc.integer(),
        fc.constant(null),
      ),
      idempotencyKey,
      extras: hostileExtras,
    })
    .map(({ extras, ...body }) => JSON.stringify({ ...body, ...extras })),
  fc
    .record({ key: idempotencyKey, pad: huge })
    .map(({ key, pad }) => JSON.stringify({ rewardKey: "5-off", idempotencyKey: key, pad })),
);

const daysIn = (month: number) => [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
/** Dates no calendar has, or values that are not whole numbers. */
const impossibleBirthday = fc.oneof(
  fc
    .record({ month: fc.integer({ min: -1000, max: 1000 }), day: fc.integer({ min: -1000, max: 1000 }) })
    .filter(({ month, day }) => month < 1 || month > 12 || day < 1 || day > daysIn(month)),
  fc.record({
    month: fc.oneof(
      fc.double({ noNaN: true }).filter((v) => !Number.isInteger(v)),
      fc.constant("7"),
    ),
    day: fc.integer({ min: 1, max: 28 }),
  }),
  fc.record({
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.oneof(fc.constant(null), fc.constant("14"), fc.constant(1e300)),
  }),
);
const validBirthday = fc
  .integer({ min: 1, max: 12 })
  .chain((month) =>
    fc.record({ month: fc.constant(month), day: fc.integer({ min: 1, max: daysIn(month) }) }),
  );

// ---------------------------------------------------------------------------
// The requests.

const signedStatus = fc
  .record({ customerId: fc.oneof(loggedIn, fc.constant(OTHER)), query: junkQuery })
  .map(({ customerId, query }) =>
    described({
      what: "signed status with extra query",
      route: "status",
      customerId,
      query,
      body: null,
      auth: { kind: "signed" },
      expect: "200",
    }),
  );

const badRedeem = fc.record({ customerId: loggedIn, body: redeemBody }).map(({ customerId, body }) =>
  described({
    what: "redeem",
    route: "redeem",
    customerId,
    query: {},
    body,
    auth: { kind: "signed" },
    expect: "4xx",
  }),
);

const badBirthday = fc.oneof(
  fc
    .record({
      customerId: loggedIn,
      body: fc.oneof(
        notJson,
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        impossibleBirthday.map((b) => JSON.stringify(b)),
        huge.map((pad) => JSON.stringify({ month: 7, pad })),
      ),
    })
    .map(({ customerId, body }) =>
      described({
        what: "impossible birthday",
        route: "birthday",
        customerId,
        query: {},
        body,
        auth: { kind: "signed" },
        expect: "4xx",
      }),
    ),
  // A second birthday: already set, refused.
  validBirthday.map((b) =>
    described({
      what: "second birthday",
      route: "birthday",
      customerId: BIRTHDAY_SET,
      query: {},
      body: JSON.stringify(b),
      auth: { kind: "signed" },
      expect: "4xx",
    }),
  ),
  // A real date for a guest.
  validBirthday.map((b) =>
    described({
      what: "guest birthday",
      route: "birthday",
      customerId: "",
      query: {},
      body: JSON.stringify(b),
      auth: { kind: "signed" },
      expect: "4xx",
    }),
  ),
);

/** Follow bodies: no follow rule is on in this shop, so none can pay. */
const badFollow = fc
  .record({
    customerId: loggedIn,
    body: fc.oneof(
      notJson,
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc
        .record({
          rule: fc.oneof(
            fc.constantFrom("follow-instagram", "follow-tiktok", "follow-x", "newsletter", "review"),
            unicode,
            fc.integer(),
          ),
          extras: hostileExtras,
        })
        .map(({ rule, extras }) => JSON.stringify({ rule, ...extras })),
      huge.map((pad) => JSON.stringify({ rule: "follow-x", pad })),
    ),
  })
  .map(({ customerId, body }) =>
    described({
      what: "follow",
      route: "actions.follow",
      customerId,
      query: {},
      body,
      auth: { kind: "signed" },
      expect: "4xx",
    }),
  );

/** Any request, including ones that would succeed, with a signature that is not Shopify's. */
const forged = fc
  .record({
    route: fc.constantFrom(
      "status" as const,
      "redeem" as const,
      "birthday" as const,
      "actions.follow" as const,
    ),
    customerId: fc.constantFrom(OTHER, POOR, BIRTHDAY_SET),
    body: fc.oneof(
      fc.constant(JSON.stringify({ rewardKey: "5-off", idempotencyKey: "forged-key-0001" })),
      validBirthday.map((b) => JSON.stringify(b)),
      fc.constant(JSON.stringify({ rule: "follow-instagram" })),
      redeemBody,
    ),
    auth: fc.oneof(
      ascii
        .filter((s) => s.length > 0 && s !== API_SECRET_KEY)
        .map((secret): Auth => ({ kind: "secret", secret })),
      fc.constant<Auth>({ kind: "unsigned" }),
      fc.constantFrom<Auth>(
        { kind: "tampered", param: "logged_in_customer_id", value: "another customer" },
        { kind: "tampered", param: "shop", value: OTHER_SHOP },
        { kind: "tampered", param: "customer_id", value: OTHER },
        { kind: "tampered", param: "path_prefix", value: "/apps/other" },
        { kind: "tampered", param: "signature", value: null },
        { kind: "tampered", param: "timestamp", value: "0" },
      ),
      fc
        .oneof(fc.integer({ min: 120, max: 10_000_000 }), fc.integer({ min: -10_000_000, max: -120 }))
        .map((ageSeconds): Auth => ({ kind: "stale", ageSeconds })),
    ),
  })
  .map(({ route, customerId, body, auth }) =>
    described({
      what: "forged",
      route,
      customerId,
      query: {},
      body: route === "status" ? null : body,
      auth,
      expect: "4xx",
    }),
  );

/** One of each refusal, run first, so every run reaches all of them whatever the draw. */
const example = (
  what: string,
  route: ProxyCase["route"],
  customerId: string,
  body: unknown,
  auth: Auth = { kind: "signed" },
) =>
  described({
    what: `example: ${what}`,
    route,
    customerId,
    query: {},
    body: body === null ? null : typeof body === "string" ? body : JSON.stringify(body),
    auth,
    expect: "4xx",
  });
const EXAMPLES: ProxyCase[] = [
  example("forged status", "status", POOR, null, { kind: "secret", secret: "forged" }),
  example(
    "forged redeem",
    "redeem",
    OTHER,
    { rewardKey: "5-off", idempotencyKey: "example-key-0000" },
    { kind: "secret", secret: "forged" },
  ),
  example("guest redeem", "redeem", "", { rewardKey: "5-off", idempotencyKey: "example-key-0001" }),
  example("redeem body not JSON", "redeem", POOR, "rewardKey=5-off"),
  example("no such reward", "redeem", POOR, {
    rewardKey: "no-such-reward",
    idempotencyKey: "example-key-0002",
  }),
  example("cannot afford", "redeem", POOR, { rewardKey: "5-off", idempotencyKey: "example-key-0003" }),
  example("second birthday", "birthday", BIRTHDAY_SET, { month: 7, day: 14 }),
  example("February 30", "birthday", POOR, { month: 2, day: 30 }),
  example("guest birthday", "birthday", "", { month: 7, day: 14 }),
  example("guest follow", "actions.follow", "", { rule: "follow-instagram" }),
  example("follow rule off", "actions.follow", POOR, { rule: "follow-instagram" }),
  example("unknown follow rule", "actions.follow", POOR, { rule: "follow-myspace" }),
];

async function build(c: ProxyCase): Promise<Request> {
  const init: RequestInit | undefined =
    c.body === null
      ? undefined
      : { method: "POST", body: c.body, headers: { "Content-Type": "application/json" } };
  const options = { customerId: c.customerId, query: c.query, init };
  // The route's id names its path with dots (proxy.actions.follow: /proxy/actions/follow).
  const path = c.route.replace(".", "/");
  switch (c.auth.kind) {
    case "signed":
      return proxyRequest(path, options);
    case "secret":
      return proxyRequest(path, { ...options, secret: c.auth.secret });
    case "stale":
      return proxyRequestSignedAt(path, Math.trunc(Date.now() / 1000) - c.auth.ageSeconds, options);
    case "unsigned": {
      const signed = await proxyRequest(path, options);
      const url = new URL(signed.url);
      url.searchParams.delete("signature");
      return new Request(url, signed);
    }
    case "tampered": {
      const signed = await proxyRequest(path, options);
      const url = new URL(signed.url);
      if (c.auth.value === null) url.searchParams.append(c.auth.param, url.searchParams.get(c.auth.param)!);
      else if (c.auth.value === "another customer")
        url.searchParams.set(c.auth.param, c.customerId === OTHER ? POOR : OTHER);
      else url.searchParams.set(c.auth.param, c.auth.value);
      return new Request(url, signed);
    }
  }
}

beforeAll(async () => {
  handlers = Object.fromEntries(
    await Promise.all(
      routeFiles()
        .filter((route) => route.id.startsWith("proxy."))
        .map(async (route) => {
          const module = await loadRoute(route);
          return [
            route.id.replace("proxy.", ""),
            (module.action ?? module.loader) as unknown as Handler,
          ] as const;
        }),
    ),
  );
  // GIVEN an installed shop (its offline session, Shopify at the edge), a poor member, a member
  // whose birthday is set, a rich customer with a redemption, and the same customer in another shop
  ({ edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_proxy_fuzz"));
  const grant = (shop: string, customer: string, points: number, key: string) =>
    withJobs(() =>
      adjustPoints(
        prisma,
        shop,
        {
          customerGid: `gid://shopify/Customer/${customer}`,
          points,
          reason: "Seed",
          staffId: "s",
          idempotencyKey: key,
        },
        new Date(),
      ),
    );
  await grant(TEST_SHOP, POOR, 100, "seed-poor-1");
  await grant(TEST_SHOP, BIRTHDAY_SET, 100, "seed-birthday-1");
  await setBirthday(
    prisma,
    TEST_SHOP,
    `gid://shopify/Customer/${BIRTHDAY_SET}`,
    { month: 3, day: 3 },
    new Date(),
  );
  await grant(TEST_SHOP, OTHER, 50_000, "seed-other-1");
  await grant(OTHER_SHOP, POOR, 50_000, "seed-other-shop-1");
  await reservePoints(
    prisma,
    TEST_SHOP,
    { customerGid: `gid://shopify/Customer/${OTHER}`, rewardKey: "10-off", idempotencyKey: OTHER_KEY },
    new Date(),
  );
  rewardKeys = (await prisma.reward.findMany({ where: { shop: TEST_SHOP } })).map((r) => r.key);
  const cheapest = Math.min(
    ...(await prisma.reward.findMany({ where: { shop: TEST_SHOP } })).map((r) => r.pointsCost),
  );
  expect(cheapest).toBeGreaterThan(100);
  watch = await databaseWatch(prisma, jobs.schema);
  baseline = await watch.take();
}, 60_000);
afterAll(() => edge?.restore());

describe("hostile app proxy requests", () => {
  it("every proxy route of app/routes is fuzzed here", () => {
    expect(Object.keys(handlers).sort()).toEqual([
      "actions.follow",
      "birthday",
      "r.$code",
      "redeem",
      "status",
    ]);
    expect(rewardKeys.sort()).toEqual(["10-off", "25-off", "5-off", "free-shipping"]);
  });

  it(`${RUNS} requests: bad ones get a 4xx, none crashes, none writes`, async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: badRedeem, weight: 4 },
          { arbitrary: badBirthday, weight: 3 },
          { arbitrary: forged, weight: 3 },
          { arbitrary: badFollow, weight: 2 },
          { arbitrary: signedStatus, weight: 1 },
        ),
        async (c) => {
          const res = await callProxy(handlers[c.route]!, await build(c));
          seen[`${c.route} ${res.status}`] = (seen[`${c.route} ${res.status}`] ?? 0) + 1;
          if (c.expect === "200") expect(res.status, c.what).toBe(200);
          else {
            expect(res.status, c.what).toBeGreaterThanOrEqual(400);
            expect(res.status, c.what).toBeLessThan(500);
          }
          expect(await watch.changedSince(baseline), c.what).toEqual([]);
        },
      ),
      { numRuns: RUNS, endOnFailure: true, examples: EXAMPLES.map((c) => [c]) },
    );
    // Every refusal the routes know was reached: bad signature, guest, bad body, not found, cannot afford, twice.
    for (const status of [
      "status 400",
      "redeem 400",
      "redeem 401",
      "redeem 422",
      "redeem 404",
      "redeem 409",
      "birthday 409",
      "birthday 422",
      "birthday 401",
      "actions.follow 401",
      "actions.follow 409",
      "actions.follow 422",
    ]) {
      expect(seen[status], `${status} in ${JSON.stringify(seen)}`).toBeGreaterThan(0);
    }
    expect(edge.calls).toEqual([]);
  }, 240_000);

  // The referral link (/apps/regulars/r/<code>) with referrals on: codes that are no member's,
  // hostile bodies and emails, signed or guest. Each gets a 4xx; nothing is written (a visit or a
  // code is only for a member's own link).
  it("the referral link: unknown codes and hostile bodies get a 4xx, none crashes, none writes", async () => {
    const link = await loadRoute(routeFiles().find((route) => route.id === "proxy.r.$code")!);
    await prisma.program.update({ where: { shop: TEST_SHOP }, data: { referralsEnabled: true } });
    const before = await watch.take();
    const call = async (handler: unknown, request: Request, code: string) => {
      try {
        return await (handler as Handler)({ request, params: { code }, context: {} } as ActionFunctionArgs);
      } catch (thrown) {
        if (thrown instanceof Response) return thrown;
        throw thrown;
      }
    };
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            code: fc.oneof(
              fc.string({ maxLength: 40 }),
              fc.constantFrom("", "../status", "A".repeat(500), "%00", "ABCD1234"),
            ),
            customerId: loggedIn,
            post: fc.boolean(),
            body: fc.oneof(
              notJson,
              fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
              fc.emailAddress().map((email) => JSON.stringify({ email })),
            ),
          }),
          async ({ code, customerId, post, body }) => {
            const path = `r/${encodeURIComponent(code)}`;
            const request = post
              ? await proxyRequest(path, {
                  customerId,
                  init: { method: "POST", body, headers: { "Content-Type": "application/json" } },
                })
              : await proxyRequest(path, { customerId });
            const res = await call(post ? link.action : link.loader, request, code);
            expect(res.status, `${post ? "POST" : "GET"} r/${code}`).toBeGreaterThanOrEqual(400);
            expect(res.status).toBeLessThan(500);
            expect(await watch.changedSince(before)).toEqual([]);
          },
        ),
        { numRuns: Math.min(RUNS, 300), endOnFailure: true },
      );
    } finally {
      await prisma.program.update({ where: { shop: TEST_SHOP }, data: { referralsEnabled: false } });
    }
    expect(edge.calls).toEqual([]);
  }, 240_000);
});
