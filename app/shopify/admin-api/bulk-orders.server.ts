/**
 * Past orders in bulk: a bulk query over the shop's orders (Shopify runs it
 * in the background and writes a JSONL file), its status, its cancellation.
 *
 * Since API version 2026-01 Shopify runs up to five bulk query operations per
 * shop and app at once (https://shopify.dev/docs/api/usage/bulk-operations/queries,
 * https://shopify.dev/changelog/faster-bulk-operations); past that,
 * bulkOperationRunQuery answers with the user error code LIMIT_REACHED ("Bulk
 * operations limit reached. Please try again later.", BulkOperationUserErrorCode
 * in the 2026-10 schema). Earlier versions allowed one and answered
 * OPERATION_IN_PROGRESS. Either is "busy, try later": BulkBusyError, transient,
 * so the backfill job is retried with backoff and the run keeps waiting.
 * Regulars itself still runs one backfill (one bulk query) per shop at a time:
 * its progress is one run's row (app/services/orders/backfill.server.ts).
 */
import type {
  BulkOperationStatusQuery,
  CancelBulkOperationMutation,
  RunBulkQueryMutation,
} from "../../types/admin.generated";
import {
  AdminApiError,
  AdminTransientError,
  type AdminGraphql,
  runQuery,
  throwOnUserErrors,
} from "./admin-client.server";

/**
 * What the backfill reads of each order, run by Shopify in bulk. The date
 * filter replaces the BACKFILL_FILTER literal (a bulk query takes no
 * variables); grouped output puts each order's line items right after it.
 * Refunds are a list on the order, so they arrive inside its line; the order's
 * current amounts are already net of the line items and shipping they
 * refunded, and refundDiscrepancySet sums what they refunded beyond that (an
 * amount refunded without line items; negative in the customer's favour).
 * Shipping is read after its discounts and refunds (currentShippingPriceSet),
 * its tax from the order's shipping summary (shippingLine). Field meanings:
 * https://shopify.dev/docs/api/admin-graphql/2026-10/objects/Order and
 * https://shopify.dev/docs/api/admin-graphql/2026-10/objects/ShippingLine.
 * The customer's tags and the purchasing company (B2B) decide exclusions
 * (app/loyalty/exclusions.ts; Order.purchasingEntity is a PurchasingCompany
 * for a B2B order). The shipping address's street, postcode and country are read only to be
 * hashed for the referral same-address check (Order.shippingAddress, a MailingAddress:
 * https://shopify.dev/docs/api/admin-graphql/2026-10/objects/MailingAddress).
 * Each line's product and quantity ordered (LineItem.quantity: "The number of units ordered,
 * including refunded and removed units"; LineItem.product, null for a custom line:
 * https://shopify.dev/docs/api/admin-graphql/2026-10/objects/LineItem) give its amount as ordered,
 * for bonus events limited to collections (decision 0022).
 */
const BACKFILL_ORDERS_QUERY = `#graphql
  query BackfillOrders {
    orders(query: "BACKFILL_FILTER", sortKey: PROCESSED_AT) {
      edges {
        node {
          id
          name
          sourceName
          createdAt
          processedAt
          updatedAt
          test
          cancelledAt
          currencyCode
          taxesIncluded
          displayFinancialStatus
          discountCodes
          customer {
            id
            firstName
            lastName
            defaultEmailAddress {
              emailAddress
            }
            tags
          }
          purchasingEntity {
            ... on PurchasingCompany {
              company {
                id
              }
            }
          }
          shippingAddress {
            address1
            address2
            zip
            countryCodeV2
          }
          currentSubtotalPriceSet {
            shopMoney {
              amount
            }
          }
          currentTotalTaxSet {
            shopMoney {
              amount
            }
          }
          currentShippingPriceSet {
            shopMoney {
              amount
            }
          }
          shippingLine {
            discountedPriceSet {
              shopMoney {
                amount
              }
            }
            taxLines {
              priceSet {
                shopMoney {
                  amount
                }
              }
            }
          }
          refundDiscrepancySet {
            shopMoney {
              amount
            }
          }
          totalTipReceivedSet {
            shopMoney {
              amount
            }
          }
          refunds {
            id
            createdAt
          }
          lineItems {
            edges {
              node {
                id
                isGiftCard
                currentQuantity
                quantity
                product {
                  id
                }
                originalUnitPriceSet {
                  shopMoney {
                    amount
                  }
                }
                discountAllocations {
                  allocatedAmountSet {
                    shopMoney {
                      amount
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

const RUN_BULK_QUERY = `#graphql
  mutation RunBulkQuery($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: true) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

