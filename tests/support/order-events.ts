/** Builds the domain events the order webhooks produce, for service-level tests. */
import { NO_PARTS } from "~/loyalty/eligible";
import type { OrderSnapshot, RefundFacts } from "~/shopify/payloads/order-payload";

export function snapshot(input: {
  orderGid: string;
  customerGid: string | null;
  updatedAt: Date;
  merchandise: bigint;
  cancelled?: boolean;
  refunds?: RefundFacts[];
  test?: boolean;
  name?: string | null;
  sourceName?: string | null;
  email?: string | null;
  paidAt?: Date;
}): OrderSnapshot {
  return {
    orderGid: input.orderGid,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.sourceName !== undefined ? { sourceName: input.sourceName } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    updatedAt: input.updatedAt,
    paidAt: input.paidAt ?? new Date("2026-01-01T00:00:00Z"),
    test: input.test ?? false,
    cancelled: input.cancelled ?? false,
    currency: "EUR",
    taxesIncluded: false,
    gross: { ...NO_PARTS, merchandise: input.merchandise },
    refunds: input.refunds ?? [],
    customer: input.customerGid
      ? {
          customerGid: input.customerGid,
          email: null,
          firstName: null,
          lastName: null,
          state: null,
          tags: [],
          tagsPresent: false,
        }
      : null,
    discountCodes: [],
  };
}

export function refundFacts(orderGid: string, refundGid: string, merchandise: bigint): RefundFacts {
  return {
    orderGid,
    refundGid,
    createdAt: new Date("2026-01-02T00:00:00Z"),
    parts: { ...NO_PARTS, merchandise },
  };
}
