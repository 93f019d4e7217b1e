/**
 * The merchant's customer pages and Activity, end to end in Debian's
 * Chromium: devshop (the local Shopify, with its App Bridge stand-in) in this
 * process, the app's production build on a fresh embedded database.
 *
 * - Customers: search as the merchant types (no blur needed) and on Enter; a
 *   row opens from the keyboard (its name is a link); an email tells two
 *   customers of one name apart; a total count; Next and Previous page.
 * - A customer: the history in words, each order by its name ("Order #1001") linked into Shopify's admin;
 *   the adjust form empties after it worked; issuing a code asks first.
 * - Activity: what happened in words; the technical view behind "details".
 *
 *
 * Needs `npm run build` first; run with
 * `E2E=1 npx vitest run --project e2e tests/e2e/admin-customers.e2e.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, FrameLocator } from "playwright-core";
import { strings } from "~/admin/strings";
import { BROWSER_USER_AGENT } from "../../devshop/admin-session";
import type { Devshop } from "../../devshop/server";
import type { Customer, ShopState } from "../../devshop/state";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";

const SHOP = "e2e-admin-customers.myshopify.com";
/** Members: two of one name, Ines, and enough others for a second page (the list shows 50). */
const OTHERS = 52;
const MEMBERS = OTHERS + 3;

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let ines: Customer;
let inesOrderId: string;
/** The order's name in the admin, as Shopify writes it ("#1001"). */
let inesOrderName: string;

async function openAdmin(appPath: string, viewport = { width: 1280, height: 900 }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  await page.goto(devshop.adminUrl(SHOP, appPath));
  return { page, frame: page.frameLocator("#app-iframe") };
}

/** The names in the list's rows, in order. */
const rowNames = (frame: FrameLocator) => frame.locator("tbody tr td:first-child").allTextContents();
const searchField = (frame: FrameLocator) => frame.getByLabel(strings.customers.search);

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Admin Customers",
    theme: { embedActive: true, blockAdded: true },
    context: { userAgent: BROWSER_USER_AGENT },
  });
  ({ devshop, shop, context } = store);
  for (const email of ["ada@lovelace.example", "ada.l@analytical.example"]) {
    devshop.commerce.createCustomer(shop, { email, firstName: "Ada", lastName: "Lovelace" });
  }
  for (let i = 0; i < OTHERS; i++) {
    devshop.commerce.createCustomer(shop, {
      email: `shopper${i}@example.com`,
      firstName: "Shopper",
      lastName: `Number ${i}`,
    });
  }
  ines = devshop.commerce.createCustomer(shop, {
    email: "ines@example.com",
    firstName: "Ines",
    lastName: "Carvalho",
  });
  const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
  // 10 x 60.00 at the default 5 points per 1.00: 3,000 points.
  const inesOrder = devshop.commerce.placeOrder(shop, {
    customerId: ines.id,
    lines: [{ productId: hoodie.id, quantity: 10 }],
  });
  inesOrderId = inesOrder.id;
  inesOrderName = `#${inesOrder.number}`;
  await devshop.webhooks.idle();
  await until(
    "Ines's points on Shopify",
    () => shop.metafields[`gid://shopify/Customer/${ines.id}|$app:loyalty|points`]?.value === "3000",
  );
}, 180_000);

afterAll(() => store?.stop());

describe("the customer list", () => {
  it("searches as the merchant types, without leaving the field; an email tells two Adas apart", async () => {
    const { page, frame } = await openAdmin("/customers");
    await frame.getByText(strings.customers.total(MEMBERS), { exact: true }).waitFor({ timeout: 30_000 });
    const field = searchField(frame);
    await field.click();
    await field.pressSequentially("lovelace", { delay: 40 });
    // No blur, no Enter: the list follows the typing.
    await frame.getByText(strings.customers.total(2), { exact: true }).waitFor({ timeout: 5_000 });
    expect(await field.evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await rowNames(frame)).toEqual(["Ada Lovelace", "Ada Lovelace"]);
    const rows = await frame.locator("tbody tr").allTextContents();
    expect(rows.some((row) => row.includes("ada@lovelace.example"))).toBe(true);
    expect(rows.some((row) => row.includes("ada.l@analytical.example"))).toBe(true);
    await page.close();
  });

  it("searches on Enter", async () => {
    const { page, frame } = await openAdmin("/customers");
    await frame.getByText(strings.customers.total(MEMBERS), { exact: true }).waitFor({ timeout: 30_000 });
    const field = searchField(frame);
    await field.fill("ines@example.com");
    await field.press("Enter");
    await frame.getByText(strings.customers.total(1), { exact: true }).waitFor({ timeout: 5_000 });
    expect(await rowNames(frame)).toEqual(["Ines Carvalho"]);
    await page.close();
  });

  it("opens a customer from the keyboard: Tab to the row's name, Enter", async () => {
    const { page, frame } = await openAdmin("/customers?q=ines");
    await frame.getByText(strings.customers.total(1), { exact: true }).waitFor({ timeout: 30_000 });
    await searchField(frame).focus();
    let onLink = false;
    for (let i = 0; i < 12 && !onLink; i++) {
      await page.keyboard.press("Tab");
      onLink = await frame
        .locator("body")
        .evaluate(
          () =>
            document.activeElement?.tagName === "A" && document.activeElement.textContent === "Ines Carvalho",
        );
    }
    expect(onLink).toBe(true);
    await page.keyboard.press("Enter");
    await frame.getByText(strings.customer.history).waitFor({ timeout: 20_000 });
    await frame.getByText(strings.customer.adjust).first().waitFor();
    await page.close();
  });

  it("pages forward and back: Next then Previous gives the first page again", async () => {
    const { page, frame } = await openAdmin("/customers");
    await frame.getByText(strings.customers.total(MEMBERS), { exact: true }).waitFor({ timeout: 30_000 });
    const first = await rowNames(frame);
    expect(first).toHaveLength(50);
    const previous = frame.getByRole("button", { name: strings.customers.previous });
    await expect(previous.isDisabled()).resolves.toBe(true);
    await frame.getByRole("button", { name: strings.customers.next }).click();
    await expect.poll(() => rowNames(frame), { timeout: 10_000 }).toHaveLength(MEMBERS - 50);
    expect((await rowNames(frame)).some((name) => first.includes(name) && name.startsWith("Shopper"))).toBe(
      false,
    );
    await previous.click();
    await expect.poll(() => rowNames(frame), { timeout: 10_000 }).toEqual(first);
    await expect(previous.isDisabled()).resolves.toBe(true);
    await page.close();
  });
});

