/**
 * What happens in a shop: customers sign up, orders are placed (with a
 * discount code, honoured only as Shopify would), paid, refunded, cancelled
 * and edited. Each change is applied to the state and hands the webhook
 * topics Shopify would send, with their bodies, to `deliver`.
 */
import {
  allocate,
  currentTotals,
  money,
  moneyLeft,
  originalTotals,
  refundMoney,
  shippingCharged,
  shippingTaxOn,
} from "./order-math";
import { customerPayload, orderPayload, refundLineAmounts, refundPayload } from "./payloads";
import type { Cents, Customer, Discount, DevshopState, Order, OrderLine, Refund, ShopState } from "./state";
import { debitForOrder, spendableCents } from "./store-credit";

export class DevshopError extends Error {
  constructor(
    message: string,
    readonly status = 422,
  ) {
    super(message);
    this.name = "DevshopError";
  }
}

export type Deliver = (shop: ShopState, topic: string, payload: unknown) => void;

export interface PlaceOrderInput {
  customerId: string | null;
  lines: { productId: string; quantity: number }[];
  discountCode?: string | null;
  shipping?: Cents;
  /** An amount off shipping (besides a free-shipping code). */
  shippingDiscount?: Cents;
  taxRate?: number;
  /** Prices include tax. */
  taxesIncluded?: boolean;
  /** Shipping is taxed too. */
  taxShipping?: boolean;
  paid?: boolean;
  /** Pay with the signed-in customer's store credit, as much of the total as it covers. */
  useStoreCredit?: boolean;
  test?: boolean;
  /** When the order was placed (history seeding); default now. */
  at?: Date;
  /** A B2B order, for this company (numeric ids). */
  company?: { id: string; locationId: string };
}

export class Commerce {
  constructor(
    private readonly state: DevshopState,
    private readonly deliver: Deliver,
    private readonly clock: () => Date,
  ) {}

  private stamp(at?: Date, previous?: string): string {
    let time = (at ?? this.clock()).getTime();
    if (previous && Date.parse(previous) >= time) time = Date.parse(previous) + 1000;
    return new Date(time).toISOString();
  }

  createCustomer(
    shop: ShopState,
    input: {
      email: string;
      firstName: string;
      lastName: string;
      phone?: string | null;
      at?: Date;
      emailMarketingConsent?: Customer["emailMarketingConsent"];
      locale?: string;
    },
  ): Customer {
    const email = input.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new DevshopError(`Email is invalid: ${input.email}`);
    if (Object.values(shop.customers).some((c) => c.email === email)) {
      throw new DevshopError("Email has already been taken");
    }
    const at = this.stamp(input.at);
    const customer: Customer = {
      id: this.state.id(),
      email,
      firstName: input.firstName.trim(),
      lastName: input.lastName.trim(),
      phone: input.phone ?? null,
      tags: [],
      createdAt: at,
      updatedAt: at,
      state: "enabled",
      ...(input.emailMarketingConsent ? { emailMarketingConsent: input.emailMarketingConsent } : {}),
      ...(input.locale ? { locale: input.locale } : {}),
    };
    shop.customers[customer.id] = customer;
    this.state.changed();
    this.deliver(shop, "customers/create", customerPayload(shop, customer));
    return customer;
  }

  updateCustomer(
    shop: ShopState,
    customerId: string,
    change: Partial<Pick<Customer, "email" | "firstName" | "lastName">>,
  ) {
    const customer = this.customer(shop, customerId);
    Object.assign(customer, change, { updatedAt: this.stamp(undefined, customer.updatedAt) });
    this.state.changed();
    this.deliver(shop, "customers/update", customerPayload(shop, customer));
    return customer;
  }

  /**
   * The customer subscribes to (or unsubscribes from) email marketing, as
   * customerEmailMarketingConsentUpdate or the customer's own choice does: the consent and
   * its consent_updated_at change, then customers/update is sent. As Shopify, only SUBSCRIBED,
   * UNSUBSCRIBED and PENDING can be set, and only for a customer with an email
   * (https://shopify.dev/docs/api/admin-graphql/2026-07/mutations/customerEmailMarketingConsentUpdate).
   */
  setEmailMarketingConsent(shop: ShopState, customerId: string, state: string, at?: Date) {
    const customer = this.customer(shop, customerId);
    if (state !== "subscribed" && state !== "unsubscribed" && state !== "pending")
      throw new DevshopError(
        `Marketing state ${state} cannot be set: use subscribed, unsubscribed or pending`,
      );
    if (!customer.email)
      throw new DevshopError("The customer must have an email address to update their consent");
    const stamp = this.stamp(at, customer.updatedAt);
    Object.assign(customer, {
      emailMarketingConsent: state,
      emailMarketingConsentAt: stamp,
      updatedAt: stamp,
    });
    this.state.changed();
    this.deliver(shop, "customers/update", customerPayload(shop, customer));
    return customer;
  }

