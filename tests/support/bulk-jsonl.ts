/**
 * Bulk query results as Shopify writes them for BACKFILL_ORDERS_QUERY
 * (grouped: an order's line, then its line items with `__parentId`), and a
 * loopback HTTP server that serves them like Shopify's storage does (Range
 * requests answered with 206), with a switch to cut the connection part-way.
 */
import { once } from "node:events";
import { createReadStream, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { formatMilli, parseMilli } from "~/loyalty/money";

const money = (amount: string) => ({ shopMoney: { amount } });
const minus = (a: string, b: string) => formatMilli(parseMilli(a) - parseMilli(b), 3);

export interface BulkOrderSpec {
  /** The order's numeric id. */
  id: bigint | number;
  customer: bigint | number | null;
  /** Current subtotal after discounts, gift cards included ("54.00"). */
  subtotal: string;
  /** The order's current tax (currentTotalTaxSet): merchandise's and shipping's still charged. */
  tax?: string;
  /** Shipping charged, after its discounts (before refunds). */
  shipping?: string;
  /** Of `tax`, the tax on shipping (before refunds). */
  shippingTax?: string;
  /** Shipping refunded (all of it or none: its tax goes with it). */
  refundedShipping?: string;
  /** Refunded beyond the line items and shipping refunded (refundDiscrepancySet, negated). */
  refundedByAmount?: string;
  taxesIncluded?: boolean;
  tips?: string;
  /** A gift card line of this price (quantity 1), part of the subtotal. */
  giftCard?: string;
  /** The gift card line's current quantity (0 once refunded). */
  giftCardQuantity?: number;
  /** Merchandise lines (default 2, of 10.00 each, without product or quantity). */
  items?: number;
  /** Instead of `items`: merchandise lines with their product's numeric id, quantity ordered and discount. */
  products?: { product: bigint | number; quantity: number; price: string; discount?: string }[];
  processedAt: Date;
  updatedAt?: Date;
  test?: boolean;
  cancelled?: boolean;
  status?: "PAID" | "PARTIALLY_REFUNDED" | "REFUNDED" | "PENDING" | "AUTHORIZED";
  refunds?: (bigint | number)[];
  discountCodes?: string[];
  email?: string;
  /** Order.sourceName ("web", "pos"); absent from the line when not given. */
  sourceName?: string;
  /** Customer.tags; absent from the line when not given. */
  customerTags?: string[];
  /** Order.purchasingEntity: a company's numeric id (B2B), "customer" (the Customer), or absent. */
  purchasingEntity?: bigint | "customer";
}

/** The order's lines: the order, then its line items. */
export function orderLines(spec: BulkOrderSpec): string[] {
  const orderGid = `gid://shopify/Order/${spec.id}`;
  const processedAt = spec.processedAt.toISOString();
  const order = {
    id: orderGid,
    ...(spec.sourceName !== undefined ? { name: `#${spec.id}`, sourceName: spec.sourceName } : {}),
    createdAt: processedAt,
    processedAt,
    updatedAt: (spec.updatedAt ?? spec.processedAt).toISOString(),
    test: spec.test ?? false,
    cancelledAt: spec.cancelled ? (spec.updatedAt ?? spec.processedAt).toISOString() : null,
    currencyCode: "EUR",
    taxesIncluded: spec.taxesIncluded ?? false,
    displayFinancialStatus: spec.status ?? "PAID",
    discountCodes: spec.discountCodes ?? [],
    customer:
      spec.customer === null
        ? null
        : {
            id: `gid://shopify/Customer/${spec.customer}`,
            firstName: "Ada",
            lastName: `Customer ${spec.customer}`,
            defaultEmailAddress: { emailAddress: spec.email ?? `customer-${spec.customer}@example.com` },
            ...(spec.customerTags !== undefined ? { tags: spec.customerTags } : {}),
          },
    // A Customer matches no fragment of the query: Shopify writes it as an empty object.
    ...(spec.purchasingEntity === undefined
      ? {}
      : {
          purchasingEntity:
            spec.purchasingEntity === "customer"
              ? {}
              : { company: { id: `gid://shopify/Company/${spec.purchasingEntity}` } },
        }),
    currentSubtotalPriceSet: money(spec.subtotal),
    currentTotalTaxSet: money(spec.tax ?? "0.00"),
    currentShippingPriceSet: money(minus(spec.shipping ?? "0.00", spec.refundedShipping ?? "0.00")),
    shippingLine: spec.shipping
      ? {
          discountedPriceSet: money(spec.shipping),
          taxLines: spec.shippingTax ? [{ priceSet: money(spec.shippingTax) }] : [],
        }
      : null,
    refundDiscrepancySet: money(minus("0.00", spec.refundedByAmount ?? "0.00")),
    totalTipReceivedSet: money(spec.tips ?? "0.00"),
    refunds: (spec.refunds ?? []).map((id) => ({ id: `gid://shopify/Refund/${id}`, createdAt: processedAt })),
  };
  const lines = [JSON.stringify(order)];
  const items = spec.products ? 0 : (spec.items ?? 2);
  const base = BigInt(spec.id) * 10n;
  for (const [i, line] of (spec.products ?? []).entries()) {
    lines.push(
      JSON.stringify({
        id: `gid://shopify/LineItem/${base + BigInt(i)}`,
        isGiftCard: false,
        currentQuantity: line.quantity,
        quantity: line.quantity,
        product: { id: `gid://shopify/Product/${line.product}` },
        originalUnitPriceSet: money(line.price),
        discountAllocations: line.discount ? [{ allocatedAmountSet: money(line.discount) }] : [],
        __parentId: orderGid,
      }),
    );
  }
  for (let i = 0; i < items; i++) {
    lines.push(
      JSON.stringify({
        id: `gid://shopify/LineItem/${base + BigInt(i)}`,
        isGiftCard: false,
        currentQuantity: 1,
        originalUnitPriceSet: money("10.00"),
        discountAllocations: [],
        __parentId: orderGid,
      }),
    );
  }
  if (spec.giftCard) {
    lines.push(
      JSON.stringify({
        id: `gid://shopify/LineItem/${base + 9n}`,
        isGiftCard: true,
        currentQuantity: spec.giftCardQuantity ?? 1,
        originalUnitPriceSet: money(spec.giftCard),
        discountAllocations: [],
        __parentId: orderGid,
      }),
    );
  }
  return lines;
}

/**
 * tests/fixtures/shopify/orders-paid.json as a bulk query returns it: 176.00
 * after discounts of which 50.00 is a gift card, 7.56 tax, 8.00 shipping:
 * eligible 126.00, 630 points at the default rate.
 */
export const FIXTURE_ORDER: BulkOrderSpec = {
  id: 6817362940512877913n,
  customer: 7302485617390244561n,
  subtotal: "176.00",
  tax: "7.56",
  shipping: "8.00",
  giftCard: "50.00",
  processedAt: new Date("2025-11-14T09:21:37Z"),
  updatedAt: new Date("2025-11-14T09:21:41Z"),
  discountCodes: ["WELCOME10"],
  email: "maren.okafor@example.com",
};

export const jsonl = (specs: BulkOrderSpec[]) => specs.flatMap(orderLines).join("\n") + "\n";

type Body = { text: string } | { file: string };

/** Serves files at /<name>; Range requests get 206. `cutAfterBytes` cuts the next response part-way. */
export async function serveJsonl() {
  const files = new Map<string, Body>();
  const requests: { path: string; range: string | null }[] = [];
  let cutAfterBytes: number | null = null;
  let status: number | null = null;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const name = decodeURIComponent((req.url ?? "/").slice(1));
    requests.push({ path: name, range: req.headers.range ?? null });
    const body = files.get(name);
    if (status !== null) {
      res.writeHead(status).end();
      return;
    }
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const size = "text" in body ? Buffer.byteLength(body.text) : statSync(body.file).size;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    if (start >= size && range) {
      res.writeHead(416, { "Content-Range": `bytes */${size}` }).end();
      return;
    }
    res.writeHead(range ? 206 : 200, {
      "Content-Type": "application/jsonl",
      "Content-Length": String(size - start),
      ...(range ? { "Content-Range": `bytes ${start}-${size - 1}/${size}` } : {}),
    });
    const cut = cutAfterBytes;
    cutAfterBytes = null;
    if ("text" in body) {
      const bytes = Buffer.from(body.text).subarray(start);
      if (cut !== null) {
        res.write(bytes.subarray(0, cut), () => res.destroy());
        return;
      }
      res.end(bytes);
      return;
    }
    createReadStream(body.file, { start }).pipe(res);
  });
  // Longer than a test file runs: with node's 5 s default, a fetch that reuses a connection
  // just as the server closes it idle fails with ECONNRESET (a keep-alive race, not the app's).
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: (name: string) => `http://127.0.0.1:${port}/${encodeURIComponent(name)}`,
    put(name: string, body: Body) {
      files.set(name, body);
    },
    requests,
    /** The next response sends this many bytes, then the connection drops. */
    cutNextAfter(bytes: number) {
      cutAfterBytes = bytes;
    },
    /** Every response has this status (null: serve normally). */
    answerWith(code: number | null) {
      status = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
