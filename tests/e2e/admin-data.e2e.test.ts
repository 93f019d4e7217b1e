/**
 * The merchant's data leaves the embedded admin, end to end in Debian's
 * Chromium: devshop (the local Shopify, with its App Bridge stand-in) in this
 * process, the app's production build on a fresh embedded database.
 *
 * - Exports: the real Export buttons on the Import and export page, clicked
 *   inside the admin's frame, download CSV files whose rows are the shop's.
 *   A page in a new tab carries no session token (App Bridge adds one to
 *   fetch calls only), so a plain link could never have worked there.
 * - Data requests: Shopify's customers/data_request reaches the merchant: the
 *   "Customer data requested" Flow trigger fires, Home lists the request, its
 *   "Download data" gives everything Regulars holds on the customer, and
 *   "Mark as delivered" takes it off the list.
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e tests/e2e/admin-data.e2e.test.ts`.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Download, FrameLocator, Locator, Page } from "playwright-core";
import { strings } from "~/admin/strings";
import { parseCsv } from "~/loyalty/csv";
import type { Devshop } from "../../devshop/server";
import { DESKTOP, startE2eStore, until, type E2eStore } from "../support/e2e-app";
import type { Customer, ShopState } from "../../devshop/state";

const SHOP = "e2e-admin-data.myshopify.com";

let store: E2eStore;
let devshop: Devshop;
let appUrl: string;
let context: BrowserContext;
let shop: ShopState;
let shopper: Customer;

/** A button by its label, whatever element draws it (Polaris draws a button with a URL as a link). */
const buttonNamed = (frame: FrameLocator, label: string) =>
  frame
    .locator("a, button")
    .filter({ hasText: new RegExp(`^${label.replace(/[()]/g, "\\$&")}$`) })
    .first();

async function openAdmin(appPath: string): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await context.newPage();
  await page.goto(devshop.adminUrl(SHOP, appPath));
  return { page, frame: page.frameLocator("#app-iframe") };
}

/**
 * Clicks `button` and returns the file the browser downloaded. If the click
 * opens a page instead (a new tab that, without a session token, lands on the
 * login page), fails naming where it went.
 */
async function download(page: Page, button: Locator): Promise<{ name: string; text: string }> {
  const downloaded = page.waitForEvent("download", { timeout: 20_000 });
  const opened = context.waitForEvent("page", { timeout: 20_000 }).then(async (tab) => {
    await tab.waitForLoadState("load");
    return tab.url();
  });
  downloaded.catch(() => {});
  opened.catch(() => {});
  await button.click();
  const first = await Promise.race([
    downloaded.then((file: Download) => ({ file })),
    opened.then((url: string) => ({ url })),
  ]);
  if ("url" in first) throw new Error(`The button opened ${first.url} instead of downloading a file`);
  const file = first.file;
  expect(await file.failure()).toBeNull();
  return { name: file.suggestedFilename(), text: readFileSync((await file.path())!, "utf8") };
}

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Admin Data",
    theme: { embedActive: true, blockAdded: true },
    context: { ...DESKTOP, acceptDownloads: true },
  });
  ({ devshop, shop, appUrl, context } = store);
  shopper = devshop.commerce.createCustomer(shop, {
    email: "ines@example.com",
    firstName: "Ines",
    lastName: "Carvalho",
  });
  const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
  // 60.00 at the default 5 points per 1.00: 300 points.
  devshop.commerce.placeOrder(shop, {
    customerId: shopper.id,
    lines: [{ productId: hoodie.id, quantity: 1 }],
  });
  await devshop.webhooks.idle();
  await until(
    "the shopper's points on Shopify",
    () => shop.metafields[`gid://shopify/Customer/${shopper.id}|$app:loyalty|points`]?.value === "300",
  );
}, 120_000);

afterAll(() => store?.stop());

