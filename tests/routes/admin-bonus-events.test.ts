/**
 * The admin's Bonus events page, called with requests signed as the embedded admin signs them:
 * a valid event is saved in the shop's time zone and listed; bad fields come back as field error
 * codes and change nothing; an event is ended now, after which it is read-only; another shop's
 * event cannot be changed or ended.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { action, loader } from "~/routes/app.bonus-events";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { resetLoyaltyData } from "../support/reset";
import { storeOfflineSession } from "../support/sessions";
import type { ShopifyEdge } from "../support/shopify-edge";
import { shopifyForShop } from "../support/shopify-for-shop";

const OTHER_SHOP = "other-bonus-events.myshopify.com";

const tomorrow = () => new Date(Date.now() + 86_400_000 * 2).toISOString().slice(0, 10);
const event = (overrides: Record<string, string> = {}) => ({
  name: "Double points",
  startsOn: tomorrow(),
  endsOn: tomorrow(),
  kind: "MULTIPLIER",
  multiplier: "2",
  fixedPoints: "",
  ...overrides,
});
const post = async (body: Record<string, string>, shop = TEST_SHOP) =>
  run(
    action,
    await adminFetch("/app/bonus-events", { method: "POST", body: new URLSearchParams(body) }, shop),
  );
const page = async (shop = TEST_SHOP) =>
  (await (await run(loader, await adminDocument("/app/bonus-events", shop))).json()) as {
    timeZone: string;
    events: { id: string; name: string; status: string; multiplier: string }[];
  };

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  await prisma.bonusEvent.deleteMany();
  await prisma.session.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_bonus", scope: "read_orders" });
  await storeOfflineSession(prisma, OTHER_SHOP, { accessToken: "shpat_other", scope: "read_orders" });
});

describe("the Bonus events page", () => {
  it("saves a valid event and lists it as upcoming", async () => {
    const res = await post(event());
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    const { events } = await page();
    expect(events).toMatchObject([{ name: "Double points", status: "upcoming", multiplier: "2" }]);
  });

  it("answers bad fields with their codes and saves nothing", async () => {
    const res = await post(event({ name: "", multiplier: "20", endsOn: "2000-01-01" }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { fieldErrors: Record<string, unknown> };
    expect(body.fieldErrors).toEqual({
      name: { code: "required" },
      endsOn: { code: "beforeEnd" },
      multiplier: { code: "range", min: 1.1, max: 10, unit: "decimal" },
    });
    expect(await prisma.bonusEvent.count()).toBe(0);
  });

  it("ends an event now, after which it cannot change", async () => {
    await post(event());
    const [saved] = (await page()).events;
    expect((await post({ intent: "end", id: saved!.id })).status).toBe(200);
    expect((await page()).events[0]).toMatchObject({ status: "ended" });
    expect((await post({ ...event({ name: "Again" }), id: saved!.id })).status).toBe(409);
    expect((await post({ intent: "end", id: saved!.id })).status).toBe(409);
    expect((await prisma.bonusEvent.findFirstOrThrow()).name).toBe("Double points");
  });

  it("does not let another shop change or end the event", async () => {
    await post(event());
    const [saved] = (await page()).events;
    expect((await post({ ...event({ name: "Taken" }), id: saved!.id }, OTHER_SHOP)).status).toBe(409);
    expect((await post({ intent: "end", id: saved!.id }, OTHER_SHOP)).status).toBe(409);
    expect(await page(OTHER_SHOP)).toMatchObject({ events: [] });
    expect(await prisma.bonusEvent.findFirstOrThrow()).toMatchObject({
      name: "Double points",
      endedEarlyAt: null,
    });
  });
});

describe("limiting an event to collections", () => {
  const WARM = "gid://shopify/Collection/77";
  const SALE = "gid://shopify/Collection/78";
  let edge: ShopifyEdge | undefined;
  afterEach(() => edge?.restore());

  /** The shop's Shopify at the network edge, with these scopes granted (as the session and the shop row say). */
  async function grant(scopes: string[]) {
    await prisma.session.deleteMany({ where: { shop: TEST_SHOP } });
    ({ edge } = await shopifyForShop(prisma, TEST_SHOP, "shpat_collections", scopes.join(","), {
      grantedScopes: scopes,
      catalog: {
        products: ["gid://shopify/Product/1"],
        collections: { [WARM]: ["gid://shopify/Product/1"], [SALE]: [] },
        titles: { [WARM]: "Warm layers", [SALE]: "Sale" },
      },
    }));
    await prisma.shop.upsert({
      where: { domain: TEST_SHOP },
      create: { domain: TEST_SHOP, installedAt: new Date(), scopes: scopes.join(",") },
      update: { scopes: scopes.join(",") },
    });
  }
  const offer = async () =>
    (
      (await (await run(loader, await adminDocument("/app/bonus-events"))).json()) as {
        collectionsOffer: unknown;
      }
    ).collectionsOffer;

  it("without read_products offers no collections and refuses a forged choice, saving nothing", async () => {
    await grant(["read_orders"]);
    expect(await offer()).toEqual({ on: false, choices: [], more: false });
    const res = await post(event({ scope: "COLLECTIONS", collections: WARM }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { fieldErrors: unknown }).fieldErrors).toEqual({
      scope: { code: "choice" },
    });
    expect(await prisma.bonusEvent.count()).toBe(0);
  });

  it("with read_products lists the shop's collections by title, and saves the chosen one with its title", async () => {
    await grant(["read_orders", "read_products"]);
    expect(await offer()).toEqual({
      on: true,
      choices: [
        { id: SALE, title: "Sale" },
        { id: WARM, title: "Warm layers" },
      ],
      more: false,
    });
    const gone = await post(
      event({ scope: "COLLECTIONS", collections: `${WARM},gid://shopify/Collection/99` }),
    );
    expect(gone.status).toBe(422);
    expect(await post(event({ scope: "COLLECTIONS", collections: "" })).then((r) => r.json())).toMatchObject({
      fieldErrors: { collections: { code: "required" } },
    });
    expect((await post(event({ scope: "COLLECTIONS", collections: WARM }))).status).toBe(200);
    const { events } = (await (await run(loader, await adminDocument("/app/bonus-events"))).json()) as {
      events: { collections: unknown }[];
    };
    expect(events).toMatchObject([{ collections: [{ id: WARM, title: "Warm layers" }] }]);
  });
});
