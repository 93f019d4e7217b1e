/**
 * An order's amounts the way Shopify computes them: discounts allocated to
 * lines, tax per taxable line, current figures after edits and refunds, and a
 * refund line's subtotal (its share of the line's discount taken off).
 */
import type { Cents, Order, OrderLine } from "./state";

export const money = (cents: Cents) => (cents / 100).toFixed(2);

/** The line's discount for `quantity` of its units. */
const discountFor = (line: OrderLine, quantity: number) =>
  line.quantity === 0 ? 0 : Math.round((line.discount * quantity) / line.quantity);

export const lineNet = (line: OrderLine, quantity: number) =>
  line.price * quantity - discountFor(line, quantity);
export const lineTax = (order: Order, line: OrderLine, quantity: number) =>
  line.giftCard ? 0 : Math.round(lineNet(line, quantity) * order.taxRate);

export interface OrderTotals {
  lineItems: Cents;
  discounts: Cents;
  subtotal: Cents;
  tax: Cents;
  total: Cents;
}

function totals(order: Order, quantityOf: (line: OrderLine) => number, shipping: Cents): OrderTotals {
  let lineItems = 0;
  let discounts = 0;
  let tax = 0;
  for (const line of order.lines) {
    const quantity = quantityOf(line);
    lineItems += line.price * quantity;
    discounts += discountFor(line, quantity);
    tax += lineTax(order, line, quantity);
  }
  const subtotal = lineItems - discounts;
  return { lineItems, discounts, subtotal, tax, total: subtotal + tax + shipping };
}

export const originalTotals = (order: Order) => totals(order, (line) => line.quantity, order.shipping);

export function currentTotals(order: Order): OrderTotals {
  const shippingRefunded = order.refunds.reduce((sum, refund) => sum + refund.shipping, 0);
  return totals(order, (line) => line.currentQuantity, order.shipping - shippingRefunded);
}

/** Splits `amount` over lines in proportion to their value (the last line takes the rounding). */
export function allocate(lines: OrderLine[], amount: Cents): void {
  const eligible = lines.filter((line) => !line.giftCard);
  const base = eligible.reduce((sum, line) => sum + line.price * line.quantity, 0);
  if (base === 0) return;
  let left = Math.min(amount, base);
  eligible.forEach((line, index) => {
    const share =
      index === eligible.length - 1
        ? left
        : Math.round((Math.min(amount, base) * line.price * line.quantity) / base);
    line.discount += share;
    left -= share;
  });
}
