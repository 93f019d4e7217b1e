/**
 * Notification emails, end to end in Debian's Chromium: devshop (the local
 * Shopify, with its App Bridge stand-in) and an SMTP server (smtp-server) in
 * this process, the app's production build on a fresh embedded database.
 *
 * The merchant opens Notifications in the admin's frame, fills the SMTP
 * settings, sees the preview change language, saves; then an order paid in
 * devshop by a customer who accepts email marketing (in French) sends the
 * points-earned email to this test's server. The link in it opens the
 * unsubscribe page, which confirms in French. Screenshots of the page at
 * 1280x900 and 390x844 go to docs/screenshots/.
 *
 * Needs `npm run build` first; run with `E2E=1 npx vitest run --project e2e tests/e2e/notifications.e2e.test.ts`.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, FrameLocator, Page } from "playwright-core";
import { strings } from "~/admin/strings";
import type { Devshop } from "../../devshop/server";
import type { ShopState } from "../../devshop/state";
import { startE2eStore, until, type E2eStore } from "../support/e2e-app";
import { startSmtpInbox, type SmtpInbox } from "../support/smtp-inbox";

const SHOP = "e2e-notifications.myshopify.com";
const SCREENSHOTS = path.resolve("docs/screenshots");
const t = strings.notifications;

let store: E2eStore;
let devshop: Devshop;
let appUrl: string;
let context: BrowserContext;
let shop: ShopState;
let inbox: SmtpInbox;

async function openAdmin(appPath: string): Promise<{ page: Page; frame: FrameLocator }> {
  const page = await context.newPage();
  await page.goto(devshop.adminUrl(SHOP, appPath));
  return { page, frame: page.frameLocator("#app-iframe") };
}

beforeAll(async () => {
  inbox = await startSmtpInbox();
  store = await startE2eStore({ shop: SHOP, shopName: "Maple & Pine" });
  ({ devshop, shop, appUrl, context } = store);
}, 120_000);

afterAll(async () => {
  await store?.stop();
  await inbox?.close();
});

describe("notification emails from the embedded admin", () => {
  it("the merchant sets up SMTP, sees the preview, saves; a paid order emails the customer", async () => {
    const { page, frame } = await openAdmin("/notifications");
    await frame.getByLabel(t.host, { exact: true }).waitFor({ timeout: 30_000 });

    // The preview renders the very template the job sends, with sample data, in the chosen language.
    const subject = frame.getByTestId("preview-subject");
    await expect.poll(() => subject.textContent()).toBe("Subject: You earned 300 points at Maple & Pine");
    await frame.getByLabel(t.previewLocale, { exact: true }).selectOption("fr");
    await expect
      .poll(() => subject.textContent())
      .toBe("Subject: Vous avez gagné 300 points chez Maple & Pine");
    const preview = frame.frameLocator(`iframe[title="${t.previewFrame}"]`);
    await expect
      .poll(() => preview.locator("body").textContent())
      .toMatch(/Votre solde est maintenant de 1\s250 points/);

    // A bad port is refused next to its field, and nothing is saved.
    await frame.getByLabel(t.host, { exact: true }).fill("127.0.0.1");
    await frame.getByLabel(t.port, { exact: true }).fill("99999");
    await frame.getByLabel(t.from, { exact: true }).fill("rewards@maple-and-pine.example");
    await frame.getByRole("button", { name: t.save }).click();
    await frame.getByText("Port must be from 1 to 65,535.").waitFor({ timeout: 15_000 });

    await frame.getByLabel(t.port, { exact: true }).fill(String(inbox.port));
    await frame.getByLabel(t.secure, { exact: true }).uncheck({ force: true });
    await frame.getByLabel(t.username, { exact: true }).fill(inbox.credentials.username);
    await frame.getByLabel(t.password, { exact: true }).fill(inbox.credentials.password);
    await frame.getByLabel(t.eventNames.pointsEarned, { exact: true }).check({ force: true });

    // Send test email: through the form's server, before saving.
    await frame.getByRole("button", { name: t.sendTest }).click();
    await frame.getByText(t.testSent("rewards@maple-and-pine.example")).waitFor({ timeout: 20_000 });
    expect(inbox.messages.map((m) => m.subject)).toEqual(["[Test] You earned 300 points at Maple & Pine"]);

    await frame.getByRole("button", { name: t.save }).click();
    await frame.getByText(t.saved).waitFor({ timeout: 20_000 });

    // The page as the merchant sees it, saved: wide and narrow.
    await page.reload();
    await frame.getByText(t.passwordSaved).waitFor({ timeout: 30_000 });
    // (Both sizes of the page are taken by admin-accessibility.e2e.test.ts; here, its preview.)
    await frame.locator(`iframe[title="${t.previewFrame}"]`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, "admin-notifications-preview.png") });
    await page.close();

    // A customer who accepts email marketing, in French, pays an order: 60.00, 300 points.
    inbox.messages.length = 0;
    const customer = devshop.commerce.createCustomer(shop, {
      email: "ines@example.com",
      firstName: "Inès",
      lastName: "Carvalho",
      emailMarketingConsent: "subscribed",
      locale: "fr",
    });
    await devshop.webhooks.idle();
    const hoodie = Object.values(shop.products).find((p) => p.title.includes("Hoodie"))!;
    devshop.commerce.placeOrder(shop, {
      customerId: customer.id,
      lines: [{ productId: hoodie.id, quantity: 1 }],
    });
    await devshop.webhooks.idle();
    const email = await until("the points-earned email", () => inbox.messages[0], 60_000);
    expect(email.envelopeTo).toEqual(["ines@example.com"]);
    expect(email.envelopeFrom).toBe("rewards@maple-and-pine.example");
    expect(email.subject).toBe("Vous avez gagné 300 points chez Maple & Pine");
    expect(email.headers.get("content-language")).toBe("fr");
    expect(email.text).toContain("Bonjour Inès,");
    expect(email.text).toContain("Vous avez gagné 300 points. Votre solde est maintenant de 300 points.");
    const link = /(https?:\/\/\S+\/notifications\/unsubscribe\?\S+)/.exec(email.text)![1]!;
    expect(link.startsWith(`${appUrl}/notifications/unsubscribe?`)).toBe(true);
    expect(email.headers.get("list-unsubscribe")).toContain(`<${link}>`);

    // The link: the page asks in French, and confirms in French.
    const tab = await context.newPage();
    await tab.goto(link);
    await tab.getByText("Ne plus recevoir les e-mails de fidélité de Maple & Pine ?").waitFor();
    await tab.getByRole("button", { name: "Se désabonner" }).click();
    await tab
      .getByText("Vous êtes désabonné(e). Maple & Pine ne vous enverra plus d'e-mails de fidélité.")
      .waitFor();
    await tab.close();
    expect(inbox.messages).toHaveLength(1);
  });
});
