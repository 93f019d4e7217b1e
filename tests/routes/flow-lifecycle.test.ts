/**
 * Flow's trigger lifecycle callback (POST /flow/lifecycle) and what it
 * decides: Flow tells Regulars which shops have an enabled workflow using
 * each trigger (https://shopify.dev/docs/apps/build/flow/track-lifecycle-events),
 * and the flow-send job sends a trigger only to those. The callback is signed
 * with the app's client secret (x-shopify-hmac-sha256), checked by Shopify's
 * library; the newest timestamp wins; it is idempotent and scoped by shop.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { FLOW_TRIGGERS, type FlowTrigger, recordFlowEvent } from "~/db/flow-events.server";
import { jobs } from "~/jobs.server";
import { action } from "~/routes/flow.lifecycle";
import { sendFlowEvents } from "~/services/flow/flow-send.server";
import { lifecycleCallbackBody } from "../../devshop/flow";
import { adminStandIn } from "../support/admin-stand-in";
import { databaseWatch } from "../support/db-fingerprint";
import { callLifecycle, lifecycleCallback, lifecycleRequest } from "../support/flow-callbacks";
import { flowTriggerExtensions } from "../support/flow-extensions";
import { storeOfflineSession } from "../support/sessions";
import { expectConsoleError } from "../setup/console";

const A = "flow-a.myshopify.com";
const B = "flow-b.myshopify.com";
const CUSTOMER = "gid://shopify/Customer/8100001";
const T0 = new Date("2026-06-01T12:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
let n = 0;

beforeAll(async () => {
  for (const shop of [A, B]) {
    await prisma.shop.create({ data: { domain: shop, installedAt: new Date() } });
    await storeOfflineSession(prisma, shop, { accessToken: `shpat_${shop}`, scope: "read_customers" });
  }
});
beforeEach(async () => {
  await prisma.flowTriggerUsage.deleteMany();
  await prisma.flowEvent.deleteMany();
});

const callback = (shop: string, trigger: string, enabled: boolean, timestamp: Date) =>
  callLifecycle(action, lifecycleCallback({ shop, trigger, enabled, timestamp }));

const usage = (shop: string) =>
  prisma.flowTriggerUsage
    .findMany({ where: { shop }, orderBy: { trigger: "asc" } })
    .then((rows) =>
      rows.map((row) => ({ trigger: row.trigger, enabled: row.enabled, flowTimestamp: row.flowTimestamp })),
    );

/** An event as the points engine records it, in its own transaction, with its extension's fields. */
const event = (shop: string, trigger: FlowTrigger) => {
  const keys = flowTriggerExtensions().find((extension) => extension.handle === trigger)!.payloadKeys;
  const fields = Object.fromEntries(keys.filter((key) => key !== "customer_id").map((key) => [key, "1"]));
  return prisma.$transaction((tx) =>
    recordFlowEvent(tx, shop, { trigger, dedupeKey: `test:${n++}`, customerGid: CUSTOMER, fields }),
  );
};

describe("the lifecycle callback", () => {
  it("a forged, unsigned or empty callback is refused by Shopify's library and writes nothing", async () => {
    expectConsoleError(/Received an invalid flow request/);
    const watch = await databaseWatch(prisma, jobs.schema);
    const before = await watch.take();
    const body = lifecycleCallbackBody({
      shop: A,
      trigger: FLOW_TRIGGERS.pointsEarned,
      enabled: true,
      timestamp: T0.toISOString(),
    });
    const forged = await callLifecycle(action, lifecycleRequest(body, "not-the-app-secret"));
    expect(forged.status).toBe(400);
    const unsigned = new Request(lifecycleRequest(body).url, { method: "POST", body });
    expect((await callLifecycle(action, unsigned)).status).toBe(400);
    expect((await callLifecycle(action, lifecycleRequest(""))).status).toBe(400);
    const get = new Request(lifecycleRequest(body).url, { method: "GET" });
    expect((await callLifecycle(action, get)).status).toBe(405);
    expect(await watch.changedSince(before)).toEqual([]);
  });

  it("a signed body that is not a lifecycle callback gets a clear 422 and writes nothing", async () => {
    const watch = await databaseWatch(prisma, jobs.schema);
    const before = await watch.take();
    const good = JSON.parse(
      lifecycleCallbackBody({ shop: A, trigger: FLOW_TRIGGERS.pointsEarned, enabled: true, timestamp: "x" }),
    ) as Record<string, unknown>;
    for (const bad of [
      { ...good, timestamp: "yesterday" },
      { ...good, has_enabled_flow: "true" },
      { ...good, flow_trigger_definition_id: "" },
      { ...good, timestamp: T0.toISOString(), shop_id: "one" },
      { shopify_domain: A },
    ]) {
      const res = await callLifecycle(action, lifecycleRequest(JSON.stringify(bad)));
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(((await res.json()) as { error: string }).error).toMatch(
        /Not a Flow trigger lifecycle callback/,
      );
    }
    const notJson = await callLifecycle(action, lifecycleRequest(`{"shopify_domain":"${A}",`));
    expect(notJson.status).toBe(422);
    expect(await watch.changedSince(before)).toEqual([]);
  });

  it("records per shop and trigger; the same callback twice is one; an older one arriving late changes nothing", async () => {
    // WHEN the merchant turns a workflow on, then off; Flow's two callbacks arrive in reverse order
    expect((await callback(A, FLOW_TRIGGERS.tierChanged, false, at(20))).status).toBe(200);
    const late = await callback(A, FLOW_TRIGGERS.tierChanged, true, at(10));
    expect(late.status).toBe(200);
    expect(await late.json()).toEqual({ ok: true, recorded: false });
    // THEN the newer one stands
    expect(await usage(A)).toEqual([
      { trigger: FLOW_TRIGGERS.tierChanged, enabled: false, flowTimestamp: at(20) },
    ]);
    // AND a newer enable applies, once however often it is delivered
    expect(await (await callback(A, FLOW_TRIGGERS.tierChanged, true, at(30))).json()).toEqual({
      ok: true,
      recorded: true,
    });
    expect(await (await callback(A, FLOW_TRIGGERS.tierChanged, true, at(30))).json()).toEqual({
      ok: true,
      recorded: false,
    });
    expect(await usage(A)).toEqual([
      { trigger: FLOW_TRIGGERS.tierChanged, enabled: true, flowTimestamp: at(30) },
    ]);
    // AND another shop's callback for the same trigger is its own
    await callback(B, FLOW_TRIGGERS.tierChanged, false, at(40));
    expect(await usage(A)).toEqual([
      { trigger: FLOW_TRIGGERS.tierChanged, enabled: true, flowTimestamp: at(30) },
    ]);
    expect(await usage(B)).toEqual([
      { trigger: FLOW_TRIGGERS.tierChanged, enabled: false, flowTimestamp: at(40) },
    ]);
  });

  it("a trigger Regulars does not have is answered 200 (the merchant is not kept from enabling) and sends nothing", async () => {
    expect((await callback(A, "someone-elses-trigger", true, at(1))).status).toBe(200);
    await event(A, FLOW_TRIGGERS.pointsEarned);
    const shopify = adminStandIn({ shop: A });
    expect(await sendFlowEvents(prisma, shopify.admin, A)).toEqual({ sent: 0, skipped: 1 });
    expect(shopify.flowReceipts).toEqual([]);
  });
});

