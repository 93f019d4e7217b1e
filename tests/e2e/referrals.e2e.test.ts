/**
 * Referrals end to end, in Debian's Chromium, through devshop (the local Shopify) and the app's
 * production build (docs/decisions/0019-referrals.md): the merchant turns referrals on; a member
 * finds their link in the storefront's launcher; a friend opens it in devshop's storefront, signed
 * in, gets a first-order code, and orders with it in devshop's checkout; the member's points rise
 * once the order's pending window has passed (the program's window is 0 days, the default, so the
 * referral-settle job pays as soon as the order is applied: no clock to move). Then the member
 * refers themselves (a code claimed as a guest under another email, used by the member's own
 * order): the referral is held in the admin's review queue with its reasons, and the merchant
 * approves one and rejects another.
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e tests/e2e/referrals.e2e.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { strings } from "~/admin/strings";
import type { Devshop } from "../../devshop/server";
import type { Customer, ShopState } from "../../devshop/state";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";

const SHOP = "e2e-referrals.myshopify.com";
const t = strings.referrals;

let store: E2eStore;
let devshop: Devshop;
let context: BrowserContext;
let shop: ShopState;
let ann: Customer;
let bob: Customer;
let annLink: string;

const metafield = (customer: Customer, key: string) =>
  shop.metafields[`gid://shopify/Customer/${customer.id}|$app:loyalty|${key}`]?.value;
const pointsOf = (customer: Customer) => Number(metafield(customer, "points") ?? 0);

/** devshop's storefront signed in as `customer` (null: a guest). */
async function storefrontAs(customer: Customer | null): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${devshop.url}/`);
  const chosen = customer?.id ?? "";
  // Choosing another customer posts the switch and comes back home (a navigation to wait for).
  if ((await page.locator("#login select").inputValue()) !== chosen)
    await Promise.all([page.waitForNavigation(), page.selectOption("#login select", chosen)]);
  return page;
}

/** Buys one pair of socks in devshop's storefront with `code`, as whoever is signed in. */
async function buyWithCode(page: Page, code: string) {
  await page.goto(`${devshop.url}/`);
  const socks = page.locator(".product", { hasText: "Trail Socks" });
  await socks.getByLabel("Discount code").fill(code);
  await socks.getByRole("button", { name: "Buy now" }).click();
  await page.locator(".notice", { hasText: /Thank you! Order #\d+ is paid/ }).waitFor({ timeout: 20_000 });
}

/**
 * Presses a button of the admin until `done` shows: a press before the page is live (hydrated,
 * after a reload) does nothing. A later press of a decided referral would show "already decided",
 * never `done`, so a press is repeated only while nothing happened.
 */
async function pressUntil(button: Locator, done: Locator) {
  for (let attempt = 0; ; attempt++) {
    // The referral was decided by the last press (its row left the queue): look for `done` only.
    if (attempt > 0 && (await button.count()) === 0) return done.waitFor({ timeout: 15_000 });
    await button.click({ timeout: 30_000 });
    try {
      await done.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 4) throw error;
    }
  }
}

/** Opens a referral link and claims its code with `email` (or the signed-in customer's). */
async function claimCode(page: Page, email?: string): Promise<string> {
  await page.goto(annLink);
  const field = page.locator("#regulars-referral-email");
  await field.waitFor({ timeout: 20_000 });
  if (email !== undefined) await field.fill(email);
  await page.getByRole("button", { name: "Get my code" }).click();
  const code = page.locator("[data-regulars-referral-code]");
  await code.waitFor({ timeout: 20_000 });
  return (await code.textContent())!.trim();
}

beforeAll(async () => {
  store = await startE2eStore({
    shop: SHOP,
    shopName: "E2E Referrals",
    theme: { embedActive: true, blockAdded: false },
  });
  ({ devshop, shop, context } = store);
  ann = devshop.commerce.createCustomer(shop, {
    email: "ann@example.com",
    firstName: "Ann",
    lastName: "Lee",
  });
  bob = devshop.commerce.createCustomer(shop, {
    email: "bob@example.com",
    firstName: "Bob",
    lastName: "Roy",
  });
  await devshop.webhooks.idle();
}, 180_000);

afterAll(() => store?.stop());

describe("a referral from link to the referrer's points after the pending window", () => {
  it("the merchant turns referrals on", async () => {
    const page = await context.newPage();
    await page.goto(devshop.adminUrl(SHOP, "/referrals"));
    const frame = page.frameLocator("#app-iframe");
    const enabled = frame.getByLabel(t.enabled);
    await enabled.waitFor({ timeout: 30_000 });
    // Checked once the page is live (a click before hydration is forgotten by React).
    for (let attempt = 0; !(await enabled.isChecked()); attempt++) {
      if (attempt > 20) throw new Error("the referrals switch did not stay on");
      await enabled.check({ force: true }).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await frame.getByRole("button", { name: t.save }).click();
    await frame.locator(".devshop-toast", { hasText: t.saved }).waitFor({ timeout: 15_000 });
    await until("the storefront's copy of the program to offer referrals", () =>
      (shop.metafields[`${shop.installation.id}|loyalty|program`]?.value ?? "").includes('"referrals":{'),
    );
    await page.close();
  });

  it("a member finds their link in the storefront's launcher", async () => {
    const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
    devshop.commerce.placeOrder(shop, { customerId: ann.id, lines: [{ productId: hoodie.id, quantity: 1 }] });
    await devshop.webhooks.idle();
    await until("Ann's link on Shopify", () => metafield(ann, "referral_link"));
    const page = await storefrontAs(ann);
    await page.locator(".regulars-launcher__button").click();
    const link = page.locator("#regulars-panel [data-regulars-referral] code");
    await link.waitFor({ timeout: 20_000 });
    // The launcher shows the link on the storefront's origin (devshop's theme renderer has a
    // fixed request.origin, not this run's port): it is opened here on this run's devshop.
    const shown = (await link.textContent())!.trim();
    const linkPath = metafield(ann, "referral_link")!;
    expect(linkPath).toMatch(/^\/apps\/regulars\/r\/[ACDEFGHJKMNPQRTUVWXY34679]{8}$/);
    expect(shown.endsWith(linkPath)).toBe(true);
    annLink = `${devshop.url}${linkPath}`;
    await page.close();
  });

  it("a friend opens it, signed in, gets a first-order code, orders, and the member is paid", async () => {
    await until("Ann's points on Shopify", () => pointsOf(ann) > 0);
    const before = pointsOf(ann);
    const page = await storefrontAs(bob);
    // Signed in, the email is Shopify's; the friend only presses the button.
    const code = await claimCode(page);
    expect(code).toMatch(/-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await expect(page.getByText("10% off your first order").count()).resolves.toBeGreaterThan(0);
    await buyWithCode(page, code);
    const order = Object.values(shop.orders).find((o) => o.customerId === bob.id)!;
    expect(order.discountCodes.map((d) => d.code)).toEqual([code]);
    await devshop.webhooks.idle();
    // The window is 0 days: the referral-settle job pays once the order is applied.
    await until("Ann's referral reward on Shopify", () => pointsOf(ann) === before + 500);
    await page.close();
  });
});

describe("a self-referral is held", () => {
  it("the member's own link, signed in, is refused", async () => {
    const page = await storefrontAs(ann);
    await page.goto(annLink);
    await page.getByRole("button", { name: "Get my code" }).click();
    await page.getByText("This is your own referral link").waitFor({ timeout: 20_000 });
    await page.close();
  });

  it("a code claimed under another email and used by the member's own orders waits for review", async () => {
    const guest = await storefrontAs(null);
    const first = await claimCode(guest, "ann.alt@example.com");
    const second = await claimCode(guest, "ann.work@example.com");
    await guest.close();
    const before = pointsOf(ann);
    const page = await storefrontAs(ann);
    await buyWithCode(page, first);
    await buyWithCode(page, second);
    await page.close();
    await devshop.webhooks.idle();

    const admin = await context.newPage();
    await admin.goto(devshop.adminUrl(SHOP, "/referrals"));
    const frame = admin.frameLocator("#app-iframe");
    /** A held referral's card in the queue: the innermost block with its friend and its buttons. */
    const row = (email: string) =>
      admin
        .frameLocator("#app-iframe")
        .locator("div")
        .filter({ hasText: email })
        .filter({ has: admin.frameLocator("#app-iframe").getByRole("button", { name: t.approve }) })
        .last();
    const held = row("ann.alt@example.com");
    // The settle job runs after the orders are applied: reload until both are in the queue.
    for (let attempt = 0; ; attempt++) {
      if ((await frame.getByText("ann.work@example.com").count()) > 0 && (await held.count()) > 0) break;
      if (attempt > 30)
        throw new Error(
          `the held referrals did not reach the review queue: ${await frame.locator("body").innerText()}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await admin.reload();
    }
    await expect(held.getByText(t.reasons.same_customer!).count()).resolves.toBe(1);
    await expect(held.getByText(t.reasons.not_new!).count()).resolves.toBe(1);

    // The orders' own points reached Shopify; the held referrals paid nothing yet.
    await until("Ann's order points on Shopify", () => pointsOf(ann) > before);
    await devshop.webhooks.idle();
    // Approve one: the member is paid.
    const paidFrom = pointsOf(ann);
    await pressUntil(
      held.getByRole("button", { name: t.approve }),
      frame.locator(".devshop-toast", { hasText: t.approved }),
    );
    await until("the approved referral's reward on Shopify", () => pointsOf(ann) === paidFrom + 500);

    // Reject the other, saying why: nothing is paid, and the queue is empty.
    await admin.reload();
    const other = row("ann.work@example.com");
    const reason = other.getByLabel(t.rejectReason);
    // Typed once the page is live (what is typed before hydration is not in React's state).
    await reason.waitFor({ timeout: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await reason.fill("The member's own order");
    await pressUntil(
      other.getByRole("button", { name: t.reject }),
      admin.frameLocator("#app-iframe").locator(".devshop-toast", { hasText: t.rejected }),
    );
    await admin.reload();
    await admin.frameLocator("#app-iframe").getByText(t.queueEmpty).waitFor({ timeout: 30_000 });
    await devshop.webhooks.idle();
    expect(pointsOf(ann)).toBe(paidFrom + 500);
    await admin.close();
  });
});
