/**
 * The admin's Notifications page: loader and action called with requests
 * signed as the embedded admin signs them. Bad settings get an error on each
 * field and change nothing; a save seals the password and never shows it
 * again; "Send test email" goes through the form's SMTP server (a real one,
 * started by this test) before anything is saved.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APP_URL, TEST_SHOP } from "@shopify/shopify-api/test-helpers";
import { prisma } from "~/db.server";
import { action, loader } from "~/routes/app.notifications";
import { adminDocument, adminFetch, run } from "../support/admin-requests";
import { storeOfflineSession } from "../support/sessions";
import { startSmtpInbox, type SmtpInbox } from "../support/smtp-inbox";

const OTHER_SHOP = "other-notifications.myshopify.com";
let inbox: SmtpInbox;

beforeAll(async () => {
  inbox = await startSmtpInbox();
});
afterAll(() => inbox.close());

beforeEach(async () => {
  inbox.messages.length = 0;
  await prisma.notificationSettings.deleteMany();
  await prisma.session.deleteMany();
  await storeOfflineSession(prisma, TEST_SHOP, { accessToken: "shpat_mail", scope: "read_customers" });
  await storeOfflineSession(prisma, OTHER_SHOP, { accessToken: "shpat_other", scope: "read_customers" });
  await prisma.shop.upsert({
    where: { domain: TEST_SHOP },
    create: { domain: TEST_SHOP, installedAt: new Date(), name: "Maple & Pine" },
    update: { name: "Maple & Pine" },
  });
});

const form = (overrides: Record<string, string> = {}) => ({
  smtpHost: "127.0.0.1",
  smtpPort: String(inbox.port),
  smtpSecure: "false",
  smtpUsername: inbox.credentials.username,
  smtpPassword: inbox.credentials.password,
  fromAddress: "rewards@maple-and-pine.example",
  defaultLocale: "fr",
  pointsEarned: "true",
  rewardReady: "false",
  pointsExpiring: "true",
  tierReached: "false",
  expiryWarningDays: "14",
  intent: "save",
  ...overrides,
});

const post = async (body: Record<string, string>, shop = TEST_SHOP) =>
  run(
    action,
    await adminFetch("/app/notifications", { method: "POST", body: new URLSearchParams(body) }, shop),
  );

const page = async (shop = TEST_SHOP) =>
  (await (await run(loader, await adminDocument("/app/notifications", shop))).json()) as {
    settings: Record<string, unknown>;
  };

describe("the Notifications page", () => {
  it("is refused without a session token", async () => {
    const anonymous = await run(loader, new Request(`${APP_URL}/app/notifications`));
    expect([302, 401]).toContain(anonymous.status);
  });

  it("refuses bad settings with an error on each field, and saves nothing", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ smtpHost: "" }, "smtpHost"],
      [{ smtpHost: "smtp example.com" }, "smtpHost"],
      [{ smtpPort: "0" }, "smtpPort"],
      [{ smtpPort: "70000" }, "smtpPort"],
      [{ smtpPort: "twenty-five" }, "smtpPort"],
      [{ fromAddress: "rewards" }, "fromAddress"],
      [{ fromAddress: "a@b.example\r\nBcc: x@y.example" }, "fromAddress"],
      [{ smtpPassword: "" }, "smtpPassword"],
      [{ defaultLocale: "it" }, "defaultLocale"],
      [{ expiryWarningDays: "0" }, "expiryWarningDays"],
      [{ expiryWarningDays: "91" }, "expiryWarningDays"],
    ];
    for (const [overrides, field] of cases) {
      const response = await post(form(overrides));
      expect(response.status, JSON.stringify(overrides)).toBe(422);
      const body = (await response.json()) as { fieldErrors: Record<string, string> };
      expect(Object.keys(body.fieldErrors), JSON.stringify(overrides)).toEqual([field]);
    }
    expect(await prisma.notificationSettings.count()).toBe(0);
  });

  it("saves the settings, the password sealed and never shown; an empty password keeps it", async () => {
    expect((await post(form())).status).toBe(200);
    const saved = await prisma.notificationSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(saved).toMatchObject({
      smtpHost: "127.0.0.1",
      smtpPort: inbox.port,
      smtpSecure: false,
      fromAddress: "rewards@maple-and-pine.example",
      defaultLocale: "fr",
      pointsEarned: true,
      rewardReady: false,
      pointsExpiring: true,
      tierReached: false,
    });
    expect(saved.enabledSince).not.toBeNull();
    expect(saved.smtpPasswordSealed).not.toContain(inbox.credentials.password);
    expect((await prisma.program.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).expiryWarningDays).toBe(
      14,
    );

    const shown = await page();
    expect(shown.settings).toMatchObject({
      hasPassword: true,
      smtpUsername: "mailer",
      expiryWarningDays: 14,
    });
    expect(JSON.stringify(shown)).not.toContain(inbox.credentials.password);
    expect(JSON.stringify(shown)).not.toContain(saved.smtpPasswordSealed);

    // A second save without a password keeps the saved one; enabledSince stays.
    expect((await post(form({ smtpPassword: "", smtpHost: "localhost" }))).status).toBe(200);
    const again = await prisma.notificationSettings.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(again.smtpHost).toBe("localhost");
    expect(again.smtpPasswordSealed).toBe(saved.smtpPasswordSealed);
    expect(again.enabledSince).toEqual(saved.enabledSince);
    // Another shop sees none of it.
    expect((await page(OTHER_SHOP)).settings).toMatchObject({ smtpHost: "", hasPassword: false });
  });

  it("sends a test email through the form's server before saving, in the shop's language", async () => {
    const response = await post(form({ intent: "test" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ok: true,
      message: "Test email sent to rewards@maple-and-pine.example",
    });
    const [email] = inbox.messages;
    expect(email!.envelopeTo).toEqual(["rewards@maple-and-pine.example"]);
    expect(email!.subject).toBe("[Test] Vous avez gagné 300 points chez Maple & Pine");
    expect(await prisma.notificationSettings.count()).toBe(0);
  });

  it("says why a test email failed (wrong password), and saves nothing", async () => {
    const response = await post(form({ intent: "test", smtpPassword: "wrong" }));
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^The test email could not be sent: .*Invalid username or password/,
    );
    expect(inbox.messages).toEqual([]);
  });
});
