// @vitest-environment happy-dom
/**
 * The POS extension (extensions/pos-rewards) rendered with Preact against devshop's `shopify`
 * global, the app at the network edge (tests/support/extension-harness.ts): the tile shows the
 * cart customer's balance and opens the modal; in the modal staff redeem a reward for the customer
 * and its code goes into the cart; the customer details block; a staff member without the app's
 * permission (no session token); a customer who is not a member.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  mountExtension,
  pageText,
  settle,
  unmount,
  type AppAnswer,
  type AppRequest,
} from "../support/extension-harness";
import { memberState, memberStatus, program, type MemberStatus } from "../support/extension-status";

const member = (changes: Partial<MemberStatus> = {}) => memberStatus({ points: 900, ...changes });

const pos = (
  file: "Tile" | "Modal" | "CustomerBlock",
  target: string,
  app: (request: AppRequest) => AppAnswer,
  options: { cartCustomerId?: number | null; customerId?: number; staffId?: string | null } = {},
) =>
  mountExtension({
    handle: "pos-rewards",
    load: () => import(`../../extensions/pos-rewards/src/${file}.tsx`),
    target,
    pos: { cartCustomerId: options.cartCustomerId === undefined ? 4242 : options.cartCustomerId, ...options },
    app,
  });

/** The s-button whose text starts with `label`. */
const buttonStarting = (label: string) => {
  const found = [...document.querySelectorAll("s-button")].find((b) =>
    b.textContent?.trim().startsWith(label),
  );
  if (!found) throw new Error(`No button "${label}"; the page says: ${pageText()}`);
  return found as HTMLElement;
};

afterEach(unmount);

describe("the POS tile", () => {
  it("shows the cart customer's balance and opens the modal", async () => {
    const { requests, host } = await pos("Tile", "pos.home.tile.render", () => ({ json: member() }));
    const tile = () => document.querySelector("s-tile")!;
    await settle("the balance", () => tile().getAttribute("subheading") === "900 points");
    expect(tile().getAttribute("heading")).toBe("Rewards");
    // The token names the staff member; the customer is the cart's, in the path.
    expect(requests[0]).toMatchObject({ path: "/surfaces/pos/customers/4242/status", claims: { sub: "1" } });
    tile().click();
    expect(host.modals).toBe(1);
  });

  it("asks for a customer when the cart has none", async () => {
    const { requests } = await pos("Tile", "pos.home.tile.render", () => ({ json: member() }), {
      cartCustomerId: null,
    });
    const tile = document.querySelector("s-tile")!;
    expect(tile.getAttribute("subheading")).toBe("Add a customer to the cart");
    expect(tile.hasAttribute("disabled")).toBe(true);
    expect(requests).toEqual([]);
  });
});

describe("the POS modal", () => {
  it("redeems a reward for the customer and adds its code to the cart", async () => {
    const { requests, host } = await pos("Modal", "pos.home.modal.render", (request) =>
      request.method === "GET"
        ? { json: member() }
        : {
            json: {
              status: "issued",
              code: "RGL-POS5",
              endsAt: "2027-01-06T00:00:00.000Z",
              member: memberState({ points: 400 }),
            },
          },
    );
    await settle("the balance", () => pageText().includes("900 points"));
    expect(buttonStarting("Redeem 25.00 off").hasAttribute("disabled")).toBe(true);
    buttonStarting("Redeem 5.00 off").click();
    await settle("the code in the cart", () => pageText().includes("Code RGL-POS5 added to the cart"));
    expect(host.cartCodes).toEqual(["RGL-POS5"]);
    expect(host.toasts).toEqual(["Code RGL-POS5 added to the cart"]);
    expect(pageText()).toContain("400 points");
    expect(requests.find((r) => r.method === "POST")).toMatchObject({
      path: "/surfaces/pos/customers/4242/redeem",
      body: { rewardKey: "5-off" },
    });
  });

  it("redeems the points staff type for a spend-any-amount reward, and says what the app allows", async () => {
    const credit = {
      key: "credit",
      title: "Store credit",
      pointsCost: 100,
      affordable: true,
      anyAmount: { step: 100, stepAmount: "1.00", minPoints: 500, maxPoints: 5000 },
    };
    let refuse = true;
    const { requests } = await pos("Modal", "pos.home.modal.render", (request) =>
      request.method === "GET"
        ? { json: member({ rewards: [credit] }) }
        : refuse
          ? { status: 422, json: { error: "amount_not_allowed", step: 100, minPoints: 500, maxPoints: 600 } }
          : {
              json: {
                status: "credited",
                code: null,
                member: memberState({ points: 200, rewards: [credit] }),
              },
            },
    );
    await settle("the field", () => document.querySelector("s-number-field") !== null);
    const field = document.querySelector("s-number-field")!;
    expect(field.getAttribute("label")).toBe("Points to spend on Store credit");
    expect(field.getAttribute("max")).toBe("900");
    const type = (value: string) => {
      Object.assign(field, { value });
      field.dispatchEvent(new Event("input"));
    };
    type("750");
    await settle("the error", () => field.getAttribute("error") !== null);
    expect(field.getAttribute("error")).toBe("Choose a multiple of 100 points from 500 to 900.");
    expect(buttonStarting("Redeem Store credit").hasAttribute("disabled")).toBe(true);
    type("700");
    await settle("the worth", () => pageText().includes("Worth CA$7.00"));
    buttonStarting("Redeem Store credit (700 points)").click();
    await settle("the refusal", () =>
      pageText().includes("Choose a multiple of 100 points from 500 to 600."),
    );
    refuse = false;
    buttonStarting("Redeem Store credit (700 points)").click();
    await settle("the credit", () => pageText().includes("Added to the customer’s store credit"));
    expect(requests.filter((r) => r.method === "POST").map((r) => r.body?.points)).toEqual([700, 700]);
  });

  it("says so when the staff member has no permission for the app (no session token)", async () => {
    const { requests } = await pos("Modal", "pos.home.modal.render", () => ({ json: member() }), {
      staffId: null,
    });
    await settle("the refusal", () => pageText().includes("Sign in to use your points."));
    expect(requests).toEqual([]);
  });

  it("tells staff a customer is not a member yet", async () => {
    await pos("Modal", "pos.home.modal.render", () => ({ json: { loggedIn: false, program } }));
    await settle("the notice", () => pageText().includes("Not a member yet"));
  });
});

describe("the customer details block", () => {
  it("shows that customer's balance and rewards", async () => {
    const { requests } = await pos(
      "CustomerBlock",
      "pos.customer-details.block.render",
      () => ({ json: member() }),
      {
        cartCustomerId: null,
        customerId: 777,
      },
    );
    await settle("the balance", () => pageText().includes("900 points"));
    expect(requests[0]!.path).toBe("/surfaces/pos/customers/777/status");
  });
});
