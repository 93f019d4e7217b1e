// @vitest-environment happy-dom
/**
 * The customer accounts extensions (extensions/customer-account-page, -blocks) rendered with
 * Preact against devshop's `shopify` global, with the app at the network edge answering the
 * surfaces' JSON (the app proxy's shapes, typed by the real storefrontStatus): a logged-in member,
 * a redemption, no protected customer data (no `sub`), the program paused, the network failing
 * (a clear message, and a retry that is the same redemption), in English and in French.
 * Why happy-dom: the extensions render Shopify's `s-*` elements, which need only a DOM to diff
 * into and events to click; happy-dom gives that in the unit project's process, in milliseconds,
 * and the end-to-end test drives the built scripts in Chromium.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { storefrontStatus } from "~/services/storefront/status.server";
import {
  button,
  CUSTOMER,
  mountExtension,
  pageText,
  settle,
  SHOP,
  unmount,
  type AppRequest,
} from "../support/extension-harness";

type StorefrontStatus = Awaited<ReturnType<typeof storefrontStatus>>;
type MemberStatus = Extract<StorefrontStatus, { loggedIn: true }>;

const program: StorefrontStatus["program"] = {
  active: true,
  earnRate: "1",
  currencyCode: "USD",
  earnRateE4: 10_000,
  includesTax: false,
  includesGiftCards: false,
  signupBonus: 100,
  birthdayBonus: 0,
  earnActions: [],
  referrals: null,
  bonusEvents: [],
  proxyPath: "/apps/regulars",
  tierBasis: "SPEND",
  tierWindow: "LIFETIME",
  tiers: [
    { name: "Bronze", threshold: "0.00", thresholdAmount: 0, multiplier: "1" },
    { name: "Silver", threshold: "500.00", thresholdAmount: 50_000, multiplier: "1.25" },
  ],
  rewards: [
    { key: "five-off", title: "$5 off", pointsCost: 500, type: "FIXED_AMOUNT" },
    { key: "twenty-off", title: "$20 off", pointsCost: 2000, type: "FIXED_AMOUNT" },
  ],
};

const member = (changes: Partial<MemberStatus> = {}) => {
  const status: MemberStatus = {
    loggedIn: true,
    program,
    points: 1250,
    pending: 80,
    referral: null,
    storeCredit: null,
    tier: "Bronze",
    nextTier: { name: "Silver", remaining: "120.00", amount: 12_000, percent: 76 },
    rewards: [
      { key: "five-off", title: "$5 off", pointsCost: 500, affordable: true },
      { key: "twenty-off", title: "$20 off", pointsCost: 2000, affordable: false },
    ],
    codes: [{ code: "RGL-OLD1", title: "$5 off", endsAt: "2027-01-15T00:00:00.000Z" }],
    history: [{ kind: "EARN", points: 120, at: "2026-12-01T10:00:00.000Z", orderName: "#1001" }],
    ...changes,
  };
  return status;
};

/** The member after redeeming five-off (what the app's redeem answers as `member`). */
const afterRedeem = () => {
  const {
    loggedIn: _l,
    program: _p,
    ...state
  } = member({
    points: 750,
    codes: [
      { code: "RGL-NEW5", title: "$5 off", endsAt: "2027-02-01T00:00:00.000Z" },
      { code: "RGL-OLD1", title: "$5 off", endsAt: "2027-01-15T00:00:00.000Z" },
    ],
    history: [
      { kind: "REDEEM", points: -500, at: "2026-12-07T10:00:00.000Z", orderName: null },
      { kind: "EARN", points: 120, at: "2026-12-01T10:00:00.000Z", orderName: "#1001" },
    ],
  });
  return state;
};

const rewardsPage = (
  app: (request: AppRequest) => ReturnType<Parameters<typeof mountExtension>[0]["app"]>,
  options: { locale?: "en" | "fr"; customer?: string | null } = {},
) =>
  mountExtension({
    handle: "customer-account-page",
    load: () => import("../../extensions/customer-account-page/src/RewardsPage"),
    target: "customer-account.page.render",
    app,
    ...options,
  });

afterEach(unmount);

