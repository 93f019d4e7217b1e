/**
 * The notification emails' pure parts: every event in every language, the
 * customer's locale to one of ours, HTML escaping, and the signed
 * unsubscribe link (one customer of one shop, not forgeable).
 */
import { describe, expect, it } from "vitest";
import {
  EMAIL_EVENTS,
  EMAIL_LOCALES,
  emailLocaleOf,
  renderEmail,
  sampleFacts,
  unsubscribePage,
} from "~/services/notifications/email-templates";
import { checkUnsubscribeLink, unsubscribeUrl } from "~/services/notifications/unsubscribe-link.server";

const NOW = new Date("2026-12-07T00:00:00Z");
const render = (event: (typeof EMAIL_EVENTS)[number], locale: (typeof EMAIL_LOCALES)[number]) =>
  renderEmail({
    locale,
    shopName: "Maple & Pine",
    firstName: "Inès",
    facts: sampleFacts(event, NOW),
    unsubscribeUrl: "https://app.example/notifications/unsubscribe?x=1&y=2",
  });

describe("email templates", () => {
  it("render every event in en, fr, de and es, each with its facts and the unsubscribe link", () => {
    const subjects = new Set<string>();
    for (const locale of EMAIL_LOCALES) {
      for (const event of EMAIL_EVENTS) {
        const email = render(event, locale);
        subjects.add(email.subject);
        expect(email.subject).toContain("Maple & Pine");
        expect(email.text).toContain("Inès");
        expect(email.text).toContain("https://app.example/notifications/unsubscribe?x=1&y=2");
        expect(email.html).toContain(`<html lang="${locale}">`);
        expect(email.html).toContain('href="https://app.example/notifications/unsubscribe?x=1&amp;y=2"');
        const facts = sampleFacts(event, NOW);
        if (facts.event === "pointsEarned") expect(email.text).toMatch(/300/);
        if (facts.event === "rewardReady") expect(email.text).toContain("REG-7K2P-QX9M");
        if (facts.event === "tierReached") expect(email.text).toContain("Gold");
      }
    }
    // 16 different subjects: no language falls back to another's words.
    expect(subjects.size).toBe(16);
    expect(render("pointsExpiring", "de").text).toContain("Ihre 1.250 Punkte verfallen am 6. Januar 2027.");
    expect(render("pointsExpiring", "fr").text).toContain("expirent le 6 janvier 2027");
  });

  it("escape what the shop or the customer typed in the HTML", () => {
    const email = renderEmail({
      locale: "en",
      shopName: "<script>alert(1)</script>",
      firstName: '"><img src=x>',
      facts: { event: "tierReached", tier: "Gold & <b>Co</b>" },
      unsubscribeUrl: "https://app.example/u",
    });
    expect(email.html).not.toContain("<script>");
    expect(email.html).not.toContain("<img");
    expect(email.html).toContain("Gold &amp; &lt;b&gt;Co&lt;/b&gt;");
  });

  it("take the customer's language as Shopify gives it, else the shop's", () => {
    expect(emailLocaleOf("fr", "en")).toBe("fr");
    expect(emailLocaleOf("fr-CA", "en")).toBe("fr");
    expect(emailLocaleOf("es_MX", "en")).toBe("es");
    expect(emailLocaleOf("DE", "en")).toBe("de");
    expect(emailLocaleOf("pt-BR", "de")).toBe("de");
    expect(emailLocaleOf(null, "es")).toBe("es");
    expect(emailLocaleOf("", "fr")).toBe("fr");
  });

  it("the unsubscribe page confirms in each language", () => {
    expect(unsubscribePage("de", { kind: "done", shopName: "Maple" })).toContain("Sie sind abgemeldet.");
    expect(unsubscribePage("fr", { kind: "done", shopName: "Maple" })).toContain("Vous êtes désabonné(e).");
  });
});

describe("unsubscribe links", () => {
  const shop = "maple.myshopify.com";
  const link = unsubscribeUrl({
    appUrl: "https://app.example",
    secret: "app-secret",
    shop,
    customerGid: "gid://shopify/Customer/7302485617390244561",
  });

  it("name one customer of one shop, checked with the app secret", () => {
    expect(checkUnsubscribeLink(new URL(link), "app-secret")).toEqual({
      shop,
      customerGid: "gid://shopify/Customer/7302485617390244561",
    });
  });

  it("are refused when altered, signed with another secret, or without a signature", () => {
    const altered = (key: string, value: string) => {
      const url = new URL(link);
      url.searchParams.set(key, value);
      return url;
    };
    expect(checkUnsubscribeLink(altered("customer", "7302485617390244562"), "app-secret")).toBeNull();
    expect(checkUnsubscribeLink(altered("shop", "other.myshopify.com"), "app-secret")).toBeNull();
    expect(checkUnsubscribeLink(altered("signature", ""), "app-secret")).toBeNull();
    expect(checkUnsubscribeLink(new URL(link), "another-secret")).toBeNull();
  });
});