const BULK_OPERATION_STATUS = `#graphql
  query BulkOperationStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      url
      partialDataUrl
    }
  }
`;

const CANCEL_BULK_OPERATION = `#graphql
  mutation CancelBulkOperation($id: ID!) {
    bulkOperationCancel(id: $id) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Shopify already runs as many bulk queries for this app on this shop as it allows: try later. */
export class BulkBusyError extends AdminTransientError {
  constructor(message: string, details?: unknown) {
    super(message, details);
    this.name = "BulkBusyError";
  }
}

/** The user error codes that mean "busy" rather than "this query is wrong". */
const BUSY_CODES = new Set(["LIMIT_REACHED", "OPERATION_IN_PROGRESS"]);

const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** Orders paid (processed) in [from, to): paid, or paid and then refunded in part or whole. */
function backfillSearch(from: Date, to: Date): string {
  return (
    `processed_at:>='${isoSeconds(from)}' AND processed_at:<'${isoSeconds(to)}' AND ` +
    `(financial_status:paid OR financial_status:partially_refunded OR financial_status:refunded)`
  );
}

/** The bulk query's text for a date range (the search string is a GraphQL string literal). */
export function backfillQuery(from: Date, to: Date): string {
  return BACKFILL_ORDERS_QUERY.replace('"BACKFILL_FILTER"', JSON.stringify(backfillSearch(from, to)));
}

export async function startOrdersBulkQuery(admin: AdminGraphql, from: Date, to: Date): Promise<string> {
  const data = await runQuery<RunBulkQueryMutation>(admin, RUN_BULK_QUERY, {
    query: backfillQuery(from, to),
  });
  const payload = data.bulkOperationRunQuery;
  const errors = payload?.userErrors ?? [];
  const busy = errors.find((error) => error.code && BUSY_CODES.has(error.code));
  if (busy) {
    throw new BulkBusyError(
      `Shopify is busy with other bulk queries of Regulars on this shop (${busy.code}): ` +
        `${errors.map((e) => e.message).join("; ")} Trying again later.`,
      errors,
    );
  }
  throwOnUserErrors("bulkOperationRunQuery", errors);
  if (!payload?.bulkOperation) throw new AdminApiError("bulkOperationRunQuery returned no operation");
  return payload.bulkOperation.id;
}

export interface BulkOperationState {
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED" | "EXPIRED";
  errorCode: string | null;
  rootObjectCount: number;
  url: string | null;
  partialDataUrl: string | null;
}

export async function bulkOperationState(admin: AdminGraphql, id: string): Promise<BulkOperationState> {
  const data = await runQuery<BulkOperationStatusQuery>(admin, BULK_OPERATION_STATUS, { id });
  const operation = data.bulkOperation;
  if (!operation) throw new AdminApiError(`bulk operation ${id} not found`);
  return {
    status: operation.status,
    errorCode: operation.errorCode ?? null,
    rootObjectCount: Number(operation.rootObjectCount),
    url: (operation.url as string | null | undefined) ?? null,
    partialDataUrl: (operation.partialDataUrl as string | null | undefined) ?? null,
  };
}

export async function cancelBulkOperation(admin: AdminGraphql, id: string): Promise<void> {
  const data = await runQuery<CancelBulkOperationMutation>(admin, CANCEL_BULK_OPERATION, { id });
  throwOnUserErrors("bulkOperationCancel", data.bulkOperationCancel?.userErrors);
}
