/**
 * Two stand-ins serve Shopify's Admin GraphQL: the tests' shop
 * (tests/support/admin-stand-in.ts, state a test reads directly) and devshop
 * (devshop/admin-api.ts, the local Shopify of development, the end-to-end
 * and the scale tests). Each scenario here runs the app's own adapters,
 * through the app's own client (offlineAdmin), against both, and they must
 * give the same outcomes: same answers, same refusals with the same
 * messages, so a rule of Shopify's kept by one and not the other fails here.
 * (Their themes are modelled apart: devshop's from its theme settings
 * (devshop/theme-settings.ts), the stand-in's from files a test writes, for
 * tests/routes/admin-onboarding; both serve them a page at a time.)
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_REWARDS, type RewardRule } from "~/loyalty/rewards";
import {
  AdminApiError,
  AdminThrottledError,
  AdminTransientError,
  runQuery,
  type AdminGraphql,
} from "~/shopify/admin-api/admin-client.server";
import {
  BulkBusyError,
  bulkOperationState,
  cancelBulkOperation,
  startOrdersBulkQuery,
} from "~/shopify/admin-api/bulk-orders.server";
import { addCustomerTags, replaceTierTag } from "~/shopify/admin-api/customer-tags.server";
import {
  createRewardCode,
  deleteRewardCode,
  findRewardCode,
} from "~/shopify/admin-api/discount-codes.server";
import { fireFlowTrigger } from "~/shopify/admin-api/flow-triggers.server";
import { ensureMemberMetafieldDefinitions } from "~/shopify/admin-api/member-metafields.server";
import { fetchShopDetails } from "~/shopify/admin-api/shop-details.server";
import { setMetafields, type MetafieldInput } from "~/shopify/admin-api/metafields-set.server";
import { writeProgramMetafield } from "~/shopify/admin-api/program-metafields.server";
import { fetchGrantedScopes } from "~/shopify/admin-api/access-scopes.server";
import {
  collectionChoices,
  collectionsById,
  productsInCollection,
} from "~/shopify/admin-api/product-collections.server";
import { AdminApi } from "../../devshop/admin-api";
import { readAppConfig } from "../../devshop/app-config";
import { DevshopState, gid } from "../../devshop/state";
import { adminStandIn } from "../support/admin-stand-in";
import { devshopJobsClient } from "../support/devshop-network";
import { flowTriggerExtensions } from "../support/flow-extensions";

const SHOP = "agree.myshopify.com";
const NOW = new Date("2026-06-01T12:00:00Z");
const NUMERIC_ID = "7000000101";
const CUSTOMER = gid("Customer", NUMERIC_ID);
const NOBODY = gid("Customer", "404404");
/** Both shops sell a hoodie (in the collection WARM) and socks (not); product 404 is gone. */
const HOODIE = gid("Product", "9001");
const SOCKS = gid("Product", "9002");
const GONE = gid("Product", "404");
const WARM = gid("Collection", "77");
const ACCESSORIES = gid("Collection", "79");

/** devshop's Admin API for one shop with one customer, reached by the app's client. */
function devshopAdmin(extraScopes: readonly string[] = []): { admin: AdminGraphql; throttle: Throttle } {
  const state = DevshopState.open(null);
  const shop = state.ensureShop(SHOP, "Agree");
  // Installed, with the scopes an install grants (the toml's required ones).
  shop.installation.installed = true;
  shop.installation.scopes = [readAppConfig().scopes, ...extraScopes].join(",");
  shop.customers[NUMERIC_ID] = {
    id: NUMERIC_ID,
    email: "ada@example.com",
    firstName: "Ada",
    lastName: "Lovelace",
    phone: null,
    tags: [],
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    state: "enabled",
  };
  shop.products["9001"] = { id: "9001", title: "Hoodie", price: 6000, giftCard: false };
  shop.products["9002"] = { id: "9002", title: "Socks", price: 2000, giftCard: false };
  shop.collections = {
    "77": { id: "77", title: "Warm", handle: "warm", productIds: ["9001"] },
    "79": { id: "79", title: "Accessories", handle: "accessories", productIds: ["9002"] },
  };
  // Bulk queries run until cancelled here (devshop finishes them after 50 ms by default).
  const api = new AdminApi(
    state,
    () => NOW,
    () => "http://127.0.0.1:1",
    { bulkRunMs: 60_000 },
  );
  return { admin: devshopJobsClient(api, shop), throttle: (fault) => api.queueFault(SHOP, fault) };
}

