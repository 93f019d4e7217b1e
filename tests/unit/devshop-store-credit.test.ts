/**
 * devshop's store credit (devshop/store-credit.ts): the Admin API's
 * storeCreditAccountCredit and Customer.storeCreditAccounts, validated against
 * the vendored 2026-10 schema, with Shopify's refusals and scope checks; and
 * checkout paying with a signed-in customer's store credit.
 */
import { describe, expect, it } from "vitest";
import { eligibleAmount } from "~/loyalty/eligible";
import { parseOrderPayload } from "~/shopify/payloads/order-payload";
import { AdminApi } from "../../devshop/admin-api";
import { Commerce, DevshopError } from "../../devshop/commerce";
import { originalTotals } from "../../devshop/order-math";
import { orderPayload } from "../../devshop/payloads";
import { DevshopState, type Order, type ShopState } from "../../devshop/state";

const now = new Date("2026-06-01T12:00:00Z");
const SCOPES =
  "read_customers,write_discounts,read_store_credit_accounts,write_store_credit_account_transactions";

function setUp(scopes = SCOPES) {
  const state = DevshopState.open(null);
  const shop = state.ensureShop("credit-shop.myshopify.com", "Credit Shop");
  shop.installation.installed = true;
  shop.installation.scopes = scopes;
  const productId = state.id();
  shop.products[productId] = { id: productId, title: "Hoodie", price: 6000, giftCard: false };
  const commerce = new Commerce(
    state,
    () => {},
    () => now,
  );
  const customer = commerce.createCustomer(shop, { email: "c@example.com", firstName: "C", lastName: "D" });
  const api = new AdminApi(
    state,
    () => now,
    () => "http://127.0.0.1:1",
  );
  const run = async (query: string, variables: Record<string, unknown> = {}) =>
    (await api.run(shop, { query, variables })).body as {
      data?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      errors?: { message: string; extensions?: { code?: string } }[];
    };
  return {
    state,
    shop,
    commerce,
    customer,
    productId,
    run,
    customerGid: `gid://shopify/Customer/${customer.id}`,
  };
}

const CREDIT = `mutation Credit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
  storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
    storeCreditAccountTransaction { id amount { amount currencyCode } expiresAt }
    userErrors { field code message }
  }
}`;
const ACCOUNTS = `query Accounts($id: ID!) {
  customer(id: $id) {
    storeCreditAccounts(first: 10) {
      nodes { id balance { amount currencyCode }
        transactions(first: 10, query: "type:credit", reverse: true) {
          nodes { ... on StoreCreditAccountCreditTransaction { id amount { amount } expiresAt } } } }
    }
  }
}`;
const input = (amount: string, currencyCode = "EUR", expiresAt: string | null = "2026-09-01T00:00:00Z") => ({
  creditAmount: { amount, currencyCode },
  expiresAt,
  notify: false,
});

