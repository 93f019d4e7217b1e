/**
 * Shopify Flow's "Award points" action, end to end in Debian's Chromium:
 * devshop (the local Shopify) runs the action as a workflow does, from its
 * control page's Flow actions form (a request signed with the app's secret
 * to the action's runtime URL), against the app's production build on a fresh
 * embedded database. The same run sent twice (Flow sends a run again when
 * its answer is lost) raises the customer's balance once, both sends answer
 * the same, and the member's history in the admin says who gave the points
 * and why.
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e tests/e2e/flow-actions.e2e.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { strings } from "~/admin/strings";
import { FLOW_ACTIONS } from "~/loyalty/flow-actions";
import type { Devshop } from "../../devshop/server";
import type { Customer, ShopState } from "../../devshop/state";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";

const SHOP = "e2e-flow-actions.myshopify.com";
const REASON = "Left a product review";

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let grace: Customer;

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Flow Actions",
  });
  ({ devshop, shop, context } = store);
  grace = devshop.commerce.createCustomer(shop, {
    email: "grace@example.com",
    firstName: "Grace",
    lastName: "Hopper",
  });
  await devshop.webhooks.idle();
}, 180_000);

afterAll(() => store?.stop());

/** Runs "Award points" from devshop's control page, as a workflow would, and waits for the page to come back. */
async function awardFromControlPage(page: Page, input: { points: string; reason: string; runId: string }) {
  await page.goto(`${devshop.url}/devshop`);
  const form = page.locator(`form[data-flow-action="${FLOW_ACTIONS.awardPoints}"]`);
  await form.getByLabel("Customer").selectOption(grace.id);
  await form.getByLabel("Points").fill(input.points);
  await form.getByLabel("Reason").fill(input.reason);
  await form.getByLabel("Action run id").fill(input.runId);
  await Promise.all([
    page.waitForURL(`${devshop.url}/devshop`),
    form.getByRole("button", { name: "Run" }).click(),
  ]);
}

describe("a Flow action run by devshop as Shopify Flow runs it", () => {
  it("'Award points' sent twice with one action run id raises the balance once, and answers the same", async () => {
    const page = await context.newPage();
    await awardFromControlPage(page, { points: "50", reason: REASON, runId: "e2e-run-1" });
    await awardFromControlPage(page, { points: "50", reason: REASON, runId: "e2e-run-1" });

    // devshop shows what the app answered each time: 200, the same body.
    const runs = devshop.flow.actionLog.filter((run) => run.shop === SHOP);
    expect(runs.map((run) => [run.handle, run.actionRunId, run.status])).toEqual([
      [FLOW_ACTIONS.awardPoints, "e2e-run-1", 200],
      [FLOW_ACTIONS.awardPoints, "e2e-run-1", 200],
    ]);
    expect(runs[0]!.properties).toEqual({ customer_id: Number(grace.id), points: 50, reason: REASON });
    expect(runs[0]!.body).toEqual({
      message: "Awarded 50 points; the balance is 50.",
      points: 50,
      balance: 50,
    });
    expect(runs[1]!.body).toEqual(runs[0]!.body);
    const statuses = await page
      .locator("[data-flow-action-runs] [data-flow-action-status]")
      .allTextContents();
    expect(statuses).toEqual(["200", "200"]);

    // Shopify's copy of the customer's points (the member sync) says 50, not 100.
    await until(
      "Grace's points on Shopify",
      () => shop.metafields[`gid://shopify/Customer/${grace.id}|$app:loyalty|points`]?.value === "50",
    );
    await page.close();
  });

  it("the member's history in the admin says the points came from Shopify Flow, and why, once", async () => {
    const page = await context.newPage();
    await page.goto(devshop.adminUrl(SHOP, "/customers?q=grace"));
    const frame = page.frameLocator("#app-iframe");
    await frame.getByRole("link", { name: "Grace Hopper" }).click({ timeout: 30_000 });
    await frame.getByText(strings.customer.history).waitFor({ timeout: 20_000 });
    const awarded = frame.getByText(strings.customer.flowAwarded(REASON), { exact: true });
    await awarded.first().waitFor();
    expect(await awarded.count()).toBe(1);
    await page.close();
  });
});