/** The tests' shop stand-in, told the same customer is the only one. */
function standInAdmin(extraScopes: readonly string[] = []): { admin: AdminGraphql; throttle: Throttle } {
  const shopify = adminStandIn({
    shop: SHOP,
    details: { name: "Agree" },
    rejectCustomers: [NOBODY],
    catalog: {
      products: [HOODIE, SOCKS],
      collections: { [WARM]: [HOODIE], [ACCESSORIES]: [SOCKS] },
      titles: { [WARM]: "Warm", [ACCESSORIES]: "Accessories" },
    },
    grantedScopes: [...readAppConfig().scopes.split(","), ...extraScopes],
  });
  return { admin: shopify.admin, throttle: (fault) => void shopify.faults.push(fault) };
}

/** What a call came to, ids made comparable (each stand-in numbers its objects its own way). */
async function outcome(call: () => Promise<unknown>): Promise<unknown> {
  const ids = (value: unknown) =>
    JSON.parse(
      JSON.stringify(value ?? null).replace(/gid:\/\/shopify\/(\w+)\/\d+/g, "gid://shopify/$1/<id>"),
    );
  try {
    return { ok: ids(await call()) };
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    return { refused: error.message.replace(/gid:\/\/shopify\/(\w+)\/\d+/g, "gid://shopify/$1/<id>") };
  }
}

/** Shopify's rate-limit answers, queued for the next call. */
type Throttle = (fault: "throttled" | "429") => void;
type Scenario = (admin: AdminGraphql, throttle: Throttle) => Promise<unknown[]>;

const reward = (type: RewardRule["type"]) => DEFAULT_REWARDS.find((r) => r.type === type)!;
const codeFor = (code: string, customerGid = CUSTOMER, rule = reward("FIXED_AMOUNT")) => ({
  code,
  title: `Reward ${code}`,
  customerGid,
  reward: rule,
  startsAt: NOW,
  endsAt: new Date(NOW.getTime() + 30 * 86_400_000),
});
const memberField = (key: string, value: string): MetafieldInput => ({
  ownerId: CUSTOMER,
  namespace: "$app:loyalty",
  key,
  type: "single_line_text_field",
  value,
});

