/**
 * Store credit as Shopify keeps it, for devshop and the tests' Admin API
 * stand-in alike:
 *   - a customer has store credit accounts, one per currency; crediting with
 *     the Customer id creates the account for the currency when there is none
 *     (https://shopify.dev/docs/api/admin-graphql/latest/mutations/storeCreditAccountCredit);
 *   - storeCreditAccountCredit refuses with StoreCreditAccountCreditUserErrorCode
 *     (ACCOUNT_NOT_FOUND, CREDIT_LIMIT_EXCEEDED, EXPIRES_AT_IN_PAST,
 *     MISMATCHING_CURRENCY, NEGATIVE_OR_ZERO_AMOUNT, OWNER_NOT_FOUND,
 *     UNSUPPORTED_CURRENCY; the enum in the vendored 2026-10 schema);
 *   - it needs `write_store_credit_account_transactions`, reading accounts
 *     needs `read_store_credit_accounts`: without them Shopify answers
 *     ACCESS_DENIED (https://shopify.dev/docs/api/usage/access-scopes);
 *   - at checkout store credit is a payment: a debit that spends the soonest
 *     expiring credit first ("Debit transactions will always spend the soonest
 *     expiring credit first": StoreCreditAccountCreditTransaction.expiresAt),
 *     and only for a customer signed in to a customer account
 *     (https://help.shopify.com/en/manual/customers/store-credit).
 * Money is in cents, as elsewhere in devshop.
 */
import { GraphQLError } from "graphql";

export interface StoreCreditTransaction {
  id: string;
  kind: "credit" | "debit";
  /** Positive for a credit, negative for a debit. */
  cents: number;
  /** What is left of a credit after debits spent from it. */
  remainingCents: number;
  createdAt: string;
  expiresAt: string | null;
  /** The order a debit paid for. */
  orderId?: string;
}

export interface StoreCreditAccount {
  id: string;
  currencyCode: string;
  transactions: StoreCreditTransaction[];
}

export interface StoreCreditBook {
  /** Accounts by customer id (numeric, as devshop keys customers). */
  accounts: Record<string, StoreCreditAccount[]>;
  /** The currencies store credit may be in: the shop's currency, unless set. */
  currencies?: string[];
  /** The most an account may hold, in cents (CREDIT_LIMIT_EXCEEDED beyond it); none: no limit. */
  limitCents?: number;
}

type UserError = { field: string[] | null; code: string; message: string };

const refused = (code: string, message: string, field: string[] | null = ["id"]) => ({
  storeCreditAccountTransaction: null,
  userErrors: [{ field, code, message } satisfies UserError],
});

/** Shopify's answer to an app without the scope a field needs. */
export function accessDenied(field: string, scope: string): GraphQLError {
  return new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/api/usage/access-scopes",
      requiredAccess: `\`${scope}\` access scope.`,
    },
  });
}

/** A decimal amount ("5.00", "5", "5.5") in cents; null when it is not one. */
function centsOf(amount: unknown): number | null {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(amount).trim());
  if (!match) return null;
  const cents = Number(match[2]) * 100 + Number((match[3] ?? "").padEnd(2, "0"));
  return match[1] ? -cents : cents;
}

const money = (cents: number, currencyCode: string) => ({
  amount: (cents / 100).toFixed(2),
  currencyCode,
});

/** The balance: what is left of credits not yet expired at `now`. */
function balanceCents(account: StoreCreditAccount, now: Date): number {
  return account.transactions
    .filter((t) => t.kind === "credit" && (t.expiresAt === null || Date.parse(t.expiresAt) > now.getTime()))
    .reduce((sum, t) => sum + t.remainingCents, 0);
}

export interface CreditArgs {
  id: string;
  creditInput: {
    creditAmount: { amount: string; currencyCode: string };
    expiresAt?: string | null;
    notify?: boolean | null;
  };
}

/** storeCreditAccountCredit, with Shopify's refusals. */
export function creditAccount(
  book: StoreCreditBook,
  customerExists: (customerId: string) => boolean,
  args: CreditArgs,
  now: Date,
  nextId: () => number,
  shopCurrency: string,
) {
  const { creditAmount, expiresAt } = args.creditInput;
  const currency = creditAmount.currencyCode;
  const cents = centsOf(creditAmount.amount);
  if (cents === null || cents <= 0)
    return refused(
      "NEGATIVE_OR_ZERO_AMOUNT",
      "A positive amount must be used to credit a store credit account.",
      ["creditInput", "creditAmount", "amount"],
    );
  if (!(book.currencies ?? [shopCurrency]).includes(currency))
    return refused("UNSUPPORTED_CURRENCY", "The currency provided is not currently supported.", [
      "creditInput",
      "creditAmount",
      "currencyCode",
    ]);
  if (expiresAt && Date.parse(expiresAt) <= now.getTime())
    return refused("EXPIRES_AT_IN_PAST", "The expiry date must be in the future.", [
      "creditInput",
      "expiresAt",
    ]);
  let account: StoreCreditAccount | undefined;
  let ownerId: string;
  const accountMatch = /^gid:\/\/shopify\/StoreCreditAccount\/(\d+)$/.exec(args.id);
  const customerMatch = /^gid:\/\/shopify\/Customer\/(\d+)$/.exec(args.id);
  if (accountMatch) {
    const found = Object.entries(book.accounts)
      .flatMap(([owner, accounts]) => accounts.map((a) => ({ owner, a })))
      .find(({ a }) => a.id === args.id);
    if (!found) return refused("ACCOUNT_NOT_FOUND", "The store credit account could not be found.");
    if (found.a.currencyCode !== currency)
      return refused(
        "MISMATCHING_CURRENCY",
        "The currency provided does not match the currency of the store credit account.",
        ["creditInput", "creditAmount", "currencyCode"],
      );
    account = found.a;
    ownerId = found.owner;
  } else if (customerMatch && customerExists(customerMatch[1]!)) {
    ownerId = customerMatch[1]!;
    account = (book.accounts[ownerId] ?? []).find((a) => a.currencyCode === currency);
  } else {
    return refused("OWNER_NOT_FOUND", "Owner does not exist.");
  }
  if (book.limitCents !== undefined && (account ? balanceCents(account, now) : 0) + cents > book.limitCents)
    return refused(
      "CREDIT_LIMIT_EXCEEDED",
      "The operation would cause the account's credit limit to be exceeded.",
      ["creditInput", "creditAmount", "amount"],
    );
  if (!account) {
    account = {
      id: `gid://shopify/StoreCreditAccount/${nextId()}`,
      currencyCode: currency,
      transactions: [],
    };
    (book.accounts[ownerId] ??= []).push(account);
  }
  const transaction: StoreCreditTransaction = {
    id: `gid://shopify/StoreCreditAccountCreditTransaction/${nextId()}`,
    kind: "credit",
    cents,
    remainingCents: cents,
    createdAt: now.toISOString(),
    expiresAt: expiresAt ? new Date(expiresAt).toISOString() : null,
  };
  account.transactions.push(transaction);
  return { storeCreditAccountTransaction: transactionView(account, transaction, now), userErrors: [] };
}

