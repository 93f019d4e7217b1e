/**
 * Store credit in Shopify: a store credit reward credits the customer's
 * native store credit account, and a retry first looks for that credit.
 *
 * - storeCreditAccountCredit takes the Customer id and creates the account for
 *   the currency when there is none; `creditInput` is `{ creditAmount: { amount,
 *   currencyCode }, expiresAt, notify }` (StoreCreditAccountCreditInput in the
 *   2026-10 schema). It needs `write_store_credit_account_transactions`.
 *   https://shopify.dev/docs/api/admin-graphql/latest/mutations/storeCreditAccountCredit
 * - Its refusals are user errors with a StoreCreditAccountCreditUserErrorCode
 *   (ACCOUNT_NOT_FOUND, CREDIT_LIMIT_EXCEEDED, EXPIRES_AT_IN_PAST,
 *   MISMATCHING_CURRENCY, NEGATIVE_OR_ZERO_AMOUNT, OWNER_NOT_FOUND,
 *   UNSUPPORTED_CURRENCY): the credit was not made, so the points come back.
 *   https://shopify.dev/docs/api/admin-graphql/latest/enums/StoreCreditAccountCreditUserErrorCode
 * - The mutation does not document idempotency (the @idempotent directive is
 *   "only supported on mutations that explicitly document idempotency support"),
 *   and a credit carries no reference of ours: a retry reads the account's
 *   credits (`transactions(query: "type:credit")`, `read_store_credit_accounts`)
 *   and matches amount, currency and expiry (docs/decisions/0020-store-credit-rewards.md).
 *   https://shopify.dev/docs/api/admin-graphql/latest/objects/StoreCreditAccount
 *   https://shopify.dev/docs/api/admin-graphql/latest/objects/StoreCreditAccountCreditTransaction
 */
import { formatMilli, parseMilli } from "../../loyalty/money";
import type { CreditTransactionSeen } from "../../loyalty/rewards";
import type {
  CreditStoreCreditMutation,
  CustomerStoreCreditQuery,
  StoreCreditCreditsQuery,
} from "../../types/admin.generated";
import { type AdminGraphql, runQuery } from "./admin-client.server";

const CREDIT_STORE_CREDIT = `#graphql
  mutation CreditStoreCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction {
        id
        amount {
          amount
          currencyCode
        }
        expiresAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

/** The most recent credits of the customer's account in one currency (a retry looks among them). */
const STORE_CREDIT_CREDITS = `#graphql
  query StoreCreditCredits($id: ID!, $accounts: String!) {
    customer(id: $id) {
      storeCreditAccounts(first: 1, query: $accounts) {
        nodes {
          id
          transactions(first: 100, query: "type:credit", sortKey: CREATED_AT, reverse: true) {
            nodes {
              ... on StoreCreditAccountCreditTransaction {
                id
                amount {
                  amount
                  currencyCode
                }
                expiresAt
              }
            }
          }
        }
      }
    }
  }
`;

/** The customer's store credit balances, one per currency. */
const CUSTOMER_STORE_CREDIT = `#graphql
  query CustomerStoreCredit($id: ID!) {
    customer(id: $id) {
      storeCreditAccounts(first: 10) {
        nodes {
          balance {
            amount
            currencyCode
          }
        }
      }
    }
  }
`;

export interface CreditRequest {
  customerGid: string;
  amountMilli: bigint;
  currencyCode: string;
  expiresAt: Date;
}

export type CreditResult =
  { status: "credited"; transactionId: string } | { status: "rejected"; errors: string[] };

/** The mutation's variables, exactly as sent. */
function creditVariables(request: CreditRequest) {
  return {
    id: request.customerGid,
    creditInput: {
      creditAmount: { amount: formatMilli(request.amountMilli), currencyCode: request.currencyCode },
      expiresAt: request.expiresAt.toISOString(),
      // Regulars tells the member itself (the storefront, its emails); Shopify's default is false too.
      notify: false,
    },
  };
}

export async function creditStoreCredit(admin: AdminGraphql, request: CreditRequest): Promise<CreditResult> {
  const payload = (
    await runQuery<CreditStoreCreditMutation>(admin, CREDIT_STORE_CREDIT, creditVariables(request))
  ).storeCreditAccountCredit;
  const errors = payload?.userErrors ?? [];
  const transaction = payload?.storeCreditAccountTransaction;
  if (errors.length > 0 || !transaction) {
    return {
      status: "rejected",
      errors: errors.length
        ? errors.map((e) =>
            `${e.code ?? ""} ${e.field?.join(".") ?? ""} ${e.message}`.replace(/\s+/g, " ").trim(),
          )
        : ["no store credit transaction returned"],
    };
  }
  return { status: "credited", transactionId: transaction.id };
}

/** The customer's latest credits in `currencyCode` (none when it has no account in it). */
export async function recentCredits(
  admin: AdminGraphql,
  customerGid: string,
  currencyCode: string,
): Promise<CreditTransactionSeen[]> {
  const data = await runQuery<StoreCreditCreditsQuery>(admin, STORE_CREDIT_CREDITS, {
    id: customerGid,
    accounts: `currency_code:${currencyCode}`,
  });
  const account = data.customer?.storeCreditAccounts.nodes[0];
  const credits: CreditTransactionSeen[] = [];
  for (const node of account?.transactions.nodes ?? []) {
    if (!("id" in node) || !node.id || !node.amount) continue;
    credits.push({
      id: node.id,
      amountMilli: parseMilli(String(node.amount.amount)),
      currencyCode: node.amount.currencyCode,
      expiresAt: node.expiresAt ? new Date(String(node.expiresAt)) : null,
    });
  }
  return credits;
}

export interface StoreCreditBalance {
  amountMilli: bigint;
  currencyCode: string;
}

/** The customer's store credit, one balance per currency; null when the customer is not found. */
export async function storeCreditBalances(
  admin: AdminGraphql,
  customerGid: string,
): Promise<StoreCreditBalance[] | null> {
  const data = await runQuery<CustomerStoreCreditQuery>(admin, CUSTOMER_STORE_CREDIT, { id: customerGid });
  if (!data.customer) return null;
  return data.customer.storeCreditAccounts.nodes.map((account) => ({
    amountMilli: parseMilli(String(account.balance.amount)),
    currencyCode: account.balance.currencyCode,
  }));
}
