/**
 * Notification emails end to end below the browser: Shopify's webhooks
 * (customers/create with the customer's consent and language, orders/paid)
 * go through the real routes and the inbox, the jobs run on this test's
 * pg-boss queue, and nodemailer sends to a real SMTP server (smtp-server)
 * this test starts on a free port. The messages are read as received.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { jobs, withJobs } from "~/jobs.server";
import { jobHandlers } from "~/jobs/job-handlers.server";
import { JobWorker } from "~/jobs/worker.server";
import { saveNotifications } from "~/services/notifications/notification-settings.server";
import { sendNotificationEmails } from "~/services/notifications/notification-send.server";
import { action as customersCreate } from "~/routes/webhooks.customers.create";
import { action as customersUpdate } from "~/routes/webhooks.customers.update";
import { action as ordersPaid } from "~/routes/webhooks.orders.paid";
import * as unsubscribeRoute from "~/routes/notifications.unsubscribe";
import { customerDataJson } from "~/services/privacy/customer-data-export.server";
import { runDailyMaintenance } from "~/services/shops/daily-maintenance.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { adminStandIn } from "../support/admin-stand-in";
import { deliverAndApply } from "../support/inbox";
import { fixtureBody } from "../support/fixtures";
import { installShop } from "../support/shops";
import { startSmtpInbox, type SmtpInbox } from "../support/smtp-inbox";
import { webhookRequest } from "../support/webhooks";
import type { NotificationsInput } from "~/admin/notifications-form";

const ADDRESS = "maren.okafor@example.com";
let n = 0;
let shop: string;
let inbox: SmtpInbox;

beforeAll(async () => {
  inbox = await startSmtpInbox();
});
afterAll(() => inbox.close());

const settings = (overrides: Partial<NotificationsInput> = {}): NotificationsInput => ({
  smtpHost: "127.0.0.1",
  smtpPort: inbox.port,
  smtpSecure: false,
  smtpUsername: inbox.credentials.username,
  smtpPassword: inbox.credentials.password,
  fromAddress: "rewards@maple-and-pine.example",
  defaultLocale: "en",
  pointsEarned: true,
  rewardReady: true,
  pointsExpiring: true,
  tierReached: true,
  expiryWarningDays: 30,
  ...overrides,
});

beforeEach(async () => {
  shop = `mail-${n++}-${process.pid}.myshopify.com`;
  inbox.messages.length = 0;
  inbox.refuse(false);
  await installShop(prisma, shop);
  await prisma.shop.update({ where: { domain: shop }, data: { name: "Maple & Pine" } });
  await saveNotifications(prisma, shop, settings(), new Date(Date.now() - 60_000));
});

const worker = () =>
  new JobWorker(
    jobs,
    jobHandlers({ db: prisma, queue: jobs, adminFor: () => adminStandIn().admin, now: () => new Date() }),
    { sleep: async () => {} },
  );

const customer = (overrides: Record<string, unknown> = {}, topic = "customers/create") =>
  deliverAndApply(
    topic === "customers/create" ? customersCreate : customersUpdate,
    webhookRequest({ topic, shop, body: null, rawBody: fixtureBody("customers-create", overrides) }),
  );

const subscribed = { email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in" } };

const orderPaid = (webhookId?: string, fixture = "orders-paid") =>
  deliverAndApply(
    ordersPaid,
    webhookRequest({ topic: "orders/paid", shop, body: null, rawBody: fixtureBody(fixture), webhookId }),
  );
/** Order #1046 of the same customer: 100.00 eligible, 500 points. */
const secondOrderPaid = () => orderPaid(undefined, "orders-paid-taxes-included");

const mine = () =>
  inbox.messages.filter((m) => m.envelopeTo.includes(ADDRESS) && m.subject.includes("Maple"));
/** The shop's email rows of one event (a first order also records a tier placement, not a step up: no email). */
const emailRows = (event = "pointsEarned") =>
  prisma.notificationEmail.findMany({ where: { shop, event }, orderBy: { createdAt: "asc" } });
const balance = async () => (await prisma.member.findFirstOrThrow({ where: { shop } })).balance;

async function makeRetriesDue() {
  await prisma.$executeRawUnsafe(
    `UPDATE ${jobs.schema}.job SET start_after = now() WHERE name = 'notification-send' AND data->>'shop' = $1 AND state = 'retry'`,
    shop,
  );
}

