/**
 * The newsletter way to earn (docs/decisions/0023-points-for-actions.md) through the signed
 * customers/create and customers/update webhooks: points once when the email marketing consent
 * becomes subscribed after the rule is on, whatever the deliveries' order or repetitions.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { action as customersCreate } from "~/routes/webhooks.customers.create";
import { action as customersUpdate } from "~/routes/webhooks.customers.update";
import { saveEarnRules } from "~/services/actions/earn-actions.server";
import { updateProgram } from "~/services/program/program-settings.server";
import { type callAction, webhookRequest } from "../support/webhooks";
import { deliverAndApply } from "../support/inbox";
import { fixtureBody, type Payload } from "../support/fixtures";
import { expectLedgerConsistent } from "../support/ledger-invariant";
import { resetLoyaltyData } from "../support/reset";
import { installShop } from "../support/shops";

const SHOP = "letters.myshopify.com";
const OTHER = "other-letters.myshopify.com";
type Action = Parameters<typeof callAction>[0];
const deliver = (action: Action, topic: string, rawBody: string, shop = SHOP) =>
  deliverAndApply(action, webhookRequest({ topic, shop, body: null, rawBody }));

const consent = (
  state: string,
  at: string | null,
  updatedAt = at ?? "2025-11-20T15:02:14+01:00",
): Payload => ({
  email_marketing_consent: { state, opt_in_level: "single_opt_in", consent_updated_at: at },
  updated_at: updatedAt,
});
const update = (overrides: Payload, shop = SHOP) =>
  deliver(customersUpdate, "customers/update", fixtureBody("customers-update", overrides), shop);

async function turnOn(at: string, points = 150, shop = SHOP) {
  await saveEarnRules(
    prisma,
    shop,
    { newsletter: { enabled: true, points, limit: "ONCE", url: null } },
    new Date(at),
  );
}

const newsletterEntries = (shop = SHOP) =>
  prisma.ledgerEntry.findMany({ where: { shop, action: "newsletter" }, orderBy: { id: "asc" } });

beforeEach(async () => {
  await resetLoyaltyData(prisma);
  for (const shop of [SHOP, OTHER]) await installShop(prisma, shop);
});

describe("newsletter signup points", () => {
  it("pays once when the consent becomes subscribed; a repeat, an unsubscribe and a new subscription pay nothing more", async () => {
    await turnOn("2025-11-01T00:00:00Z");
    await deliver(customersCreate, "customers/create", fixtureBody("customers-create"));
    expect(await newsletterEntries()).toEqual([]);

    const subscribed = consent("subscribed", "2025-11-14T10:21:37+01:00");
    const res = await update(subscribed);
    expect(res.status).toBe(200);
    await update(subscribed);
    await update(consent("unsubscribed", "2025-11-15T10:00:00Z"));
    await update(consent("subscribed", "2025-11-16T10:00:00Z"));

    const entries = await newsletterEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      kind: "BONUS",
      points: 150,
      sourceKey: "action:newsletter:gid://shopify/Customer/7302485617390244561",
      note: "Newsletter signup",
    });
    const member = await prisma.member.findFirstOrThrow({ where: { shop: SHOP } });
    expect(member.balance).toBe(150);
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({
      where: { shop: SHOP, detail: { contains: "newsletter" } },
    });
    expect(delivery.detail).toContain("newsletter signup 150");
    await expectLedgerConsistent(prisma, SHOP);
  });

  it("pays nothing for a customer subscribed before the rule was turned on (first seen later or not)", async () => {
    await turnOn("2025-12-01T00:00:00Z");
    await update(consent("subscribed", "2025-11-14T10:21:37+01:00"));
    expect(await newsletterEntries()).toEqual([]);
    // Pending (double opt-in not confirmed) and not subscribed never pay.
    await update(consent("pending", "2025-12-02T00:00:00Z"));
    await update(consent("not_subscribed", "2025-12-03T00:00:00Z"));
    expect(await newsletterEntries()).toEqual([]);
  });

  it("out of order: a late subscribed delivery after the unsubscribe still pays once", async () => {
    await turnOn("2025-11-01T00:00:00Z");
    await update(consent("unsubscribed", "2025-11-15T10:00:00Z"));
    await update(consent("subscribed", "2025-11-14T10:00:00Z"));
    await update(consent("subscribed", "2025-11-14T10:00:00Z"));
    expect(await newsletterEntries()).toHaveLength(1);
  });

  it("a consent without its date is dated by the customer's updated_at", async () => {
    await turnOn("2025-11-10T00:00:00Z");
    await update(consent("subscribed", null, "2025-11-09T00:00:00Z"));
    expect(await newsletterEntries()).toHaveLength(0);
    await update(consent("subscribed", null, "2025-11-11T00:00:00Z"));
    expect(await newsletterEntries()).toHaveLength(1);
  });

  it("reads the legacy accepts_marketing shape", async () => {
    await turnOn("2025-11-01T00:00:00Z", 70);
    const legacy = fixtureBody("customers-update").replace(/"email_marketing_consent":\s*\{[^}]*\},/, "");
    expect(legacy).not.toContain("email_marketing_consent");
    const withFields = (accepts: boolean, at: string) =>
      `${legacy.trim().slice(0, -1)}, "accepts_marketing": ${accepts}, "accepts_marketing_updated_at": "${at}"}`;
    await deliver(customersUpdate, "customers/update", withFields(false, "2025-11-05T00:00:00Z"));
    expect(await newsletterEntries()).toHaveLength(0);
    await deliver(customersUpdate, "customers/update", withFields(true, "2025-11-06T00:00:00Z"));
    expect((await newsletterEntries()).map((entry) => entry.points)).toEqual([70]);
  });

  it("pays nothing while the rule is off, the program paused, or to an excluded customer; other shops are apart", async () => {
    await update(consent("subscribed", "2025-11-14T10:21:37+01:00"));
    expect(await newsletterEntries()).toHaveLength(0);

    await turnOn("2025-11-01T00:00:00Z", 150, OTHER);
    await updateProgram(prisma, OTHER, { settings: { excludedTags: ["VIP"] } }, new Date());
    await update(consent("subscribed", "2025-11-14T10:21:37+01:00"), OTHER);
    expect(await newsletterEntries(OTHER)).toHaveLength(0);

    await updateProgram(prisma, OTHER, { settings: { excludedTags: [], active: false } }, new Date());
    await update(consent("subscribed", "2025-11-14T10:21:37+01:00"), OTHER);
    expect(await newsletterEntries(OTHER)).toHaveLength(0);

    await updateProgram(prisma, OTHER, { settings: { active: true } }, new Date());
    await update(consent("subscribed", "2025-11-14T10:21:37+01:00"), OTHER);
    expect(await newsletterEntries(OTHER)).toHaveLength(1);
    expect(await newsletterEntries(SHOP)).toHaveLength(0);
  });
});
