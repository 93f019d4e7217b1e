import { describe, expect, it } from "vitest";
import {
  addressKey,
  DEFAULT_REFERRAL_SETTINGS,
  firstOrderState,
  holdReasons,
  monthStart,
  normaliseEmail,
  parseReferralCode,
  referralCode,
  referralSettingsSchema,
  type ReferralFacts,
} from "~/loyalty/referrals";

describe("normaliseEmail", () => {
  it("drops +tags and dots for gmail, and googlemail is gmail", () => {
    expect(normaliseEmail("Jane.Doe+shop@Gmail.com")).toBe("janedoe@gmail.com");
    expect(normaliseEmail(" j.a.n.e.doe@googlemail.com ")).toBe("janedoe@gmail.com");
  });
  it("drops +tags only where the provider delivers them to the same box, and keeps dots elsewhere", () => {
    expect(normaliseEmail("jane.doe+x@outlook.com")).toBe("jane.doe@outlook.com");
    expect(normaliseEmail("jane.doe+x@example.com")).toBe("jane.doe+x@example.com");
  });
  it("refuses what is not an email", () => {
    expect(normaliseEmail("jane")).toBeNull();
    expect(normaliseEmail("+tag@gmail.com")).toBeNull();
    expect(normaliseEmail("a b@example.com")).toBeNull();
  });
});

describe("link codes", () => {
  it("are 8 characters of the unambiguous alphabet, and parse back without case", () => {
    const code = referralCode(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 255]));
    expect(code).toMatch(/^[ACDEFGHJKMNPQRTUVWXY34679]{8}$/);
    expect(parseReferralCode(code.toLowerCase())).toBe(code);
    expect(parseReferralCode("ABC")).toBeNull();
    expect(parseReferralCode("ABCDEFG0")).toBeNull();
    expect(() => referralCode(new Uint8Array(4))).toThrow();
  });
});

describe("addressKey", () => {
  it("compares street and postcode without case, spaces or punctuation", () => {
    const a = addressKey({ address1: "12 Rue de la Paix", zip: "75002", countryCode: "fr" });
    const b = addressKey({ address1: "12, rue de la paix ", zip: "75 002", countryCode: "FR" });
    expect(a).toBe(b);
    expect(addressKey({ address1: "", zip: "75002" })).toBeNull();
    expect(addressKey(null)).toBeNull();
  });
});

const facts = (change: Partial<ReferralFacts["referee"]> = {}, paidThisMonth = 0): ReferralFacts => ({
  referrer: {
    customerGid: "gid://shopify/Customer/1",
    email: "ann.smith@gmail.com",
    addressKeys: ["FR|75002|12ruedelapaix"],
    cardKeys: ["424242|4242|12/30"],
  },
  referee: {
    customerGid: "gid://shopify/Customer/2",
    email: "bob@example.com",
    addressKey: "FR|69001|1placebellecour",
    cardKey: "555555|4444|01/29",
    orderedBefore: false,
    ...change,
  },
  paidThisMonth,
});

describe("holdReasons", () => {
  const on = { ...DEFAULT_REFERRAL_SETTINGS, enabled: true };
  it("a new customer with their own email, address and card is paid", () => {
    expect(holdReasons(facts(), on)).toEqual([]);
  });
  it("holds the same customer, the same mailbox, address and card, a returning customer, and past the cap", () => {
    expect(holdReasons(facts({ customerGid: "gid://shopify/Customer/1" }), on)).toEqual(["same_customer"]);
    expect(holdReasons(facts({ email: "annsmith+friend@googlemail.com" }), on)).toEqual(["same_email"]);
    expect(holdReasons(facts({ addressKey: "FR|75002|12ruedelapaix" }), on)).toEqual(["same_address"]);
    expect(holdReasons(facts({ cardKey: "424242|4242|12/30" }), on)).toEqual(["same_card"]);
    expect(holdReasons(facts({ orderedBefore: true }), on)).toEqual(["not_new"]);
    expect(holdReasons(facts({}, 10), on)).toEqual(["monthly_cap"]);
    expect(holdReasons(facts({}, 9), on)).toEqual([]);
  });
  it("each check is a setting; a cap of 0 is no cap", () => {
    const off = {
      ...on,
      checkSelf: false,
      checkAddress: false,
      checkCard: false,
      checkNew: false,
      monthlyCap: 0,
    };
    const everything = facts(
      {
        customerGid: "gid://shopify/Customer/1",
        email: "ann.smith@gmail.com",
        addressKey: "FR|75002|12ruedelapaix",
        cardKey: "424242|4242|12/30",
        orderedBefore: true,
      },
      99,
    );
    expect(holdReasons(everything, off)).toEqual([]);
    expect(holdReasons(everything, on)).toEqual([
      "same_customer",
      "same_email",
      "same_address",
      "same_card",
      "not_new",
      "monthly_cap",
    ]);
  });
});

describe("firstOrderState", () => {
  const paidAt = new Date("2026-03-01T10:00:00Z");
  const order = { paidAt, cancelledAt: null, netEligibleMilli: 50_000n };
  it("waits for payment and the pending window, then is due", () => {
    expect(firstOrderState({ ...order, paidAt: null }, 14, paidAt)).toEqual({ state: "wait", until: null });
    expect(firstOrderState(order, 14, new Date("2026-03-15T09:59:59Z"))).toEqual({
      state: "wait",
      until: new Date("2026-03-15T10:00:00Z"),
    });
    expect(firstOrderState(order, 14, new Date("2026-03-15T10:00:00Z"))).toEqual({ state: "due" });
    expect(firstOrderState(order, 0, paidAt)).toEqual({ state: "due" });
  });
  it("a cancelled or fully refunded first order pays nothing", () => {
    expect(firstOrderState({ ...order, cancelledAt: paidAt }, 0, paidAt)).toEqual({
      state: "void",
      reason: "cancelled",
    });
    expect(firstOrderState({ ...order, netEligibleMilli: 0n }, 14, new Date("2026-04-01T00:00:00Z"))).toEqual(
      {
        state: "void",
        reason: "refunded",
      },
    );
  });
});

describe("settings", () => {
  it("the month of the cap starts on the 1st, UTC", () => {
    expect(monthStart(new Date("2026-03-31T23:59:59Z"))).toEqual(new Date("2026-03-01T00:00:00Z"));
  });
  it("refuses out-of-range values field by field", () => {
    const result = referralSettingsSchema.safeParse({
      ...DEFAULT_REFERRAL_SETTINGS,
      refereePercent: 0,
      referrerPoints: -5,
      monthlyCap: 1.5,
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path[0]).sort()).toEqual([
      "monthlyCap",
      "refereePercent",
      "referrerPoints",
    ]);
  });
});