describe("exports from the embedded admin", () => {
  it("a page opened in a new tab has no session token: the app sends it to log in, as Shopify's library does", async () => {
    const tab = await context.newPage();
    const response = await tab.goto(`${appUrl}/app/export/members`);
    expect(new URL(tab.url()).pathname).toBe("/auth/login");
    expect(response?.headers()["content-type"]).not.toMatch(/text\/csv/);
    await tab.close();
  });

  it("Members (CSV): the button in the admin's frame downloads every member", async () => {
    const { page, frame } = await openAdmin("/import");
    const button = buttonNamed(frame, strings.importExport.exportMembers);
    await button.waitFor({ timeout: 30_000 });
    const file = await download(page, button);
    expect(file.name).toBe("regulars-members.csv");
    const rows = parseCsv(file.text).map((row) => row.fields);
    expect(rows[0]!.slice(0, 5)).toEqual(["customer_id", "email", "first_name", "last_name", "points"]);
    expect(rows.slice(1).map((row) => row.slice(0, 5))).toEqual([
      [shopper.id, "ines@example.com", "Ines", "Carvalho", "300"],
    ]);
    await page.close();
  });

  it("Points history (CSV): the button in the admin's frame downloads the ledger", async () => {
    const { page, frame } = await openAdmin("/import");
    const button = buttonNamed(frame, strings.importExport.exportLedger);
    await button.waitFor({ timeout: 30_000 });
    const file = await download(page, button);
    expect(file.name).toBe("regulars-points-history.csv");
    const rows = parseCsv(file.text).map((row) => row.fields);
    expect(rows[0]![2]).toBe("kind");
    expect(rows.slice(1).map((row) => [row[1], row[2], row[3]])).toEqual([[shopper.id, "EARN", "300"]]);
    await page.close();
  });
});

describe("a customer's data request reaches the merchant", () => {
  it("Flow hears it, Home lists it, Download data gives what Regulars holds, Mark as delivered answers it", async () => {
    // The merchant has a workflow on for the trigger (Flow tells the app: docs/flow-triggers.md).
    const workflow = await fetch(`${devshop.url}/devshop/api/shops/${SHOP}/flow/regulars-data-requested`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ enabled: true }),
    });
    expect(workflow.status).toBe(200);
    const res = await fetch(`${devshop.url}/devshop/api/shops/${SHOP}/compliance/customers-data-request`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ customerId: shopper.id }),
    });
    expect(res.status).toBe(200);
    await devshop.webhooks.idle();
    // The Customer data requested trigger reaches Flow (devshop checks it against extensions/flow-*).
    const receipt = await until("the Flow trigger", () =>
      shop.flowReceipts.find((r) => r.handle === "regulars-data-requested"),
    );
    expect(receipt.payload).toMatchObject({ customer_id: Number(shopper.id) });

    const t = strings.dataRequests;
    const { page, frame } = await openAdmin("");
    await frame.getByText(t.title(1)).waitFor({ timeout: 30_000 });
    await frame.getByText("Ines Carvalho").waitFor();
    const file = await download(page, buttonNamed(frame, t.download));
    expect(file.name).toBe(`regulars-customer-${shopper.id}-data.json`);
    const data = JSON.parse(file.text) as {
      member: { email: string; points: number };
      points_history: { kind: string; points: number }[];
      orders: unknown[];
    };
    expect(data.member).toMatchObject({ email: "ines@example.com", points: 300 });
    expect(data.points_history).toEqual([expect.objectContaining({ kind: "EARN", points: 300 })]);
    expect(data.orders).toHaveLength(1);

    await buttonNamed(frame, t.markDelivered).click();
    await frame.locator(".devshop-toast", { hasText: t.delivered }).waitFor({ timeout: 15_000 });
    await page.reload();
    const reloaded = page.frameLocator("#app-iframe");
    await reloaded.getByText(strings.dashboard.title).first().waitFor({ timeout: 30_000 });
    expect(await reloaded.getByText(t.title(1)).count()).toBe(0);
    await page.close();
  });
});
