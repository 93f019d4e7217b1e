/**
 * An order's amounts the way Shopify computes them: discounts allocated to
 * lines (and to the shipping line), tax per taxable line and on shipping
 * where the shop taxes it, on top of prices or included in them, current
 * figures after edits and refunds, a refund line's subtotal (its share of the
 * line's discount taken off), and the money paid and refunded.
 */
import type { Cents, Order, OrderLine, Refund } from "./state";

export const money = (cents: Cents) => (cents / 100).toFixed(2);

/** The line's discount for `quantity` of its units. */
const discountFor = (line: OrderLine, quantity: number) =>
  line.quantity === 0 ? 0 : Math.round((line.discount * quantity) / line.quantity);

/** The tax on an amount: on top of it, or the part of it that is tax when prices include tax. */
const taxOn = (order: Order, amount: Cents) =>
  Math.round(order.taxesIncluded ? (amount * order.taxRate) / (1 + order.taxRate) : amount * order.taxRate);

export const lineNet = (line: OrderLine, quantity: number) =>
  line.price * quantity - discountFor(line, quantity);
export const lineTax = (order: Order, line: OrderLine, quantity: number) =>
  line.giftCard ? 0 : taxOn(order, lineNet(line, quantity));

/** The shipping line as charged: its price less its discount. */
export const shippingCharged = (order: Order) => order.shipping - (order.shippingDiscount ?? 0);
/** The tax on shipping charged (none unless the shop taxes shipping). */
export const shippingTaxOn = (order: Order, amount: Cents) => (order.taxShipping ? taxOn(order, amount) : 0);

export interface OrderTotals {
  lineItems: Cents;
  discounts: Cents;
  subtotal: Cents;
  /** Merchandise's tax and shipping's. */
  tax: Cents;
  shipping: Cents;
  shippingTax: Cents;
  total: Cents;
}

function totals(
  order: Order,
  quantityOf: (line: OrderLine) => number,
  shipping: Cents,
  shippingTax: Cents,
): OrderTotals {
  let lineItems = 0;
  let discounts = 0;
  let tax = shippingTax;
  for (const line of order.lines) {
    const quantity = quantityOf(line);
    lineItems += line.price * quantity;
    discounts += discountFor(line, quantity);
    tax += lineTax(order, line, quantity);
  }
  const subtotal = lineItems - discounts;
  return {
    lineItems,
    discounts,
    subtotal,
    tax,
    shipping,
    shippingTax,
    total: subtotal + shipping + (order.taxesIncluded ? 0 : tax),
  };
}

export const originalTotals = (order: Order) => {
  const shipping = shippingCharged(order);
  return totals(order, (line) => line.quantity, shipping, shippingTaxOn(order, shipping));
};

const refundedShipping = (order: Order) => order.refunds.reduce((sum, refund) => sum + refund.shipping, 0);
const refundedShippingTax = (order: Order) =>
  order.refunds.reduce((sum, refund) => sum + (refund.shippingTax ?? 0), 0);

/** After edits and the line items and shipping refunded (an amount refunded changes none of them). */
export function currentTotals(order: Order): OrderTotals {
  const shipping = shippingCharged(order) - refundedShipping(order);
  const shippingTax = shippingTaxOn(order, shippingCharged(order)) - refundedShippingTax(order);
  return totals(order, (line) => line.currentQuantity, shipping, shippingTax);
}

/** What a refund gave back: its lines and shipping (with their tax unless prices include it), and its amount. */
export function refundMoney(order: Order, refund: Refund): Cents {
  const lines = refund.lines.reduce((sum, l) => sum + l.subtotal + (order.taxesIncluded ? 0 : l.tax), 0);
  const shipping = refund.shipping + (order.taxesIncluded ? 0 : (refund.shippingTax ?? 0));
  return lines + shipping + (refund.amount ?? 0);
}

/** Money paid and not yet refunded. */
export const moneyLeft = (order: Order) =>
  originalTotals(order).total - order.refunds.reduce((sum, refund) => sum + refundMoney(order, refund), 0);

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