describe("the points-earned email", () => {
  it("goes to a subscribed customer, from the shop's address, with the points and a working unsubscribe link", async () => {
    await customer(subscribed);
    await orderPaid();
    const report = await worker().drain();
    expect(report.failed).toBe(0);
    const [email, ...more] = mine();
    expect(more).toEqual([]);
    expect(email!.envelopeFrom).toBe("rewards@maple-and-pine.example");
    expect(email!.headers.get("from")).toBe("rewards@maple-and-pine.example");
    expect(email!.headers.get("to")).toBe(ADDRESS);
    expect(email!.subject).toBe("You earned 630 points at Maple & Pine");
    expect(email!.headers.get("content-language")).toBe("en");
    expect(email!.text).toContain("You earned 630 points. Your balance is now 630 points.");
    expect(email!.html).toContain("630");
    // The signed link, in the body and in List-Unsubscribe (with RFC 8058's one-click header).
    const link = /(https?:\/\/\S+\/notifications\/unsubscribe\?\S+)/.exec(email!.text)![1]!;
    expect(new URL(link).searchParams.get("shop")).toBe(shop);
    expect(new URL(link).searchParams.get("customer")).toBe("7302485617390244561");
    expect(email!.headers.get("list-unsubscribe")).toContain(`<${link}>`);
    expect(email!.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(await emailRows()).toEqual([
      expect.objectContaining({
        event: "pointsEarned",
        status: "sent",
        toAddress: ADDRESS,
        locale: "en",
        attempts: 1,
      }),
    ]);
  });

  it("is in the customer's language from Shopify's customer payload, else the shop's", async () => {
    await customer({ ...subscribed, locale: "fr-CA" });
    await orderPaid();
    await worker().drain();
    const [french] = mine();
    expect(french!.subject).toBe("Vous avez gagné 630 points chez Maple & Pine");
    expect(french!.headers.get("content-language")).toBe("fr");
    expect(french!.text).toContain("Votre solde est maintenant de 630 points.");
    expect(french!.text).toContain("Se désabonner de ces e-mails");

    // Another shop, German by default; its customer's language is not known.
    inbox.messages.length = 0;
    shop = `mail-de-${n++}-${process.pid}.myshopify.com`;
    await installShop(prisma, shop);
    await prisma.shop.update({ where: { domain: shop }, data: { name: "Maple & Pine" } });
    await saveNotifications(prisma, shop, settings({ defaultLocale: "de" }), new Date(Date.now() - 60_000));
    await customer(subscribed);
    await orderPaid();
    await worker().drain();
    const [german] = mine();
    expect(german!.subject).toBe("Sie haben 630 Punkte bei Maple & Pine gesammelt");
    expect(german!.headers.get("content-language")).toBe("de");
  });

  it("is never sent without the customer's email marketing consent", async () => {
    // customers/create says not_subscribed (the fixture as Shopify sends it).
    await customer();
    await orderPaid();
    await worker().drain();
    expect(mine()).toEqual([]);
    expect(await emailRows()).toEqual([expect.objectContaining({ status: "skipped", reason: "no-consent" })]);
    // Consent given later counts for what happens next, not for what was skipped.
    await customer(subscribed, "customers/update");
    await secondOrderPaid();
    await worker().drain();
    expect(mine().map((m) => m.subject)).toEqual(["You earned 500 points at Maple & Pine"]);
  });

  it("is sent once for a webhook Shopify delivered twice, and once however often the job runs", async () => {
    await customer(subscribed);
    await orderPaid("paid-copy-1");
    await orderPaid("paid-copy-1");
    await orderPaid("paid-copy-2");
    await worker().drain();
    await sendNotificationEmails(prisma, shop);
    await sendNotificationEmails(prisma, shop);
    expect(mine()).toHaveLength(1);
    expect(await emailRows()).toHaveLength(1);
    expect(await balance()).toBe(630);
  });

  it("stops after the customer unsubscribes; the page confirms in their language", async () => {
    await customer({ ...subscribed, locale: "es" });
    await orderPaid();
    await worker().drain();
    const link = /(https?:\/\/\S+\/notifications\/unsubscribe\?\S+)/.exec(mine()[0]!.text)![1]!;

    // Opening the link asks (a mail scanner's GET unsubscribes nobody) ...
    const asked = await unsubscribeRoute.loader({ request: new Request(link), params: {}, context: {} });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("¿Dejar de recibir los correos de fidelidad de Maple &amp; Pine?");
    expect(
      (await prisma.notificationContact.findFirstOrThrow({ where: { shop } })).unsubscribedAt,
    ).toBeNull();
    // ... the one-click POST (RFC 8058) unsubscribes, and says so in Spanish.
    const done = await unsubscribeRoute.action({
      request: new Request(link, {
        method: "POST",
        body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }),
      }),
      params: {},
      context: {},
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(
      "Te has dado de baja. Maple &amp; Pine no te enviará más correos de fidelidad.",
    );

    inbox.messages.length = 0;
    await secondOrderPaid();
    await worker().drain();
    expect(mine()).toEqual([]);
    expect((await emailRows()).map((row) => [row.status, row.reason])).toEqual([
      ["sent", null],
      ["skipped", "unsubscribed"],
    ]);

    // What the customer is owed on a data request lists it all.
    let text = "";
    for await (const chunk of customerDataJson(
      prisma,
      shop,
      "gid://shopify/Customer/7302485617390244561",
      { requestedAt: new Date(), deliveredAt: null },
      new Date(),
    )) {
      text += chunk;
    }
    const data = JSON.parse(text) as {
      email_preferences: { email_marketing_consent: string; locale: string; unsubscribed_at: string | null };
      notification_emails: { event: string; status: string; reason: string | null; to: string | null }[];
    };
    expect(data.email_preferences).toMatchObject({ email_marketing_consent: "subscribed", locale: "es" });
    expect(data.email_preferences.unsubscribed_at).not.toBeNull();
    expect(data.notification_emails).toHaveLength(3);
    expect(data.notification_emails).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: "pointsEarned", status: "sent", to: ADDRESS }),
        expect.objectContaining({ event: "pointsEarned", status: "skipped", reason: "unsubscribed" }),
        expect.objectContaining({ event: "tierReached", reason: "not-a-step-up" }),
      ]),
    );
  });

  it("keeps the consent Shopify last reported when a customers/update does not carry it", async () => {
    await customer(subscribed);
    const withoutConsent = fixtureBody("customers-update").replace(
      /"email_marketing_consent":\s*\{[^}]*\},/,
      "",
    );
    expect(withoutConsent).not.toContain("email_marketing_consent");
    await deliverAndApply(
      customersUpdate,
      webhookRequest({ topic: "customers/update", shop, body: null, rawBody: withoutConsent }),
    );
    await orderPaid();
    await worker().drain();
    expect(mine()).toHaveLength(1);
    // A later payload that says the customer unsubscribed in Shopify stops the emails.
    await customer({ email_marketing_consent: { state: "unsubscribed" } }, "customers/update");
    await secondOrderPaid();
    await worker().drain();
    expect(mine()).toHaveLength(1);
    expect((await emailRows()).map((row) => row.reason)).toEqual([null, "no-consent"]);
  });

  it("an event whose job was never queued (a crash after commit) is emailed by the reconcile job", async () => {
    await customer(subscribed);
    // As the ledger records it, without the follow-up that would queue the jobs.
    await prisma.flowEvent.create({
      data: {
        shop,
        trigger: "regulars-points-earned",
        dedupeKey: "earned:lost-follow-up",
        // Flow is done with it (no workflow listens): only the email is outstanding.
        skippedAt: new Date(),
        payload: {
          customer_id: "7302485617390244561",
          Points: 75,
          Balance: 75,
          "Pending points": 0,
          Reason: "Lost",
        },
      },
    });
    await jobs.send("reconcile", {});
    await worker().drain();
    expect(mine().map((m) => m.subject)).toEqual(["You earned 75 points at Maple & Pine"]);
  });

  it("a forged or altered link unsubscribes nobody", async () => {
    await customer(subscribed);
    await orderPaid();
    await worker().drain();
    const link = new URL(/(https?:\/\/\S+\/notifications\/unsubscribe\?\S+)/.exec(mine()[0]!.text)![1]!);
    link.searchParams.set("customer", "1234");
    const forged = await unsubscribeRoute.action({
      request: new Request(link, { method: "POST" }),
      params: {},
      context: {},
    });
    expect(forged.status).toBe(404);
    expect(await prisma.notificationContact.count({ where: { shop, unsubscribedAt: { not: null } } })).toBe(
      0,
    );
  });
});

