import { describe, expect, it } from "vitest";
import {
  actionSourceKey,
  allEarnRules,
  checkEarnRules,
  defaultEarnRule,
  enabledSince,
  isListed,
  isNetworkUrl,
  mayEarn,
  newsletterEarns,
  UNLIMITED_PER_DAY,
  type EarnRule,
} from "./earn-rules";

const d = (iso: string) => new Date(iso);
const on = (rule: Partial<EarnRule> & Pick<EarnRule, "key">): EarnRule => ({
  ...defaultEarnRule(rule.key),
  enabled: true,
  enabledAt: d("2026-03-01T00:00:00Z"),
  ...rule,
});
const CUSTOMER = "gid://shopify/Customer/7";

describe("source keys", () => {
  it("gives one key per customer for once, per year for yearly, per occurrence for a review", () => {
    const now = d("2026-05-02T10:00:00Z");
    expect(actionSourceKey({ rule: "newsletter", limit: "ONCE", customerGid: CUSTOMER, now })).toBe(
      "action:newsletter:gid://shopify/Customer/7",
    );
    expect(actionSourceKey({ rule: "review", limit: "YEARLY", customerGid: CUSTOMER, now })).toBe(
      "action:review:gid://shopify/Customer/7:2026",
    );
    expect(
      actionSourceKey({ rule: "review", limit: "UNLIMITED", customerGid: CUSTOMER, occurrence: "r-1", now }),
    ).toBe("action:review:r-1");
    // The same review is the same key whatever the limit: never paid twice.
    expect(
      actionSourceKey({ rule: "review", limit: "ONCE", customerGid: CUSTOMER, occurrence: "r-1", now }),
    ).toBe("action:review:r-1");
    expect(() =>
      actionSourceKey({ rule: "review", limit: "UNLIMITED", customerGid: CUSTOMER, now }),
    ).toThrow();
  });
});

describe("limits", () => {
  const now = d("2026-05-02T10:00:00Z");
  it("refuses a rule that is off", () => {
    expect(mayEarn({ ...on({ key: "review" }), enabled: false }, [], now)).toBe("rule_off");
  });
  it("once: only the first time", () => {
    expect(mayEarn(on({ key: "newsletter" }), [], now)).toBeNull();
    expect(mayEarn(on({ key: "newsletter" }), [d("2020-01-01T00:00:00Z")], now)).toBe("limit_reached");
  });
  it("once a year: once per calendar year (UTC)", () => {
    const rule = on({ key: "review", limit: "YEARLY" });
    expect(mayEarn(rule, [d("2025-12-31T23:59:59Z")], now)).toBeNull();
    expect(mayEarn(rule, [d("2026-01-01T00:00:00Z")], now)).toBe("limit_reached");
  });
  it("unlimited: at most UNLIMITED_PER_DAY in any 24 hours", () => {
    const rule = on({ key: "review", limit: "UNLIMITED" });
    const recent = Array.from({ length: UNLIMITED_PER_DAY - 1 }, (_, i) => d(`2026-05-02T0${i}:00:00Z`));
    expect(mayEarn(rule, recent, now)).toBeNull();
    expect(mayEarn(rule, [...recent, d("2026-05-01T10:00:01Z")], now)).toBe("limit_reached");
    // A day and a second ago no longer counts.
    expect(mayEarn(rule, [...recent, d("2026-05-01T09:59:59Z")], now)).toBeNull();
  });
});

describe("newsletter", () => {
  const rule = on({ key: "newsletter", enabledAt: d("2026-03-01T00:00:00Z") });
  it("earns for a subscription dated on or after the rule was turned on", () => {
    expect(newsletterEarns({ rule, state: "subscribed", consentAt: d("2026-03-01T00:00:00Z") })).toBe(true);
    expect(newsletterEarns({ rule, state: "subscribed", consentAt: d("2026-04-01T00:00:00Z") })).toBe(true);
  });
  it("does not earn for a subscription from before, another state, or a rule that is off", () => {
    expect(newsletterEarns({ rule, state: "subscribed", consentAt: d("2026-02-28T23:59:59Z") })).toBe(false);
    for (const state of ["not_subscribed", "pending", "unsubscribed", "redacted", null, undefined])
      expect(newsletterEarns({ rule, state, consentAt: d("2026-04-01T00:00:00Z") })).toBe(false);
    expect(newsletterEarns({ rule, state: "subscribed", consentAt: null })).toBe(false);
    expect(
      newsletterEarns({
        rule: { ...rule, enabled: false },
        state: "subscribed",
        consentAt: d("2026-04-01Z"),
      }),
    ).toBe(false);
  });
});