const scenarios: Record<string, Scenario> = {
  "a customer's code is created, found by its code, and deleted once": async (admin) => {
    const created = await createRewardCode(admin, codeFor("RG-AGREE-1"));
    const nodeId = created.status === "created" ? created.nodeId : "none";
    return [
      await outcome(async () => created),
      await outcome(() => findRewardCode(admin, "RG-AGREE-1")),
      await outcome(() => findRewardCode(admin, "RG-NEVER")),
      await outcome(() => deleteRewardCode(admin, nodeId)),
      await outcome(() => deleteRewardCode(admin, nodeId)),
      await outcome(() => findRewardCode(admin, "RG-AGREE-1")),
    ];
  },
  "a code is unique in the shop whatever its case": async (admin) => [
    await outcome(() => createRewardCode(admin, codeFor("RG-CASE-1"))),
    await outcome(() => createRewardCode(admin, codeFor("RG-CASE-1"))),
    await outcome(() => createRewardCode(admin, codeFor("rg-case-1"))),
    await outcome(() => findRewardCode(admin, "rg-case-1")),
  ],
  "a code for a customer the shop does not have is refused": async (admin) => [
    await outcome(() => createRewardCode(admin, codeFor("RG-GHOST", NOBODY))),
    await outcome(() => findRewardCode(admin, "RG-GHOST")),
  ],
  "free shipping and percentage codes": async (admin) => [
    await outcome(() => createRewardCode(admin, codeFor("RG-SHIP", CUSTOMER, reward("FREE_SHIPPING")))),
    await outcome(() => createRewardCode(admin, codeFor("RG-PCT", CUSTOMER, reward("PERCENTAGE")))),
  ],
  "metafieldsSet: up to 25 at once, none blank, a boolean true or false": async (admin) => [
    await outcome(() => setMetafields(admin, [{ ...memberField("on", "true"), type: "boolean" }], "member")),
    await outcome(() => setMetafields(admin, [{ ...memberField("on", "yes"), type: "boolean" }], "member")),
    await outcome(() => setMetafields(admin, [memberField("points", "120")], "member")),
    await outcome(() =>
      setMetafields(
        admin,
        Array.from({ length: 26 }, (_, i) => memberField(`k${i}`, "1")),
        "member",
      ),
    ),
    await outcome(() => setMetafields(admin, [memberField("points", "")], "member")),
    await outcome(() => writeProgramMetafield(admin, { active: true, rewards: [] })),
  ],
  "tags are added to and moved on a customer the shop has, not on one it has not": async (admin) => [
    await outcome(() => addCustomerTags(admin, CUSTOMER, ["regulars-win-back"])),
    await outcome(() => replaceTierTag(admin, CUSTOMER, "Regulars Silver", "Regulars Gold")),
    await outcome(() => addCustomerTags(admin, NOBODY, ["regulars-win-back"])),
  ],
  "a Flow trigger is taken for the app's own extensions, with their payload": async (admin) => {
    const trigger = flowTriggerExtensions()[0]!;
    const payload = Object.fromEntries(trigger.payloadKeys.map((key) => [key, "1"]));
    return [
      await outcome(() => fireFlowTrigger(admin, trigger.handle, payload)),
      await outcome(() => fireFlowTrigger(admin, "regulars-not-an-extension", payload)),
      await outcome(() => fireFlowTrigger(admin, trigger.handle, {})),
    ];
  },
  "over Shopify's rate limit: a 429 says how long in Retry-After, THROTTLED in its throttle status": async (
    admin,
    throttle,
  ) => {
    const waitAsked = (call: () => Promise<unknown>) =>
      call().then(
        () => "answered",
        (error: unknown) => ({
          throttled: error instanceof AdminThrottledError,
          retryAfterMs: (error as AdminTransientError).retryAfterMs,
        }),
      );
    throttle("429");
    const tooMany = await waitAsked(() => fetchShopDetails(admin));
    throttle("throttled");
    const throttledCall = await waitAsked(() => fetchShopDetails(admin));
    return [tooMany, throttledCall, await waitAsked(() => fetchShopDetails(admin))];
  },
  "the shop's details, and the member metafield definitions created once": async (admin) => [
    await outcome(() => fetchShopDetails(admin)),
    await outcome(() => ensureMemberMetafieldDefinitions(admin)),
    await outcome(() => ensureMemberMetafieldDefinitions(admin)),
  ],
  "the scopes granted at install: the required ones, not read_all_orders": async (admin) => [
    await outcome(() => fetchGrantedScopes(admin)),
  ],
  "up to five bulk queries at once; a sixth is refused as busy until one ends": async (admin) => {
    const from = new Date("2026-01-01T00:00:00Z");
    const started: string[] = [];
    for (let i = 0; i < 5; i++) started.push(await startOrdersBulkQuery(admin, from, NOW));
    const sixth = await outcome(() => startOrdersBulkQuery(admin, from, NOW));
    let busy: unknown = null;
    await startOrdersBulkQuery(admin, from, NOW).catch((error: unknown) => (busy = error));
    // Cancelling one frees its place once Shopify says it is CANCELED (a CANCELING one still runs).
    await cancelBulkOperation(admin, started[0]!);
    const cancelled = (await bulkOperationState(admin, started[0]!)).status;
    return [
      started.length,
      sixth,
      busy instanceof BulkBusyError && busy instanceof AdminTransientError,
      cancelled,
      await outcome(() => startOrdersBulkQuery(admin, from, NOW).then(() => "started")),
    ];
  },
};

/** Products and collections, for bonus events limited to collections (read_products, decision 0022). */
const productScenarios: Record<string, Scenario> = {
  "an order's products in a collection: throttled, then answered; a gone product is in none; 300 ids in two calls":
    async (admin, throttle) => {
      const inWarm = (ids: string[], collection = WARM) =>
        productsInCollection(admin, ids, collection).then((found) => [...found].sort());
      throttle("throttled");
      const throttled = await inWarm([HOODIE]).then(
        () => "answered",
        (error: unknown) => (error instanceof AdminThrottledError ? "throttled" : String(error)),
      );
      return [
        throttled,
        await outcome(() => inWarm([HOODIE, SOCKS, GONE, HOODIE])),
        await outcome(() => inWarm([HOODIE, SOCKS], gid("Collection", "78"))),
        // 300 ids: two calls, each within Shopify's 250 (both stand-ins refuse more).
        await outcome(() =>
          inWarm([...Array.from({ length: 299 }, (_, i) => gid("Product", String(10_000 + i))), HOODIE]),
        ),
      ];
    },
  "the collections to choose from, by title, and chosen ones by id (one gone)": async (admin) => [
    await outcome(() => collectionChoices(admin)),
    await outcome(() => collectionsById(admin, [WARM, gid("Collection", "78"), ACCESSORIES])),
  ],
};

