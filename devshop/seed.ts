/**
 * A believable shop history for the demo: customers who signed up over 18
 * months and placed orders the way real shoppers do: a few VIPs who order
 * every few weeks with big baskets, regulars every couple of months,
 * occasional buyers, lapsed buyers who stopped a year ago, one-timers; some
 * refunds and cancellations. Orders are placed in time order through the
 * simulator, so the app receives them as webhooks. Deterministic (seeded).
 */
import type { Commerce } from "./commerce";
import type { Devshop } from "./server";
import type { ShopState } from "./state";
import type { WebhookDelivery } from "./webhooks";
import { appProxyPath } from "./storefront";

const FIRST = [
  "Maren",
  "Jonas",
  "Aiko",
  "Lea",
  "Omar",
  "Chloé",
  "Mateo",
  "Ines",
  "Tariq",
  "Sofia",
  "Noah",
  "Freya",
  "Luca",
  "Amara",
  "Elias",
  "Nina",
  "Hugo",
  "Zara",
  "Felix",
  "Maya",
];
const LAST = [
  "Okafor",
  "Berg",
  "Tanaka",
  "Rossi",
  "Haddad",
  "Martin",
  "García",
  "Silva",
  "Khan",
  "Novak",
  "Dubois",
  "Larsen",
  "Moreau",
  "Costa",
  "Weber",
  "Ali",
  "Fischer",
  "Laurent",
  "Jensen",
  "Romero",
];

/** mulberry32: small, fast, deterministic. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Persona = {
  kind: string;
  share: number;
  everyDays: [number, number];
  basket: [number, number];
  stopsAfterMonths?: number;
  maxOrders?: number;
};

const PERSONAS: Persona[] = [
  { kind: "vip", share: 0.06, everyDays: [7, 18], basket: [2, 5] },
  { kind: "regular", share: 0.24, everyDays: [20, 45], basket: [1, 3] },
  { kind: "occasional", share: 0.3, everyDays: [45, 120], basket: [1, 2] },
  { kind: "lapsed", share: 0.2, everyDays: [20, 50], basket: [1, 3], stopsAfterMonths: 8 },
  { kind: "one-timer", share: 0.2, everyDays: [9999, 9999], basket: [1, 2], maxOrders: 1 },
];

export interface SeedOptions {
  customers: number;
  months: number;
  now: Date;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function seedHistory(
  commerce: Commerce,
  webhooks: WebhookDelivery,
  shop: ShopState,
  options: SeedOptions,
) {
  const rand = random(options.seed ?? 42);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const between = ([low, high]: [number, number]) => low + rand() * (high - low);
  const day = 86_400_000;
  const start = options.now.getTime() - options.months * 30 * day;
  const products = Object.values(shop.products).filter((p) => !p.giftCard);
  const giftCard = Object.values(shop.products).find((p) => p.giftCard);

  type Planned = { at: number; customer: number };
  const planned: Planned[] = [];
  const signups: { at: number; persona: Persona }[] = [];
  for (let i = 0; i < options.customers; i++) {
    let roll = rand();
    const persona = PERSONAS.find((p) => (roll -= p.share) < 0) ?? PERSONAS[1]!;
    const signup = start + rand() * (options.now.getTime() - start - 7 * day);
    signups.push({ at: signup, persona });
    const stop = persona.stopsAfterMonths
      ? Math.min(start + persona.stopsAfterMonths * 30 * day + rand() * 60 * day, options.now.getTime())
      : options.now.getTime();
    let at = signup + rand() * 5 * day;
    let count = 0;
    while (at < stop && count < (persona.maxOrders ?? 1000)) {
      planned.push({ at, customer: i });
      count++;
      at += between(persona.everyDays) * day;
    }
  }

  // Customers in sign-up order, then every order in time order.
  const ids: string[] = [];
  const order = signups.map((s, i) => ({ ...s, i })).sort((a, b) => a.at - b.at);
  const idByIndex = new Map<number, string>();
  for (const { at, i } of order) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const customer = commerce.createCustomer(shop, {
      email: `${first}.${last}.${i}@example.com`
        .toLowerCase()
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, ""),
      firstName: first,
      lastName: last,
      at: new Date(at),
    });
    idByIndex.set(i, customer.id);
    ids.push(customer.id);
    if (ids.length % 25 === 0) await webhooks.idle();
  }
  await webhooks.idle();

  planned.sort((a, b) => a.at - b.at);
  let done = 0;
  for (const plan of planned) {
    const persona = signups[plan.customer]!.persona;
    const lines = Array.from({ length: Math.max(1, Math.round(between(persona.basket))) }, () => ({
      productId: pick(products).id,
      quantity: rand() < 0.8 ? 1 : 2,
    }));
    if (giftCard && rand() < 0.03) lines.push({ productId: giftCard.id, quantity: 1 });
    const placed = commerce.placeOrder(shop, {
      customerId: idByIndex.get(plan.customer)!,
      lines,
      at: new Date(plan.at),
      shipping: rand() < 0.3 ? 0 : 800,
    });
    const roll = rand();
    const refundAt = new Date(Math.min(plan.at + 6 * day, options.now.getTime()));
    if (roll < 0.028) {
      const line = placed.lines[0]!;
      commerce.refund(shop, placed.id, { lines: [{ lineItemId: line.id, quantity: 1 }], at: refundAt });
    } else if (roll < 0.04) {
      // A goodwill refund of a fifth of the order, as an amount with no line items.
      const amount = Math.round(commerce.totals(placed).original.total / 5);
      if (amount > 0) commerce.refund(shop, placed.id, { lines: [], amount, at: refundAt });
    } else if (roll < 0.055) {
      commerce.cancel(shop, placed.id, new Date(Math.min(plan.at + day, options.now.getTime())));
    }
    done++;
    if (done % 10 === 0) {
      await webhooks.idle();
      options.onProgress?.(done, planned.length);
    }
  }
  await webhooks.idle();
  options.onProgress?.(done, planned.length);
  return { customers: ids.length, orders: planned.length };
}

interface ProgramFacts {
  rewards: { key: string; title: string; pointsCost: number }[];
}

/** What Regulars has written to a customer's `$app:loyalty` points metafield, if anything. */
function pointsOf(shop: ShopState, customerId: string): number | null {
  const field = shop.metafields[`gid://shopify/Customer/${customerId}|$app:loyalty|points`];
  return field ? Number(field.value) : null;
}

