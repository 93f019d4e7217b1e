/**
 * A believable shop history for the demo: customers who signed up over 18
 * months and placed orders the way real shoppers do: a few VIPs who order
 * every few weeks with big baskets, regulars every couple of months,
 * occasional buyers, lapsed buyers who stopped a year ago, one-timers; some
 * refunds and cancellations. Orders are placed in time order through the
 * simulator, so the app receives them as webhooks. Deterministic (seeded).
 */
import type { Commerce } from "./commerce";
import type { ShopState } from "./state";
import type { WebhookDelivery } from "./webhooks";

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
export function random(seed: number) {
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
  { kind: "vip", share: 0.06, everyDays: [12, 30], basket: [2, 5] },
  { kind: "regular", share: 0.24, everyDays: [35, 80], basket: [1, 3] },
  { kind: "occasional", share: 0.3, everyDays: [90, 200], basket: [1, 2] },
  { kind: "lapsed", share: 0.2, everyDays: [30, 70], basket: [1, 3], stopsAfterMonths: 8 },
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
    if (roll < 0.04) {
      const line = placed.lines[0]!;
      commerce.refund(shop, placed.id, {
        lines: [{ lineItemId: line.id, quantity: 1 }],
        at: new Date(Math.min(plan.at + 6 * day, options.now.getTime())),
      });
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