/** Without read_products, Shopify answers ACCESS_DENIED for products' collections and collections. */
const withoutReadProducts: Scenario = async (admin) => [
  await outcome(() => productsInCollection(admin, [HOODIE], WARM)),
  await outcome(() => collectionChoices(admin)),
  await outcome(() => collectionsById(admin, [WARM])),
];

describe("the tests' Admin API stand-in and devshop's agree", () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, async () => {
      const devshop = devshopAdmin();
      const standIn = standInAdmin();
      const fromDevshop = await scenario(devshop.admin, devshop.throttle);
      const fromStandIn = await scenario(standIn.admin, standIn.throttle);
      expect(fromStandIn).toEqual(fromDevshop);
    });
  }

  for (const [name, scenario] of Object.entries(productScenarios)) {
    it(`with read_products: ${name}`, async () => {
      const devshop = devshopAdmin(["read_products"]);
      const standIn = standInAdmin(["read_products"]);
      const fromDevshop = await scenario(devshop.admin, devshop.throttle);
      expect(await scenario(standIn.admin, standIn.throttle)).toEqual(fromDevshop);
    });
  }

  it("without read_products: products' collections and collections are refused alike", async () => {
    const devshop = devshopAdmin();
    const fromDevshop = await withoutReadProducts(devshop.admin, devshop.throttle);
    expect(fromDevshop).toEqual([
      { refused: expect.stringMatching(/Access denied for inCollection field.*read_products/) },
      { refused: expect.stringMatching(/Access denied for collections field.*read_products/) },
      { refused: expect.stringMatching(/Access denied for nodes field.*read_products/) },
    ]);
    const standIn = standInAdmin();
    expect(await withoutReadProducts(standIn.admin, standIn.throttle)).toEqual(fromDevshop);
  });

  it("and what they agree on is Shopify's rule: a 429 asks for its Retry-After (2.0 s), THROTTLED for at least 1 s", async () => {
    const devshop = devshopAdmin();
    const outcomes = await scenarios[
      "over Shopify's rate limit: a 429 says how long in Retry-After, THROTTLED in its throttle status"
    ]!(devshop.admin, devshop.throttle);
    expect(outcomes).toEqual([
      { throttled: true, retryAfterMs: 2000 },
      { throttled: true, retryAfterMs: 1000 },
      "answered",
    ]);
  });

  it("and what they agree on is Shopify's rule: five bulk queries run at once, a sixth is LIMIT_REACHED", async () => {
    // https://shopify.dev/docs/api/usage/bulk-operations/queries (2026-01 and later: five at a time per shop)
    const devshop = devshopAdmin();
    const outcomes = await scenarios[
      "up to five bulk queries at once; a sixth is refused as busy until one ends"
    ]!(devshop.admin, devshop.throttle);
    expect(outcomes).toEqual([
      5,
      { refused: expect.stringMatching(/LIMIT_REACHED.*Bulk operations limit reached/) },
      true,
      "CANCELED",
      { ok: "started" },
    ]);
  });
});

describe("an order's products in a collection, as Shopify answers", () => {
  it("names the products in it, not those outside it or gone, and asks at most 250 ids a call", async () => {
    const devshop = devshopAdmin(["read_products"]);
    // Throttled, it throws (the delivery fails and is retried; nothing is guessed), then answers.
    devshop.throttle("throttled");
    await expect(productsInCollection(devshop.admin, [HOODIE], WARM)).rejects.toBeInstanceOf(
      AdminThrottledError,
    );
    await expect(productsInCollection(devshop.admin, [HOODIE, SOCKS, GONE], WARM)).resolves.toEqual(
      new Set([HOODIE]),
    );
    // Past 250 ids in one call, both refuse (so the adapter's pages of 250 are what is answered).
    const many = Array.from({ length: 251 }, (_, i) => gid("Product", String(i)));
    for (const admin of [devshop.admin, standInAdmin().admin]) {
      await expect(
        runQuery(admin, "query Many($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: many }),
      ).rejects.toThrow(/greater than the maximum allowed of 250/);
    }
  });
});