describe("devshop store credit: the Admin API", () => {
  it("credits a customer's account in a currency, creating it, and reads it back", async () => {
    const { run, customerGid } = setUp();
    const credited = await run(CREDIT, { id: customerGid, creditInput: input("10.00") });
    expect(credited.errors).toBeUndefined();
    expect(credited.data!.storeCreditAccountCredit).toMatchObject({
      storeCreditAccountTransaction: { amount: { amount: "10.00", currencyCode: "EUR" } },
      userErrors: [],
    });
    await run(CREDIT, { id: customerGid, creditInput: input("2.50") });
    const accounts = await run(ACCOUNTS, { id: customerGid });
    expect(accounts.data!.customer.storeCreditAccounts.nodes).toHaveLength(1);
    const account = accounts.data!.customer.storeCreditAccounts.nodes[0];
    expect(account.balance).toEqual({ amount: "12.50", currencyCode: "EUR" });
    expect(account.transactions.nodes.map((t: { amount: { amount: string } }) => t.amount.amount)).toEqual([
      "2.50",
      "10.00",
    ]);
  });

  it("refuses as Shopify does, with its user error codes, and credits nothing", async () => {
    const { run, customerGid, shop } = setUp();
    const code = async (id: string, creditInput: ReturnType<typeof input>) =>
      (await run(CREDIT, { id, creditInput })).data!.storeCreditAccountCredit.userErrors[0]?.code;
    expect(await code(customerGid, input("0"))).toBe("NEGATIVE_OR_ZERO_AMOUNT");
    expect(await code(customerGid, input("5.00", "JPY"))).toBe("UNSUPPORTED_CURRENCY");
    expect(await code(customerGid, input("5.00", "EUR", "2026-05-01T00:00:00Z"))).toBe("EXPIRES_AT_IN_PAST");
    expect(await code("gid://shopify/Customer/999999", input("5.00"))).toBe("OWNER_NOT_FOUND");
    expect(await code("gid://shopify/StoreCreditAccount/999999", input("5.00"))).toBe("ACCOUNT_NOT_FOUND");
    shop.storeCredit = { accounts: {}, currencies: ["EUR", "USD"], limitCents: 1000 };
    expect(await code(customerGid, input("10.01"))).toBe("CREDIT_LIMIT_EXCEEDED");
    await run(CREDIT, { id: customerGid, creditInput: input("5.00", "USD") });
    const usd = shop.storeCredit.accounts[customerGid.split("/").pop()!]![0]!.id;
    expect(await code(usd, input("1.00", "EUR"))).toBe("MISMATCHING_CURRENCY");
    expect(shop.storeCredit.accounts[customerGid.split("/").pop()!]).toHaveLength(1);
  });

  it("answers ACCESS_DENIED without the store credit scopes", async () => {
    const { run, customerGid } = setUp("read_customers,write_discounts");
    const credited = await run(CREDIT, { id: customerGid, creditInput: input("10.00") });
    expect(credited.errors?.[0]).toMatchObject({ extensions: { code: "ACCESS_DENIED" } });
    const read = await run(ACCOUNTS, { id: customerGid });
    expect(read.errors?.[0]).toMatchObject({ extensions: { code: "ACCESS_DENIED" } });
  });
});

describe("devshop store credit: checkout", () => {
  const parsed = (shop: ShopState, order: Order) =>
    parseOrderPayload(JSON.parse(JSON.stringify(orderPayload(shop, order))));
  const none = { includeShipping: false, includeTax: false, includeTips: false, includeGiftCards: false };

  it("pays with the customer's store credit, soonest expiring first, and charges the rest", async () => {
    const { run, shop, commerce, customer, customerGid, productId } = setUp();
    await run(CREDIT, { id: customerGid, creditInput: input("10.00", "EUR", "2026-12-01T00:00:00Z") });
    await run(CREDIT, { id: customerGid, creditInput: input("5.00", "EUR", "2026-07-01T00:00:00Z") });
    const order = commerce.placeOrder(shop, {
      customerId: customer.id,
      lines: [{ productId, quantity: 1 }],
      useStoreCredit: true,
    });
    const total = originalTotals(order).total;
    expect(order.storeCreditPaid).toBe(1500);
    expect(total - order.storeCreditPaid!).toBe(total - 1500); // charged less
    const account = shop.storeCredit!.accounts[customer.id]![0]!;
    expect(account.transactions.map((t) => [t.kind, t.cents, t.remainingCents])).toEqual([
      ["credit", 1000, 0],
      ["credit", 500, 0],
      ["debit", -1500, 0],
    ]);
    const body = orderPayload(shop, order);
    expect(body.payment_gateway_names).toEqual(["shopify_store_credit", "bogus"]);
    // A payment, not a discount: the order's totals and what it earns on are those of an order
    // paid without store credit (docs/decisions/0020-store-credit-rewards.md).
    const plain = commerce.placeOrder(shop, { customerId: customer.id, lines: [{ productId, quantity: 1 }] });
    expect(body.total_price).toBe(orderPayload(shop, plain).total_price);
    expect(eligibleAmount(parsed(shop, order).gross, none, true)).toBe(
      eligibleAmount(parsed(shop, plain).gross, none, true),
    );
  });

  it("spends at most the order's total; a guest cannot use store credit", async () => {
    const { run, shop, commerce, customer, customerGid, productId } = setUp();
    await run(CREDIT, { id: customerGid, creditInput: input("500.00") });
    const order = commerce.placeOrder(shop, {
      customerId: customer.id,
      lines: [{ productId, quantity: 1 }],
      useStoreCredit: true,
    });
    expect(order.storeCreditPaid).toBe(originalTotals(order).total);
    expect(orderPayload(shop, order).payment_gateway_names).toEqual(["shopify_store_credit"]);
    expect(() =>
      commerce.placeOrder(shop, {
        customerId: null,
        lines: [{ productId, quantity: 1 }],
        useStoreCredit: true,
      }),
    ).toThrow(DevshopError);
  });
});