  customer(shop: ShopState, id: string): Customer {
    const customer = shop.customers[id];
    if (!customer) throw new DevshopError(`Customer ${id} not found`, 404);
    return customer;
  }

  order(shop: ShopState, id: string): Order {
    const order = shop.orders[id];
    if (!order) throw new DevshopError(`Order ${id} not found`, 404);
    return order;
  }

  /**
   * Whether checkout would take this code for these products now: the discount, or a DevshopError
   * saying why not (what applyDiscountCodeChange answers an extension: checkout.ts).
   */
  discountFor(
    shop: ShopState,
    code: string,
    customerId: string | null,
    items: { productId: string; quantity: number }[],
  ): Discount {
    const lines = items.map(({ productId, quantity }) => {
      const product = shop.products[productId];
      if (!product) throw new DevshopError(`Product ${productId} not found`);
      return { price: product.price, quantity, giftCard: product.giftCard };
    });
    return this.applicableDiscount(shop, code, customerId, lines, this.clock());
  }

  /** The discount a code gives this customer on these lines, or why Shopify would refuse it. */
  private applicableDiscount(
    shop: ShopState,
    code: string,
    customerId: string | null,
    lines: Pick<OrderLine, "price" | "quantity" | "giftCard">[],
    at: Date,
  ): Discount {
    const discount = Object.values(shop.discounts).find(
      (d) => d.code.toLowerCase() === code.trim().toLowerCase(),
    );
    if (!discount) throw new DevshopError(`Discount code ${code} is not valid`);
    if (Date.parse(discount.startsAt) > at.getTime())
      throw new DevshopError(`Discount code ${code} is not active yet`);
    if (discount.endsAt && Date.parse(discount.endsAt) <= at.getTime()) {
      throw new DevshopError(`Discount code ${code} has expired`);
    }
    if (discount.customerIds.length > 0 && (!customerId || !discount.customerIds.includes(customerId))) {
      throw new DevshopError(`Discount code ${code} is not valid for this customer`);
    }
    if (discount.usageLimit !== null && discount.usedBy.length >= discount.usageLimit) {
      throw new DevshopError(`Discount code ${code} has already been used`);
    }
    if (
      discount.appliesOncePerCustomer &&
      customerId &&
      discount.usedBy.some((u) => u.customerId === customerId)
    ) {
      throw new DevshopError(`Discount code ${code} has already been used`);
    }
    const subtotal = lines.filter((l) => !l.giftCard).reduce((sum, l) => sum + l.price * l.quantity, 0);
    if (discount.minimumSubtotal !== null && subtotal < discount.minimumSubtotal) {
      throw new DevshopError(
        `Discount code ${code} needs a subtotal of at least ${(discount.minimumSubtotal / 100).toFixed(2)}`,
      );
    }
    return discount;
  }