describe("when the SMTP server fails", () => {
  it("a refusal fails the job, pg-boss retries it, the points never change, and the email goes once", async () => {
    await customer(subscribed);
    inbox.refuse(true);
    await orderPaid();
    const first = await worker().drain();
    expect(first.failed).toBeGreaterThanOrEqual(1);
    expect(await balance()).toBe(630);
    const [row] = await emailRows();
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row!.error).toMatch(/451/);
    const states = await prisma.$queryRawUnsafe<{ state: string }[]>(
      `SELECT state::text FROM ${jobs.schema}.job WHERE name = 'notification-send' AND data->>'shop' = $1`,
      shop,
    );
    expect(states.map((s) => s.state)).toContain("retry");

    inbox.refuse(false);
    await makeRetriesDue();
    await worker().drain();
    expect(mine()).toHaveLength(1);
    expect(await emailRows()).toEqual([
      expect.objectContaining({ status: "sent", attempts: 2, error: null }),
    ]);
    expect(await balance()).toBe(630);
  });

  it("a server that is down is retried the same way once it is back", async () => {
    await customer(subscribed);
    // Nothing listens on this port: the connection is refused.
    const down = await startSmtpInbox();
    const downPort = down.port;
    await down.close();
    await saveNotifications(prisma, shop, settings({ smtpPort: downPort }), new Date());
    await orderPaid();
    await worker().drain();
    expect(await balance()).toBe(630);
    expect((await emailRows())[0]).toMatchObject({
      status: "pending",
      error: expect.stringMatching(/ECONNREFUSED/),
    });

    await saveNotifications(prisma, shop, settings(), new Date());
    await makeRetriesDue();
    await worker().drain();
    expect(mine()).toHaveLength(1);
  });
});