function transactionView(account: StoreCreditAccount, t: StoreCreditTransaction, now: Date) {
  const after = account.transactions.slice(0, account.transactions.indexOf(t) + 1);
  return {
    __typename:
      t.kind === "credit" ? "StoreCreditAccountCreditTransaction" : "StoreCreditAccountDebitTransaction",
    id: t.id,
    amount: money(t.cents, account.currencyCode),
    balanceAfterTransaction: money(
      after.reduce((sum, x) => sum + x.cents, 0),
      account.currencyCode,
    ),
    remainingAmount: money(t.remainingCents, account.currencyCode),
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    event: t.kind === "credit" ? "ADJUSTMENT" : "ORDER_PAYMENT",
    origin: null,
    account: () => accountView(account, now),
  };
}

/** A query's terms this model filters on: `currency_code:EUR`, `type:credit`. */
const term = (query: unknown, name: string) =>
  new RegExp(`(?:^|\\s)${name}:['"]?([\\w-]+)`).exec(String(query ?? ""))?.[1];

type Page = <T>(items: T[], args: Record<string, unknown>) => unknown;

function accountView(account: StoreCreditAccount, now: Date, connection?: Page) {
  return {
    __typename: "StoreCreditAccount",
    id: account.id,
    balance: money(balanceCents(account, now), account.currencyCode),
    transactions: (args: Record<string, unknown>) => {
      const type = term(args.query, "type");
      let list = account.transactions.filter((t) => !type || t.kind === type);
      if (args.reverse) list = [...list].reverse();
      const views = list.map((t) => transactionView(account, t, now));
      return connection ? connection(views, args) : { nodes: views };
    },
  };
}

/** Customer.storeCreditAccounts, filtered by `currency_code:` when asked. */
export function customerAccounts(
  book: StoreCreditBook,
  customerId: string,
  args: Record<string, unknown>,
  now: Date,
  connection: Page,
) {
  const currency = term(args.query, "currency_code");
  const accounts = (book.accounts[customerId] ?? []).filter((a) => !currency || a.currencyCode === currency);
  return connection(
    accounts.map((a) => accountView(a, now, connection)),
    args,
  );
}

/** The customer's store credit in a currency that checkout may spend now, in cents. */
export function spendableCents(
  book: StoreCreditBook,
  customerId: string,
  currency: string,
  now: Date,
): number {
  const account = (book.accounts[customerId] ?? []).find((a) => a.currencyCode === currency);
  return account ? balanceCents(account, now) : 0;
}

/**
 * Checkout pays `cents` with store credit: a debit, spending the soonest
 * expiring credits first. Returns the debit's id; throws when the balance is short.
 */
export function debitForOrder(
  book: StoreCreditBook,
  customerId: string,
  currency: string,
  cents: number,
  orderId: string,
  now: Date,
  nextId: () => number,
): string {
  const account = (book.accounts[customerId] ?? []).find((a) => a.currencyCode === currency);
  if (!account || balanceCents(account, now) < cents) throw new Error("Not enough store credit");
  let left = cents;
  const live = account.transactions
    .filter((t) => t.kind === "credit" && t.remainingCents > 0)
    .filter((t) => t.expiresAt === null || Date.parse(t.expiresAt) > now.getTime())
    .sort(
      (a, b) =>
        (a.expiresAt ? Date.parse(a.expiresAt) : Infinity) -
        (b.expiresAt ? Date.parse(b.expiresAt) : Infinity),
    );
  for (const credit of live) {
    const spent = Math.min(left, credit.remainingCents);
    credit.remainingCents -= spent;
    left -= spent;
    if (left === 0) break;
  }
  const id = `gid://shopify/StoreCreditAccountDebitTransaction/${nextId()}`;
  account.transactions.push({
    id,
    kind: "debit",
    cents: -cents,
    remainingCents: 0,
    createdAt: now.toISOString(),
    expiresAt: null,
    orderId,
  });
  return id;
}