describe("a customer's page", () => {
  const openInes = async () => {
    const { page, frame } = await openAdmin("/customers?q=ines");
    await frame.getByRole("link", { name: "Ines Carvalho" }).click();
    await frame.getByText(strings.customer.history).waitFor({ timeout: 20_000 });
    return { page, frame };
  };

  it("shows the history in words, each order by its name (#1001) linked to its page in Shopify's admin", async () => {
    const { page, frame } = await openInes();
    const history = frame.locator("tbody tr", { hasText: strings.customer.kinds.EARN });
    await history.first().waitFor();
    await expect(frame.locator("tbody").getByText("EARN", { exact: true }).count()).resolves.toBe(0);
    expect(inesOrderName).toMatch(/^#\d{4,}$/);
    const order = history.first().getByRole("link", { name: strings.customer.order(inesOrderName) });
    await expect(order.innerText()).resolves.toBe(`Order ${inesOrderName}`);
    await expect(order.getAttribute("href")).resolves.toBe(`shopify://admin/orders/${inesOrderId}`);
    // Not the order's id, which the merchant does not know it by.
    expect(await frame.getByText(strings.customer.order(inesOrderId)).count()).toBe(0);
    await page.close();
  });

  it("the adjust form empties once the adjustment is done, so a second click cannot repeat it", async () => {
    const { page, frame } = await openInes();
    const points = frame.getByLabel(strings.customer.adjustPoints);
    const reason = frame.getByLabel(strings.customer.adjustReason);
    await points.fill("25");
    await reason.fill("Sorry for the late parcel");
    await frame.getByRole("button", { name: strings.customer.adjustSubmit, exact: true }).click();
    await frame
      .locator(".devshop-toast", { hasText: strings.customer.adjusted })
      .waitFor({ timeout: 15_000 });
    await expect.poll(() => points.inputValue(), { timeout: 5_000 }).toBe("");
    await expect(reason.inputValue()).resolves.toBe("");
    await page.close();
  });

  it("issuing a code asks to confirm first; Cancel issues nothing, the confirm issues one", async () => {
    const { page, frame } = await openInes();
    const codesFor = () => Object.values(shop.discounts).filter((d) => d.customerIds.includes(ines.id));
    const before = codesFor().length;
    await frame.getByRole("button", { name: strings.customer.issueSubmit, exact: true }).click();
    const modal = frame.locator("ui-modal[data-open]");
    await modal.waitFor({ timeout: 5_000 });
    // What it costs, for whom, before anything is issued (the text is in the modal's shadow root).
    await modal.getByText(/^Ines Carvalho gets a code for .+, and [\d,]+ points come off/).waitFor();
    await modal.getByRole("button", { name: strings.customer.issueCancel }).click();
    await modal.waitFor({ state: "detached", timeout: 5_000 }).catch(() => undefined);
    await expect(frame.locator("ui-modal[data-open]").count()).resolves.toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(codesFor()).toHaveLength(before);

    await frame.getByRole("button", { name: strings.customer.issueSubmit, exact: true }).click();
    await frame.locator('ui-modal[data-open] button[variant="primary"]').click();
    await frame.locator(".devshop-toast", { hasText: /^Code .+ issued$/ }).waitFor({ timeout: 15_000 });
    expect(codesFor()).toHaveLength(before + 1);
    await frame.getByText(strings.customer.codeStatuses.ISSUED, { exact: true }).first().waitFor();
    await page.close();
  });
});

describe("Activity", () => {
  it("says what happened in words; the technical view is behind a details disclosure", async () => {
    const { page, frame } = await openAdmin("/activity");
    await frame.getByText(strings.activity.happened).waitFor({ timeout: 20_000 });
    await frame.getByText(strings.activity.attentionNone).waitFor();
    await frame.getByText(strings.activity.topics.ORDERS_PAID!, { exact: true }).first().waitFor();
    await frame.getByText(strings.activity.topics.CUSTOMERS_CREATE!, { exact: true }).first().waitFor();
    await expect(frame.getByText("ORDERS_PAID", { exact: true }).first().isVisible()).resolves.toBe(false);
    await frame.getByRole("button", { name: strings.activity.showDetails }).click();
    await frame.getByText("ORDERS_PAID", { exact: true }).first().waitFor({ state: "visible" });
    await page.close();
  });
});