  placeOrder(shop: ShopState, input: PlaceOrderInput): Order {
    if (input.customerId) this.customer(shop, input.customerId);
    if (input.lines.length === 0) throw new DevshopError("An order needs at least one line item");
    const at = input.at ?? this.clock();
    const lines: OrderLine[] = input.lines.map((line) => {
      const product = shop.products[line.productId];
      if (!product) throw new DevshopError(`Product ${line.productId} not found`);
      if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > 100) {
        throw new DevshopError("Quantity must be between 1 and 100");
      }
      return {
        id: this.state.id(),
        productId: product.id,
        title: product.title,
        price: product.price,
        quantity: line.quantity,
        currentQuantity: line.quantity,
        giftCard: product.giftCard,
        discount: 0,
      };
    });
    const shipping = input.shipping ?? 800;
    if (!Number.isInteger(shipping) || shipping < 0) throw new DevshopError("Shipping must be at least 0.00");
    let shippingDiscount = input.shippingDiscount ?? 0;
    if (!Number.isInteger(shippingDiscount) || shippingDiscount < 0 || shippingDiscount > shipping) {
      throw new DevshopError("A shipping discount must be between 0.00 and the shipping price");
    }
    const discountCodes: Order["discountCodes"] = [];
    const discount = input.discountCode
      ? this.applicableDiscount(shop, input.discountCode, input.customerId, lines, at)
      : null;
    if (discount?.kind === "freeShipping") {
      // Shopify keeps the shipping line's price and allocates the discount to it.
      discountCodes.push({ code: discount.code, amount: shipping - shippingDiscount, type: "shipping" });
      shippingDiscount = shipping;
    } else if (discount) {
      const base = lines.filter((l) => !l.giftCard).reduce((sum, l) => sum + l.price * l.quantity, 0);
      const amount =
        discount.percentage !== null
          ? Math.round(base * discount.percentage)
          : Math.min(discount.amount ?? 0, base);
      allocate(lines, amount);
      discountCodes.push({
        code: discount.code,
        amount,
        type: discount.percentage !== null ? "percentage" : "fixed_amount",
      });
    }
    const stamp = this.stamp(at);
    const order: Order = {
      id: this.state.id(),
      number: shop.nextOrderNumber++,
      customerId: input.customerId,
      createdAt: stamp,
      processedAt: stamp,
      updatedAt: stamp,
      financialStatus: "pending",
      cancelledAt: null,
      test: input.test ?? false,
      lines,
      shipping,
      ...(shippingDiscount ? { shippingDiscount } : {}),
      taxRate: input.taxRate ?? 0.2,
      ...(input.taxesIncluded ? { taxesIncluded: true } : {}),
      ...(input.taxShipping ? { taxShipping: true } : {}),
      discountCodes,
      refunds: [],
      ...(input.company ? { company: { ...input.company } } : {}),
    };
    if (input.useStoreCredit) {
      // Store credit is spent at checkout only by a customer signed in to their account, as a
      // payment beside the others: the order's totals stay what they are
      // (https://help.shopify.com/en/manual/customers/store-credit).
      if (!input.customerId) throw new DevshopError("Store credit needs a signed-in customer");
      const book = (shop.storeCredit ??= { accounts: {} });
      const cents = Math.min(
        originalTotals(order).total,
        spendableCents(book, input.customerId, shop.currencyCode, at),
      );
      if (cents > 0) {
        debitForOrder(book, input.customerId, shop.currencyCode, cents, order.id, at, () =>
          Number(this.state.id()),
        );
        order.storeCreditPaid = cents;
      }
    }
    shop.orders[order.id] = order;
    discount?.usedBy.push({ orderId: order.id, customerId: input.customerId });
    this.state.changed();
    if (input.paid ?? true) this.pay(shop, order.id, at);
    return order;
  }

  pay(shop: ShopState, orderId: string, at?: Date): Order {
    const order = this.order(shop, orderId);
    if (order.financialStatus !== "pending") throw new DevshopError(`Order ${order.number} is already paid`);
    order.financialStatus = "paid";
    order.updatedAt = this.stamp(at, order.updatedAt);
    this.state.changed();
    this.deliver(shop, "orders/paid", orderPayload(shop, order));
    this.deliver(shop, "orders/updated", orderPayload(shop, order));
    return order;
  }

  /**
   * A refund of line items, of the shipping left, and/or of an amount with no
   * line items (Shopify records that as an order adjustment). Shopify refuses
   * to refund more money than is left; line items and shipping worth more
   * than is left (after an amount refund) are refunded for what is left.
   */
  refund(
    shop: ShopState,
    orderId: string,
    input: {
      lines: { lineItemId: string; quantity: number }[];
      shipping?: boolean;
      /** An amount refunded beyond the lines and shipping, in cents. */
      amount?: Cents;
      at?: Date;
    },
  ): Refund {
    const order = this.order(shop, orderId);
    if (order.financialStatus === "pending") throw new DevshopError("An unpaid order cannot be refunded");
    const shippingLeft = shippingCharged(order) - order.refunds.reduce((sum, r) => sum + r.shipping, 0);
    const shippingTaxLeft =
      shippingTaxOn(order, shippingCharged(order)) -
      order.refunds.reduce((sum, r) => sum + (r.shippingTax ?? 0), 0);
    if (input.amount !== undefined && (!Number.isInteger(input.amount) || input.amount <= 0)) {
      throw new DevshopError("A refund amount must be more than 0.00");
    }
    const refund: Refund = {
      id: this.state.id(),
      createdAt: this.stamp(input.at, order.updatedAt),
      lines: [],
      shipping: input.shipping ? shippingLeft : 0,
      ...(input.shipping && shippingTaxLeft ? { shippingTax: shippingTaxLeft } : {}),
      ...(input.amount ? { amount: input.amount } : {}),
    };
    for (const requested of input.lines) {
      const line = order.lines.find((l) => l.id === requested.lineItemId);
      if (!line) throw new DevshopError(`Order ${order.number} has no line item ${requested.lineItemId}`);
      if (
        !Number.isInteger(requested.quantity) ||
        requested.quantity < 1 ||
        requested.quantity > line.currentQuantity
      ) {
        throw new DevshopError(`Can refund at most ${line.currentQuantity} of ${line.title}`);
      }
    }
    if (input.lines.length === 0 && refund.shipping === 0 && !refund.amount)
      throw new DevshopError("Nothing to refund");
    for (const requested of input.lines) {
      const line = order.lines.find((l) => l.id === requested.lineItemId)!;
      refund.lines.push({
        lineItemId: line.id,
        quantity: requested.quantity,
        ...refundLineAmounts(order, line.id, requested.quantity),
      });
    }
    const left = moneyLeft(order);
    const worth = refundMoney(order, refund);
    if (worth > left) {
      if (refund.amount) {
        throw new DevshopError(
          `Refund amount ${money(worth)} is greater than the ${money(left)} left to refund`,
        );
      }
      refund.amount = left - worth;
    }
    for (const line of refund.lines)
      order.lines.find((l) => l.id === line.lineItemId)!.currentQuantity -= line.quantity;
    order.refunds.push(refund);
    order.financialStatus = moneyLeft(order) <= 0 ? "refunded" : "partially_refunded";
    order.updatedAt = refund.createdAt;
    this.state.changed();
    this.deliver(shop, "refunds/create", refundPayload(shop, order, refund));
    this.deliver(shop, "orders/updated", orderPayload(shop, order));
    return refund;
  }

  cancel(shop: ShopState, orderId: string, at?: Date): Order {
    const order = this.order(shop, orderId);
    if (order.cancelledAt) throw new DevshopError(`Order ${order.number} is already cancelled`);
    const remaining = order.lines.filter((l) => l.currentQuantity > 0);
    if (order.financialStatus !== "pending" && (remaining.length > 0 || moneyLeft(order) > 0)) {
      this.refund(shop, orderId, {
        lines: remaining.map((l) => ({ lineItemId: l.id, quantity: l.currentQuantity })),
        shipping: true,
        at,
      });
    }
    order.cancelledAt = this.stamp(at, order.updatedAt);
    order.updatedAt = order.cancelledAt;
    this.state.changed();
    this.deliver(shop, "orders/cancelled", orderPayload(shop, order));
    this.deliver(shop, "orders/updated", orderPayload(shop, order));
    return order;
  }

  /** An order edit: a line's quantity changes (Shopify's orderEditSetQuantity). */
  edit(shop: ShopState, orderId: string, input: { lineItemId: string; quantity: number; at?: Date }): Order {
    const order = this.order(shop, orderId);
    if (order.cancelledAt) throw new DevshopError("A cancelled order cannot be edited");
    const line = order.lines.find((l) => l.id === input.lineItemId);
    if (!line) throw new DevshopError(`Order ${order.number} has no line item ${input.lineItemId}`);
    if (!Number.isInteger(input.quantity) || input.quantity < 0 || input.quantity > 100) {
      throw new DevshopError("Quantity must be between 0 and 100");
    }
    const refunded = line.quantity - line.currentQuantity;
    const perUnitDiscount = line.quantity ? line.discount / line.quantity : 0;
    line.quantity = input.quantity + refunded;
    line.discount = Math.round(perUnitDiscount * line.quantity);
    line.currentQuantity = input.quantity;
    order.updatedAt = this.stamp(input.at, order.updatedAt);
    this.state.changed();
    this.deliver(shop, "orders/updated", orderPayload(shop, order));
    return order;
  }

  /** The figures an order shows (admin UI, tests). */
  totals(order: Order) {
    return { original: originalTotals(order), current: currentTotals(order) };
  }
}
