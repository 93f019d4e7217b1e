/**
 * devshop's email marketing consent, held to Shopify's: a customer subscribes or unsubscribes
 * (customerEmailMarketingConsentUpdate's states), customers/update carries
 * email_marketing_consent { state, opt_in_level, consent_updated_at } as the REST Customer
 * resource does, and the app's parser reads the state and its date from it.
 */
import { describe, expect, it } from "vitest";
import { parseCustomerPayload } from "~/shopify/payloads/order-payload";
import { Commerce } from "../../devshop/commerce";
import { DevshopState } from "../../devshop/state";

function shopAt(now: () => Date) {
  const state = DevshopState.open(null);
  const shop = state.ensureShop("consent-shop.myshopify.com", "Consent Shop");
  const sent: { topic: string; payload: Record<string, unknown> }[] = [];
  const commerce = new Commerce(
    state,
    (_shop, topic, payload) => sent.push({ topic, payload: payload as Record<string, unknown> }),
    now,
  );
  return { shop, commerce, sent };
}

describe("devshop email marketing consent", () => {
  it("subscribing sends customers/update with the consent and its date, which the app reads", () => {
    let now = new Date("2026-06-01T12:00:00Z");
    const { shop, commerce, sent } = shopAt(() => now);
    const customer = commerce.createCustomer(shop, { email: "c@example.com", firstName: "C", lastName: "D" });
    expect(parseCustomerPayload(sent[0]!.payload)).toMatchObject({ emailConsent: "not_subscribed" });

    now = new Date("2026-06-02T09:30:00Z");
    commerce.setEmailMarketingConsent(shop, customer.id, "subscribed");
    const update = sent.at(-1)!;
    expect(update.topic).toBe("customers/update");
    expect(update.payload).toMatchObject({
      email_marketing_consent: {
        state: "subscribed",
        opt_in_level: "single_opt_in",
        consent_updated_at: "2026-06-02T09:30:00.000Z",
      },
      updated_at: "2026-06-02T09:30:00.000Z",
    });
    expect(parseCustomerPayload(update.payload)).toMatchObject({
      emailConsent: "subscribed",
      consentAt: new Date("2026-06-02T09:30:00Z"),
    });

    now = new Date("2026-06-03T00:00:00Z");
    commerce.setEmailMarketingConsent(shop, customer.id, "unsubscribed");
    expect(parseCustomerPayload(sent.at(-1)!.payload)).toMatchObject({
      emailConsent: "unsubscribed",
      consentAt: new Date("2026-06-03T00:00:00Z"),
    });
  });

  it("refuses what Shopify refuses: a read-only state, a customer without an email", () => {
    const { shop, commerce, sent } = shopAt(() => new Date("2026-06-01T12:00:00Z"));
    const customer = commerce.createCustomer(shop, { email: "e@example.com", firstName: "E", lastName: "F" });
    const before = sent.length;
    for (const state of ["not_subscribed", "redacted", "invalid", "SUBSCRIBED"])
      expect(() => commerce.setEmailMarketingConsent(shop, customer.id, state)).toThrow(/cannot be set/);
    shop.customers[customer.id]!.email = "";
    expect(() => commerce.setEmailMarketingConsent(shop, customer.id, "subscribed")).toThrow(/email address/);
    expect(sent.length).toBe(before);
  });
});