describe("the Rewards page", () => {
  it("shows a member's balance, pending points, tier progress, rewards, codes, history and ways to earn", async () => {
    const { requests } = await rewardsPage(() => ({ json: member() }));
    await settle("the status", () => pageText().includes("1,250 points"));
    const text = pageText();
    expect(text).toContain("80 more points on their way, yours once the return window ends");
    expect(text).toContain("Bronze");
    // Money in the shop's currency, formatted by shopify.i18n.formatCurrency in the shopper's locale.
    expect(text).toContain("$120.00 more to reach Silver");
    expect(text).toContain("1 points for every $1 you spend");
    expect(document.querySelector("s-progress")?.getAttribute("value")).toBe("76");
    expect(text).toContain("$5 off");
    expect(text).toContain("750 more points needed");
    expect(text).toContain("RGL-OLD1");
    expect(text).toContain("Points earned on order #1001: +120");
    expect(text).toContain("100 points for creating an account");
    expect(text).toContain("Silver: 1.25× points");
    // The request went to the app with a token Shopify's library accepts, naming the customer.
    expect(requests).toEqual([
      expect.objectContaining({
        method: "GET",
        path: "/surfaces/customer-account/status",
        claims: expect.objectContaining({ dest: SHOP, sub: CUSTOMER }),
      }),
    ]);
    // A reward the member cannot afford cannot be redeemed.
    expect(button("Redeem", 1).hasAttribute("disabled")).toBe(true);
  });

  it("redeems a reward: the code is shown, copyable, and listed; the balance follows", async () => {
    const { requests } = await rewardsPage((request) =>
      request.method === "GET"
        ? { json: member() }
        : {
            json: {
              status: "issued",
              code: "RGL-NEW5",
              endsAt: "2027-02-01T00:00:00.000Z",
              pointsCost: 500,
              member: afterRedeem(),
            },
          },
    );
    await settle("the status", () => pageText().includes("1,250 points"));
    button("Redeem").click();
    await settle("the code", () => pageText().includes("Your code is ready"));
    expect(pageText()).toContain("750 points");
    expect(pageText()).toContain("Enter it at checkout before Feb 1, 2027");
    const redeem = requests.find((request) => request.method === "POST")!;
    expect(redeem.path).toBe("/surfaces/customer-account/redeem");
    expect(redeem.body).toEqual({
      rewardKey: "five-off",
      idempotencyKey: expect.stringMatching(/^[\w-]{8,100}$/),
    });
    // The new code is shown with a copy button bound to it, and listed with the older one.
    const item = document.querySelector("s-clipboard-item#regulars-new-code");
    expect(item?.getAttribute("text")).toBe("RGL-NEW5");
    expect(document.querySelector('s-button[commandfor="regulars-new-code"]')?.getAttribute("command")).toBe(
      "--copy",
    );
    expect(pageText().match(/RGL-NEW5/g)).toHaveLength(2);
  });

  it("says so when the network fails, loses nothing, and retries the same redemption", async () => {
    let failing = true;
    const { requests } = await rewardsPage((request) => {
      if (request.method === "GET") return { json: member() };
      if (failing) return "network";
      return {
        json: {
          status: "issued",
          code: "RGL-NEW5",
          endsAt: "2027-02-01T00:00:00.000Z",
          member: afterRedeem(),
        },
      };
    });
    await settle("the status", () => pageText().includes("1,250 points"));
    button("Redeem").click();
    await settle("the error", () => pageText().includes("We couldn’t reach the rewards program"));
    expect(pageText()).toContain("nothing was lost");
    expect(pageText()).toContain("1,250 points");
    failing = false;
    button("Redeem").click();
    await settle("the code", () => pageText().includes("Your code is ready"));
    // The answer to the first attempt was lost: the second is the same redemption (same key).
    const keys = requests.filter((request) => request.method === "POST").map((r) => r.body?.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it("keeps the key after an answer that was lost, so a retry cannot spend twice", async () => {
    let attempts = 0;
    const { requests } = await rewardsPage((request) => {
      if (request.method === "GET") return { json: member() };
      attempts += 1;
      // The app took the first one but its answer failed: "unavailable" (503).
      if (attempts === 1) return { status: 503, json: { error: "unavailable" } };
      return {
        json: {
          status: "issued",
          code: "RGL-NEW5",
          endsAt: "2027-02-01T00:00:00.000Z",
          member: afterRedeem(),
        },
      };
    });
    await settle("the status", () => pageText().includes("1,250 points"));
    button("Redeem").click();
    await settle("the error", () => pageText().includes("Rewards are not available right now"));
    button("Redeem").click();
    await settle("the code", () => pageText().includes("Your code is ready"));
    const keys = requests.filter((r) => r.method === "POST").map((r) => r.body?.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it("words a refusal in the shopper's language and lets them try another reward", async () => {
    await rewardsPage((request) =>
      request.method === "GET" ? { json: member() } : { status: 409, json: { error: "not_enough_points" } },
    );
    await settle("the status", () => pageText().includes("1,250 points"));
    button("Redeem").click();
    await settle("the refusal", () => pageText().includes("You don’t have enough points for this reward."));
    expect(pageText()).toContain("1,250 points");
  });

  it("shows the member's store credit when the app read it, and nothing when it did not", async () => {
    await rewardsPage(() => ({
      json: member({
        storeCredit: {
          amount: "12.50",
          cents: 1250,
          currencyCode: "USD",
          readAt: "2026-12-07T10:00:00.000Z",
        },
      }),
    }));
    await settle("the status", () => pageText().includes("1,250 points"));
    expect(pageText()).toContain("Store credit: $12.50, applied at checkout when you’re signed in");
    unmount();
    await rewardsPage(() => ({ json: member() }));
    await settle("the status", () => pageText().includes("1,250 points"));
    expect(pageText()).not.toContain("Store credit");
  });

  describe("a spend-any-amount reward", () => {
    const credit = {
      key: "credit",
      title: "Store credit",
      pointsCost: 100,
      affordable: true,
      anyAmount: { step: 100, stepAmount: "1.00", minPoints: 500, maxPoints: 5000 },
    };
    const withCredit = (points = 1250) => member({ points, rewards: [credit] });
    const field = () => document.querySelector("s-number-field")!;
    /** The shopper types `value` in the amount field. */
    const type = (value: string) => {
      Object.assign(field(), { value });
      field().dispatchEvent(new Event("input"));
    };

    it("offers its minimum to the balance in steps, with the worth, and redeems the amount chosen as store credit", async () => {
      const { requests } = await rewardsPage((request) =>
        request.method === "GET"
          ? { json: withCredit() }
          : {
              json: {
                status: "credited",
                code: null,
                endsAt: "2027-03-01T00:00:00.000Z",
                pointsCost: 800,
                member: { ...afterRedeem(), points: 450, rewards: [{ ...credit, affordable: false }] },
              },
            },
      );
      await settle("the picker", () => document.querySelector("s-number-field") !== null);
      expect(field().getAttribute("label")).toBe("Points to spend");
      expect(field().getAttribute("controls")).toBe("stepper");
      // The most: the balance rounded down to a step (1,200), under the reward's 5,000.
      expect([
        field().getAttribute("min"),
        field().getAttribute("max"),
        field().getAttribute("step"),
      ]).toEqual(["500", "1200", "100"]);
      expect(pageText()).toContain("$1.00 for every 100 points");
      expect(pageText()).toContain("Spend 500 to 5,000 points");
      expect(pageText()).toContain("Worth $5.00");

      type("800");
      await settle("the worth", () => pageText().includes("Worth $8.00"));
      expect(button("Redeem").getAttribute("accessibilitylabel")).toBe("Redeem 800 points for Store credit");
      button("Redeem").click();
      await settle("the credit", () => pageText().includes("Added to your store credit"));
      expect(requests.find((r) => r.method === "POST")?.body).toEqual({
        rewardKey: "credit",
        idempotencyKey: expect.stringMatching(/^[\w-]{8,100}$/),
        points: 800,
      });
      // 450 left, under the minimum: no picker, the points it takes.
      expect(document.querySelector("s-number-field")).toBeNull();
      expect(pageText()).toContain("50 more points needed");
    });

    it("says what it takes for an amount off the step or past the balance, and does not send it", async () => {
      const { requests } = await rewardsPage(() => ({ json: withCredit() }));
      await settle("the picker", () => document.querySelector("s-number-field") !== null);
      for (const value of ["550", "1300", "400", ""]) {
        type(value);
        await settle(`the error for ${value}`, () => field().getAttribute("error") !== null);
        expect(field().getAttribute("error")).toBe("Choose a multiple of 100 points from 500 to 1,200.");
        expect(button("Redeem").hasAttribute("disabled")).toBe(true);
        expect(pageText()).not.toContain("Worth");
      }
      type("1200");
      await settle("valid again", () => field().getAttribute("error") === null);
      expect(button("Redeem").hasAttribute("disabled")).toBe(false);
      expect(requests.filter((r) => r.method === "POST")).toEqual([]);
    });

    it("words the app's refusal with the app's limits, in the shopper's language", async () => {
      await rewardsPage(
        (request) =>
          request.method === "GET"
            ? { json: withCredit() }
            : {
                status: 422,
                json: { error: "amount_not_allowed", step: 100, minPoints: 500, maxPoints: 600 },
              },
        { locale: "fr" },
      );
      await settle("the picker", () => document.querySelector("s-number-field") !== null);
      type("1000");
      await settle("the worth", () => /Valeur/.test(pageText()));
      button("Échanger").click();
      await settle("the refusal", () =>
        /Choisissez un multiple de 100 points entre 500 et 600\./.test(pageText()),
      );
    });
  });

  describe("ways to earn for an action", () => {
    const earnActions: StorefrontStatus["program"]["earnActions"] = [
      { key: "newsletter", points: 100 },
      { key: "review", points: 1 },
      { key: "follow-instagram", points: 25, network: "Instagram", url: "https://instagram.com/maple" },
    ];
    const withActions = (changes: Partial<MemberStatus> = {}) =>
      member({ program: { ...program, earnActions }, ...changes });

    it("lists them, and a follow's button opens the link and claims its points once", async () => {
      let followed = false;
      const { requests } = await rewardsPage((request) => {
        if (request.method === "GET") return { json: withActions() };
        const answer = followed
          ? { status: "already_awarded", points: 25, balance: 1275 }
          : { status: "awarded", points: 25, balance: 1275 };
        followed = true;
        return { json: answer };
      });
      await settle("the status", () => pageText().includes("1,250 points"));
      expect(pageText()).toContain("100 points for subscribing to our emails");
      expect(pageText()).toContain("1 point for a product review");
      expect(pageText()).toContain("Follow us on Instagram: 25 points");
      const follow = button("Follow");
      // A link to the shop's page on the network, in a new tab.
      expect(follow.getAttribute("href")).toBe("https://instagram.com/maple");
      expect(follow.getAttribute("target")).toBe("_blank");
      expect(follow.getAttribute("accessibilitylabel")).toBe("Follow us on Instagram");
      follow.click();
      await settle("the thanks", () => pageText().includes("Thanks for following! 25 points added."));
      // The balance is the app's answer.
      expect(pageText()).toContain("1,275 points");
      const claim = requests.find((request) => request.method === "POST")!;
      expect(claim.path).toBe("/surfaces/customer-account/actions/follow");
      expect(claim.body).toEqual({ rule: "follow-instagram" });
      expect(claim.claims).toMatchObject({ dest: SHOP, sub: CUSTOMER });
      button("Follow").click();
      await settle("earned before", () =>
        pageText().includes("You already earned points for following this account."),
      );
      expect(pageText()).toContain("1,275 points");
    });

    it("words a refusal in the shopper's language", async () => {
      await rewardsPage(
        (request) =>
          request.method === "GET"
            ? { json: withActions() }
            : { status: 409, json: { error: "action_unavailable" } },
        { locale: "fr" },
      );
      await settle("the status", () => pageText().includes("Suivez-nous sur Instagram : 25 points"));
      expect(pageText()).toContain("100 points pour l’inscription à nos e-mails");
      button("Suivre").click();
      await settle("the refusal", () =>
        pageText().includes("Cette façon de gagner des points n’est pas disponible pour le moment."),
      );
      expect(pageText()).toContain("1 250");
    });

    it("without a customer, a follow only opens the link: nothing is claimed", async () => {
      const { requests } = await rewardsPage(
        () => ({
          json: {
            loggedIn: false,
            program: { ...program, earnActions },
            customer: null,
            reason: "no_customer",
          },
        }),
        { customer: null },
      );
      await settle("the ways to earn", () => pageText().includes("Follow us on Instagram: 25 points"));
      expect(button("Follow").getAttribute("href")).toBe("https://instagram.com/maple");
      button("Follow").click();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(requests.filter((request) => request.method === "POST")).toEqual([]);
      expect(pageText()).not.toContain("Thanks for following");
    });
  });

  it("without protected customer data (no sub) says so and shows nothing personal", async () => {
    const { requests } = await rewardsPage(
      () => ({ json: { loggedIn: false, program, customer: null, reason: "no_customer" } }),
      { customer: null },
    );
    await settle("the notice", () => pageText().includes("Your points can’t be shown here yet"));
    expect(requests[0]!.claims.sub).toBeUndefined();
    expect(pageText()).not.toMatch(/\d+ points?\b(?! for)/);
    expect(document.querySelector("s-button")).toBeNull();
    // How the program works is not personal.
    expect(pageText()).toContain("Ways to earn");
  });

  it("shows a bonus event while it runs, and not one to come or over", async () => {
    const DAY = 86_400_000;
    const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();
    const event = { kind: "MULTIPLIER" as const, multiplier: "2", points: null, collections: [] };
    const bonusEvents = [
      { ...event, name: "Double weekend", startsAt: at(-1), endsAt: at(2) },
      { ...event, name: "Next month", startsAt: at(30), endsAt: at(32) },
      { ...event, name: "Warm week", startsAt: at(-1), endsAt: at(2), collections: ["Warm layers", "Hats"] },
      {
        ...event,
        name: "Gone",
        kind: "FIXED" as const,
        multiplier: null,
        points: 50,
        startsAt: at(-3),
        endsAt: at(-2),
      },
    ];
    await rewardsPage(() => ({ json: member({ program: { ...program, bonusEvents } }) }));
    await settle("the status", () => pageText().includes("1,250 points"));
    const lastDay = new Date(Date.parse(at(2)) - 1).toLocaleDateString("en", {
      weekday: "long",
      day: "numeric",
      month: "long",
    });
    expect(pageText()).toContain(`Double weekend: 2× points until ${lastDay}`);
    // One limited to collections names them.
    expect(pageText()).toContain(`Warm week: 2× points until ${lastDay} (products in Warm layers, Hats)`);
    expect(pageText()).not.toContain("Next month");
    expect(pageText()).not.toContain("Gone");
  });

  it("shows a paused program and offers no redemption", async () => {
    await rewardsPage(() => ({ json: member({ program: { ...program, active: false } }) }));
    await settle("the status", () => pageText().includes("1,250 points"));
    expect(pageText()).toContain("The rewards program is paused. Your points are safe.");
    for (const element of document.querySelectorAll("s-button")) {
      if (element.textContent?.trim() === "Redeem") expect(element.hasAttribute("disabled")).toBe(true);
    }
  });

  it("says when the app cannot be reached, and loads on retry", async () => {
    let up = false;
    await rewardsPage(() => (up ? { json: member() } : "network"));
    await settle("the error", () => pageText().includes("We couldn’t reach the rewards program"));
    up = true;
    button("Try again").click();
    await settle("the status", () => pageText().includes("1,250 points"));
  });

  it("before the shop's currency is known: amounts as numbers, no currency guessed", async () => {
    const unknown = { ...program, currencyCode: null };
    await rewardsPage(() => ({ json: { ...member(), program: unknown } }));
    await settle("the status", () => pageText().includes("1,250 points"));
    const text = pageText();
    expect(text).toContain("120.00 more to reach Silver");
    expect(text).not.toContain("$120");
    expect(text).toContain("1 points for every unit of currency you spend");
  });

  it("shows the member's referral link with a copy button while referrals are on, in their language", async () => {
    const url = `https://${SHOP}/apps/regulars/r/ANNA-7K2Q`;
    const referring = () => ({
      ...member({
        program: {
          ...program,
          referrals: { refereePercent: 15, referrerPoints: 1000, referrerReward: null },
        },
      }),
      referral: { code: "ANNA-7K2Q", path: "/apps/regulars/r/ANNA-7K2Q", url },
    });
    await rewardsPage(() => ({ json: referring() }));
    await settle("the status", () => pageText().includes("1,250 points"));
    expect(pageText()).toContain("Refer a friend");
    expect(pageText()).toContain(
      "Friends get 15% off their first order; you get 1,000 points when they buy.",
    );
    expect(pageText()).toContain(url);
    expect(document.querySelector("s-clipboard-item#regulars-referral-link")?.getAttribute("text")).toBe(url);
    const copy = document.querySelector('s-button[commandfor="regulars-referral-link"]');
    expect(copy?.getAttribute("command")).toBe("--copy");
    expect(copy?.getAttribute("accessibilitylabel") ?? copy?.getAttribute("accessibilityLabel")).toBe(
      "Copy your referral link",
    );
    unmount();

    await rewardsPage(() => ({ json: referring() }), { locale: "fr" });
    await settle("the status", () => pageText().includes("Vos points"));
    expect(pageText()).toMatch(/Vos amis ont 15\s%/);
    expect(pageText()).toMatch(/vous recevez 1\s000 points quand ils achètent/);
    unmount();

    // A catalog reward for referrers: the offer names it instead of points.
    await rewardsPage(() => ({
      json: {
        ...referring(),
        program: {
          ...program,
          referrals: { refereePercent: 15, referrerPoints: 1000, referrerReward: "5.00 off" },
        },
      },
    }));
    await settle("the status", () => pageText().includes("1,250 points"));
    expect(pageText()).toContain(
      "Friends get 15% off their first order; you get a “5.00 off” reward when they buy.",
    );
    expect(pageText()).not.toContain("1,000 points");
    unmount();

    // Referrals off (or an older status without the link): no section at all.
    await rewardsPage(() => ({ json: member() }));
    await settle("the status", () => pageText().includes("1,250 points"));
    expect(pageText()).not.toContain("Refer a friend");
    expect(document.querySelector("#regulars-referral-link")).toBeNull();
  });

  it("speaks the shopper's language, numbers and dates included", async () => {
    await rewardsPage(() => ({ json: member() }), { locale: "fr" });
    await settle("the status", () => pageText().includes("Vos points"));
    const text = pageText();
    expect(text).toMatch(/1\s250 points/);
    expect(text).toMatch(/Encore 120,00\s\$US pour atteindre Silver/);
    expect(text).toMatch(/1 points pour chaque 1\s\$US dépensé/);
    expect(text).toContain("Points gagnés sur la commande #1001");
    expect(text).toContain("expire le 15 janv. 2027");
  });
});

describe("the profile block", () => {
  const profile = (app: Parameters<typeof mountExtension>[0]["app"], customer?: string | null) =>
    mountExtension({
      handle: "customer-account-blocks",
      load: () => import("../../extensions/customer-account-blocks/src/ProfileBlock"),
      target: "customer-account.profile.block.render",
      app,
      ...(customer !== undefined ? { customer } : {}),
    });

  it("shows the balance and tier and links to the Rewards page", async () => {
    await profile(() => ({ json: member() }));
    await settle("the balance", () => pageText().includes("1,250 points"));
    expect(pageText()).toContain("Bronze");
    const link = document.querySelector("s-link");
    expect(link?.getAttribute("href")).toBe("extension://customer-account-page");
    expect(link?.textContent).toBe("See your rewards");
  });

  it("without protected customer data shows no balance", async () => {
    await profile(
      () => ({ json: { loggedIn: false, program, customer: null, reason: "no_customer" } }),
      null,
    );
    await settle("the notice", () => pageText().includes("hasn’t been allowed"));
    expect(pageText()).not.toContain("points");
  });
});

describe("the order status block", () => {
  const orderBlock = (answer: Parameters<typeof mountExtension>[0]["app"], locale: "en" | "de" = "en") =>
    mountExtension({
      handle: "customer-account-blocks",
      load: () => import("../../extensions/customer-account-blocks/src/OrderStatusBlock"),
      target: "customer-account.order-status.block.render",
      order: { id: "gid://shopify/Order/5001", name: "#1001" },
      locale,
      app: answer,
    });
  const order = (changes: Record<string, unknown>) => ({
    json: {
      order: {
        id: "gid://shopify/Order/5001",
        name: "#1001",
        points: 0,
        pendingPoints: 0,
        pendingUntil: null,
        reversedPoints: 0,
        state: "none",
        ...changes,
      },
    },
  });

  it("asks for this order's points and shows them pending until the return window ends", async () => {
    const { requests } = await orderBlock(() =>
      order({ pendingPoints: 120, pendingUntil: "2026-12-31T12:00:00.000Z", state: "pending" }),
    );
    await settle("the points", () => pageText().includes("120 points"));
    expect(pageText()).toContain("You’ll earn 120 points on Dec 31, 2026, when the return window ends.");
    expect(requests[0]!.path).toBe("/surfaces/customer-account/orders/5001");
  });

  it("shows what the order earned and what a refund took back", async () => {
    await orderBlock(() => order({ points: 80, reversedPoints: 40, state: "earned" }), "de");
    await settle("the points", () => pageText().includes("80 Punkte"));
    expect(pageText()).toContain("Diese Bestellung hat Ihnen 80 Punkte eingebracht.");
    expect(pageText()).toContain("Eine Erstattung hat 40 Punkte abgezogen.");
  });

  it("says an order not yet received will show its points later", async () => {
    await orderBlock(() => order({ name: null, state: "not_yet_received" }));
    await settle("the notice", () => pageText().includes("once its payment is confirmed"));
  });

  it("says when the app cannot be reached", async () => {
    await orderBlock(() => "network");
    await settle("the error", () => pageText().includes("We couldn’t reach the rewards program"));
  });
});