describe("the merchant's settings", () => {
  it("checks points, limits and follow links", () => {
    const result = checkEarnRules({
      newsletter: { enabled: true, points: 0, limit: "YEARLY", url: null },
      review: { enabled: true, points: 100_001, limit: "UNLIMITED", url: null },
      "follow-instagram": { enabled: true, points: 10, limit: "ONCE", url: "http://instagram.com/shop" },
      "follow-tiktok": { enabled: true, points: 10, limit: "ONCE", url: "https://evil.example/tiktok.com" },
      "follow-x": { enabled: true, points: 10, limit: "ONCE", url: "" },
      "follow-youtube": { enabled: false, points: 1.5, limit: "ONCE", url: null },
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        "newsletter.points": { code: "range", min: 1, max: 100_000, unit: "points" },
        "newsletter.limit": { code: "choice" },
        "review.points": { code: "range", min: 1, max: 100_000, unit: "points" },
        "follow-instagram.url": { code: "https", example: "https://instagram.com/yourshop" },
        "follow-tiktok.url": { code: "https", example: "https://tiktok.com/yourshop" },
        "follow-x.url": { code: "required" },
        "follow-youtube.points": { code: "wholeNumber" },
      },
    });
  });
  it("accepts good settings, and a follow rule off without a link", () => {
    const result = checkEarnRules({
      review: { enabled: true, points: 100_000, limit: "UNLIMITED", url: null },
      "follow-facebook": { enabled: true, points: 1, limit: "ONCE", url: " https://www.facebook.com/maple " },
      "follow-x": { enabled: false, points: 5, limit: "ONCE", url: "" },
    });
    expect(result).toEqual({
      ok: true,
      rules: [
        { key: "review", enabled: true, points: 100_000, limit: "UNLIMITED", url: null },
        {
          key: "follow-facebook",
          enabled: true,
          points: 1,
          limit: "ONCE",
          url: "https://www.facebook.com/maple",
        },
        { key: "follow-x", enabled: false, points: 5, limit: "ONCE", url: null },
      ],
    });
  });
  it("knows each network's hosts", () => {
    expect(isNetworkUrl("x", "https://twitter.com/maple")).toBe(true);
    expect(isNetworkUrl("x", "https://x.com.evil.example/")).toBe(false);
    expect(isNetworkUrl("youtube", "https://user:pw@youtube.com/")).toBe(false);
    expect(isNetworkUrl("youtube", "javascript:alert(1)")).toBe(false);
  });
  it("keeps when a rule was turned on while it stays on", () => {
    const before = on({ key: "newsletter", enabledAt: d("2026-01-01Z") });
    const now = d("2026-06-01Z");
    expect(enabledSince(before, true, now)).toEqual(d("2026-01-01Z"));
    expect(enabledSince({ ...before, enabled: false }, true, now)).toEqual(now);
    expect(enabledSince(null, true, now)).toEqual(now);
    expect(enabledSince(before, false, now)).toBeNull();
  });
  it("lists every rule, and only active ones on the storefront", () => {
    const rules = allEarnRules([on({ key: "review" }), on({ key: "follow-x", url: null })]);
    expect(rules.map((rule) => rule.key)).toEqual([
      "newsletter",
      "review",
      "follow-instagram",
      "follow-tiktok",
      "follow-facebook",
      "follow-x",
      "follow-youtube",
    ]);
    expect(rules.filter(isListed).map((rule) => rule.key)).toEqual(["review"]);
  });
});