/**
 * Recent weeks, live: repeat customers order (webhooks), some redeem a reward
 * on the storefront (the app proxy, signed, as a logged-in customer) and most
 * of those use the code on their next order, as Shopify would honour it.
 */
export async function liveActivity(
  devshop: Devshop,
  shop: ShopState,
  options: { days: number; now: Date; seed?: number; timeoutMs?: number },
) {
  const rand = random(options.seed ?? 7);
  const day = 86_400_000;
  const products = Object.values(shop.products).filter((p) => !p.giftCard);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const customers = Object.values(shop.customers);
  // Wait for the app's member syncs to reach Shopify (balances on the storefront).
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  while (customers.filter((c) => pointsOf(shop, c.id) !== null).length < customers.length * 0.5) {
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const regulars = customers.filter(
    (c) => Object.values(shop.orders).filter((o) => o.customerId === c.id).length >= 3,
  );
  let orders = 0;
  const start = options.now.getTime() - options.days * day;
  for (let i = 0; i < Math.min(40, regulars.length * 2); i++) {
    devshop.commerce.placeOrder(shop, {
      customerId: pick(regulars).id,
      lines: [{ productId: pick(products).id, quantity: 1 + Math.floor(rand() * 2) }],
      at: new Date(start + ((i + rand()) / 40) * options.days * day),
    });
    orders++;
    if (orders % 5 === 0) await devshop.webhooks.idle();
  }
  await devshop.webhooks.idle();

  const program = shop.metafields[`${shop.installation.id}|loyalty|program`];
  const rewards = program ? (JSON.parse(program.value) as ProgramFacts).rewards : [];
  const cheapest = [...rewards].sort((a, b) => a.pointsCost - b.pointsCost);
  let redemptions = 0;
  let codesUsed = 0;
  const rich = customers
    .filter((c) => (pointsOf(shop, c.id) ?? 0) >= (cheapest[0]?.pointsCost ?? Infinity))
    .slice(0, 20);
  // Where the app proxy is on this shop (the merchant may have moved it).
  const proxy = appProxyPath(shop, devshop.config);
  const proxyRoot = `/${proxy.prefix}/${proxy.subpath}`;
  for (const customer of rich) {
    const affordable = cheapest.filter((r) => r.pointsCost <= (pointsOf(shop, customer.id) ?? 0));
    const reward = affordable.at(-1);
    if (!reward) continue;
    const answer = await fetch(`${devshop.url}${proxyRoot}/redeem`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: `devshop_customer=${customer.id}` },
      body: JSON.stringify({ rewardKey: reward.key, idempotencyKey: `demo-${customer.id}-${reward.key}` }),
    });
    const body = (await answer.json()) as { code?: string | null };
    if (!answer.ok) continue;
    redemptions++;
    if (body.code && rand() < 0.7) {
      try {
        devshop.commerce.placeOrder(shop, {
          customerId: customer.id,
          lines: [{ productId: pick(products).id, quantity: 2 }],
          discountCode: body.code,
        });
        codesUsed++;
      } catch {
        // A code Shopify would refuse (e.g. below its minimum): the shopper buys without it.
      }
    }
  }
  await devshop.webhooks.idle();
  return { orders: orders + codesUsed, redemptions, codesUsed };
}
