// @vitest-environment happy-dom
/**
 * The checkout extension (extensions/checkout-rewards) rendered with Preact against devshop's
 * `shopify` global, the app at the network edge (tests/support/extension-harness.ts): the
 * thank-you block's estimate for a member, a guest and a paused program; in checkout, a reward
 * redeemed and applied with applyDiscountCodeChange, a code the checkout refuses that stays the
 * buyer's, a guest who sees nothing personal, and the network failing.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  button,
  mountExtension,
  pageText,
  settle,
  unmount,
  type AppAnswer,
  type AppRequest,
} from "../support/extension-harness";
import { memberState, memberStatus, program } from "../support/extension-status";

const member = memberStatus;

const thankYou = (app: (request: AppRequest) => AppAnswer, customer?: string | null) =>
  mountExtension({
    handle: "checkout-rewards",
    load: () => import("../../extensions/checkout-rewards/src/ThankYouBlock"),
    target: "purchase.thank-you.block.render",
    checkout: { subtotal: { amount: 120, currencyCode: "CAD" } },
    orderConfirmation: { order: { id: "gid://shopify/Order/8001" }, number: "X1Y2", isFirstOrder: false },
    app,
    ...(customer !== undefined ? { customer } : {}),
  });

const checkout = (
  app: (request: AppRequest) => AppAnswer,
  applyDiscountCode?: (code: string) => { type: "success" } | { type: "error"; message: string },
) =>
  mountExtension({
    handle: "checkout-rewards",
    load: () => import("../../extensions/checkout-rewards/src/CheckoutRewards"),
    target: "purchase.checkout.reductions.render-after",
    checkout: {
      subtotal: { amount: 120, currencyCode: "CAD" },
      ...(applyDiscountCode ? { applyDiscountCode } : {}),
    },
    app,
  });

afterEach(unmount);

describe("the thank-you block", () => {
  it("tells a member what the order will earn and the balance it brings", async () => {
    const { requests } = await thankYou(() => ({
      json: { points: 600, balanceAfter: 1200, active: true, member: memberState() },
    }));
    await settle("the estimate", () => pageText().includes("You’ll earn 600 points for this order"));
    expect(pageText()).toContain("That brings your balance to 1,200 points.");
    expect(requests[0]).toMatchObject({
      method: "POST",
      path: "/surfaces/checkout/estimate",
      body: { subtotal: { amount: "120.000", currencyCode: "CAD" }, orderId: "gid://shopify/Order/8001" },
    });
  });

  it("names the order, and shows what an order already credited without counting it twice", async () => {
    // The app recorded the order first (its webhook came before the page): its answer is actual.
    const { requests } = await thankYou(() => ({
      json: {
        points: 600,
        balanceAfter: 1200,
        active: true,
        member: memberState({ points: 1200 }),
        order: {
          id: "gid://shopify/Order/8001",
          name: "#1001",
          points: 600,
          pendingPoints: 0,
          pendingUntil: null,
          reversedPoints: 0,
          state: "earned",
        },
      },
    }));
    await settle("the answer", () => pageText().includes("You earned 600 points with this order"));
    expect(requests[0]!.body).toMatchObject({ orderId: "gid://shopify/Order/8001" });
    expect(pageText()).toContain("That brings your balance to 1,200 points.");
  });

  it("invites a guest to create an account to keep the points", async () => {
    const { requests } = await thankYou(
      () => ({ json: { points: 600, balanceAfter: null, active: true, member: null } }),
      null,
    );
    await settle("the estimate", () => pageText().includes("You’ll earn 600 points for this order"));
    expect(requests[0]!.claims.sub).toBeUndefined();
    expect(pageText()).toContain("Create an account with the email you used to keep them");
    expect(document.querySelector("s-link")?.getAttribute("href")).toBe(
      "https://maple-and-pine.example/account",
    );
  });

  it("says nothing while the program is paused or the order is in another currency", async () => {
    await thankYou(() => ({ json: { points: 0, balanceAfter: 600, active: false, member: memberState() } }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pageText()).toBe("");
    unmount();
    await thankYou(() => ({
      json: { points: null, balanceAfter: null, active: true, reason: "other_currency", member: null },
    }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pageText()).toBe("");
  });
});

describe("rewards in checkout", () => {
  it("redeems a reward and applies its code to the checkout", async () => {
    const applied: string[] = [];
    const { requests, shopify } = await checkout(
      (request) =>
        request.method === "GET"
          ? { json: member() }
          : {
              json: {
                status: "issued",
                code: "RGL-CHK5",
                endsAt: "2027-01-06T00:00:00.000Z",
                pointsCost: 500,
                member: memberState({
                  points: 100,
                  codes: [{ code: "RGL-CHK5", title: "5.00 off", endsAt: "2027-01-06T00:00:00.000Z" }],
                }),
              },
            },
      (code) => {
        applied.push(code);
        return { type: "success" };
      },
    );
    await settle("the balance", () => pageText().includes("You have 600 points."));
    // Only the rewards the buyer can afford are offered.
    expect(pageText()).toContain("5.00 off for 500 points");
    expect(pageText()).not.toContain("25.00 off");
    button("Apply").click();
    await settle("the code applied", () => pageText().includes("RGL-CHK5 is applied."));
    expect(applied).toEqual(["RGL-CHK5"]);
    expect(
      (shopify as unknown as { discountCodes: { value: { code: string }[] } }).discountCodes.value,
    ).toEqual([{ code: "RGL-CHK5" }]);
    expect(pageText()).toContain("You have 100 points.");
    // The code now in the checkout is not offered to apply again.
    expect(pageText()).toContain("RGL-CHK5 (5.00 off, until Jan 6, 2027)Applied");
    const labels = [...document.querySelectorAll("s-button")].map(
      (element) =>
        element.getAttribute("accessibilityLabel") ??
        (element as unknown as { accessibilityLabel?: string }).accessibilityLabel,
    );
    expect(labels).not.toContain("Apply code RGL-CHK5");
    expect(requests.find((r) => r.method === "POST")).toMatchObject({
      path: "/surfaces/checkout/redeem",
      body: { rewardKey: "5-off" },
    });
  });

  it("keeps a code the checkout refuses: it stays the buyer's, listed to apply again", async () => {
    await checkout(
      (request) =>
        request.method === "GET"
          ? { json: member() }
          : {
              json: {
                status: "issued",
                code: "RGL-CHK5",
                endsAt: "2027-01-06T00:00:00.000Z",
                member: memberState({
                  points: 100,
                  codes: [{ code: "RGL-CHK5", title: "5.00 off", endsAt: "2027-01-06T00:00:00.000Z" }],
                }),
              },
            },
      () => ({ type: "error", message: "This code can’t be combined with other discounts." }),
    );
    await settle("the balance", () => pageText().includes("You have 600 points."));
    button("Apply").click();
    await settle("the refusal", () => pageText().includes("RGL-CHK5 could not be applied to this checkout."));
    expect(pageText()).toContain("This code can’t be combined with other discounts.");
    expect(pageText()).toContain("The code is still yours, in your account until Jan 6, 2027.");
    expect(pageText()).toContain("RGL-CHK5 (5.00 off, until Jan 6, 2027)");
  });

  it("shows a guest nothing", async () => {
    await checkout(() => ({ json: { loggedIn: false, program, customer: null, reason: "no_customer" } }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pageText()).toBe("");
  });

  it("says when the app cannot be reached", async () => {
    await checkout(() => "network");
    await settle("the error", () => pageText().includes("We couldn’t reach the rewards program"));
  });
});