describe("flow-send sends a trigger only to shops with an enabled workflow for it", () => {
  it("a shop with no workflow hears nothing: its events are marked skipped, not sent, and not tried again", async () => {
    await event(A, FLOW_TRIGGERS.pointsEarned);
    await event(A, FLOW_TRIGGERS.tierChanged);
    const shopify = adminStandIn({ shop: A });
    expect(await sendFlowEvents(prisma, shopify.admin, A)).toEqual({ sent: 0, skipped: 2 });
    expect(shopify.flowReceipts).toEqual([]);
    expect(await prisma.flowEvent.count({ where: { shop: A, skippedAt: { not: null }, sentAt: null } })).toBe(
      2,
    );
    // Nothing is left for the job or for the reconcile job to pick up.
    expect(await sendFlowEvents(prisma, shopify.admin, A)).toEqual({ sent: 0, skipped: 0 });
  });

  it("sends only the triggers the shop listens to; events from before an enable are dropped; new ones are sent", async () => {
    // GIVEN A listens to tier changes only, and B listens to nothing
    await callback(A, FLOW_TRIGGERS.tierChanged, true, new Date());
    // AND an earned-points event of A's recorded before A turns that workflow on
    await event(A, FLOW_TRIGGERS.pointsEarned);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await callback(A, FLOW_TRIGGERS.pointsEarned, true, new Date());
    await new Promise((resolve) => setTimeout(resolve, 5));
    // WHEN both shops record events of both triggers
    for (const shop of [A, B]) {
      await event(shop, FLOW_TRIGGERS.pointsEarned);
      await event(shop, FLOW_TRIGGERS.tierChanged);
    }
    const shopifyA = adminStandIn({ shop: A });
    const shopifyB = adminStandIn({ shop: B });
    // THEN A's two new events reach Flow, the one before the enable does not; B's reach nothing
    expect(await sendFlowEvents(prisma, shopifyA.admin, A)).toEqual({ sent: 2, skipped: 1 });
    expect(shopifyA.flowReceipts.map((receipt) => receipt.handle)).toEqual([
      FLOW_TRIGGERS.pointsEarned,
      FLOW_TRIGGERS.tierChanged,
    ]);
    expect(await sendFlowEvents(prisma, shopifyB.admin, B)).toEqual({ sent: 0, skipped: 2 });
    expect(shopifyB.flowReceipts).toEqual([]);
  });

  it("events waiting when the workflow is turned off are dropped; turning it on again sends what follows", async () => {
    await callback(A, FLOW_TRIGGERS.rewardIssued, true, at(1));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await event(A, FLOW_TRIGGERS.rewardIssued);
    // Shopify was unreachable: the event waits; meanwhile the merchant turns the workflow off
    await callback(A, FLOW_TRIGGERS.rewardIssued, false, at(2));
    const shopify = adminStandIn({ shop: A });
    expect(await sendFlowEvents(prisma, shopify.admin, A)).toEqual({ sent: 0, skipped: 1 });
    await callback(A, FLOW_TRIGGERS.rewardIssued, true, at(3));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await event(A, FLOW_TRIGGERS.rewardIssued);
    expect(await sendFlowEvents(prisma, shopify.admin, A)).toEqual({ sent: 1, skipped: 0 });
    expect(shopify.flowReceipts).toHaveLength(1);
  });

  it("a trigger named by its title rather than its handle is heard as well", async () => {
    await callback(A, "Loyalty points earned", true, new Date());
    await new Promise((resolve) => setTimeout(resolve, 5));
    await event(A, FLOW_TRIGGERS.pointsEarned);
    const shopify = adminStandIn({ shop: A });
    expect(await sendFlowEvents(prisma, shopify.admin, A)).toEqual({ sent: 1, skipped: 0 });
  });
});