describe("the other events", () => {
  it("the reward-ready, points-expiring and tier-reached emails carry their facts; a step down sends none", async () => {
    await customer(subscribed);
    await orderPaid();
    await worker().drain();
    inbox.messages.length = 0;
    // Points expiring: the program's 30-day warning, as the Flow trigger has it.
    await prisma.member.updateMany({
      where: { shop },
      data: { lastActivityAt: new Date("2026-01-10T00:00:00Z") },
    });
    await updateProgram(prisma, shop, { settings: { expiryMonths: 12, expiryWarningDays: 30 } }, new Date());
    await withJobs(() => runDailyMaintenance(prisma, shop, new Date("2026-12-20T00:00:00Z")));
    await worker().drain();
    const expiring = mine().find((m) => m.subject.includes("expire"));
    expect(expiring!.subject).toBe("Your 630 points at Maple & Pine expire soon");
    expect(expiring!.text).toContain("Your 630 points expire on January 10, 2027.");

    // Tier reached (a step up from Member) and down again: one email, for the step up.
    const member = await prisma.member.findFirstOrThrow({ where: { shop } });
    const tiers = await prisma.tier.findMany({ where: { shop }, orderBy: { position: "asc" } });
    const flowEvent = (previous: string, next: string, key: string) =>
      prisma.flowEvent.create({
        data: {
          shop,
          trigger: "regulars-tier-changed",
          dedupeKey: key,
          payload: { customer_id: "7302485617390244561", "Previous tier": previous, "New tier": next },
        },
      });
    await flowEvent(tiers[0]!.name, tiers[1]!.name, `tier-up-${member.id}`);
    await flowEvent(tiers[1]!.name, tiers[0]!.name, `tier-down-${member.id}`);
    await prisma.flowEvent.create({
      data: {
        shop,
        trigger: "regulars-reward-issued",
        dedupeKey: `issued-${member.id}`,
        payload: {
          customer_id: "7302485617390244561",
          Reward: "5.00 off",
          Code: "REG-AB12-CD34",
          "Points spent": 500,
          "Expires at": "2027-02-01T00:00:00.000Z",
        },
      },
    });
    await sendNotificationEmails(prisma, shop);
    const subjects = mine().map((m) => m.subject);
    expect(subjects).toContain(`Welcome to ${tiers[1]!.name} at Maple & Pine`);
    expect(subjects).toContain("Your reward is ready: 5.00 off at Maple & Pine");
    const reward = mine().find((m) => m.subject.includes("reward"))!;
    expect(reward.text).toContain("REG-AB12-CD34");
    expect(reward.text).toContain("February 1, 2027");
    expect(subjects.filter((s) => s.startsWith("Welcome"))).toHaveLength(1);
    expect((await emailRows("tierReached")).map((row) => row.reason)).toEqual([
      "not-a-step-up", // the first order's placement in the first tier
      null,
      "not-a-step-up",
    ]);
  });

  it("an event whose email is off is not sent, even when it is turned on later", async () => {
    await saveNotifications(prisma, shop, settings({ pointsEarned: false }), new Date());
    await customer(subscribed);
    await orderPaid();
    await worker().drain();
    await saveNotifications(prisma, shop, settings(), new Date());
    await sendNotificationEmails(prisma, shop);
    expect(mine()).toEqual([]);
    expect(await emailRows()).toEqual([expect.objectContaining({ status: "skipped", reason: "off" })]);
  });

  it("the SMTP password is stored sealed, never as typed", async () => {
    const row = await prisma.notificationSettings.findUniqueOrThrow({ where: { shop } });
    expect(row.smtpPasswordSealed).toMatch(/^enc:v1:/);
    expect(row.smtpPasswordSealed).not.toContain(inbox.credentials.password);
  });
});
