/**
 * How the UI extensions talk to the app: `fetch` to the app's own URL (the `network_access`
 * capability, https://shopify.dev/docs/apps/build/customer-accounts/capabilities#network-access)
 * with the surface's session token as a bearer token
 * (https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/session-token-api).
 * The answers have the app proxy's shapes (app/services/storefront/status.server.ts,
 * app/routes/proxy.redeem.tsx); a refusal is a code (app/http/storefront-errors.ts) that each
 * extension words from its own locale files (`errors.<code>`).
 *
 * The app's URL is fixed when the extension is built: Shopify CLI's esbuild step replaces every
 * `process.env.NAME` of its environment (and of the app's `.env`) with its value, and sets
 * `APP_URL` itself while `shopify app dev` runs (@shopify/cli 4.8.2, dist: the UI extension
 * bundler's `define`). `npm run build:extensions` (scripts/build-extensions.mjs) passes it; see
 * docs/extensions.md.
 */

/** Where the app listens, as the build was told (scripts/build-extensions.mjs). */
const APP_URL: string = process.env.APP_URL ?? "";

/**
 * The codes the app answers a refusal with (the storefront's, and the surfaces' own
 * `order_not_found`; `action_unavailable`: a follow rule that is off), and `network`: no answer at all.
 */
export const ERROR_CODES = [
  "sign_in_required",
  "invalid_request",
  "unavailable",
  "too_many_requests",
  "reward_not_found",
  "reward_disabled",
  "not_for_your_tier",
  "not_enough_points",
  "amount_not_allowed",
  "program_paused",
  "idempotency_key_reused",
  "code_not_created",
  "order_not_found",
  "action_unavailable",
  "network",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ProgramExplainer {
  active: boolean;
  earnRate: string;
  /** The shop's currency (ISO 4217): amounts (`remaining`, thresholds) are in it; null if unknown. */
  currencyCode: string | null;
  signupBonus: number;
  birthdayBonus: number;
  tierBasis: string;
  tiers: { name: string; threshold: string; multiplier: string }[];
  rewards: { key: string; title: string; pointsCost: number }[];
  /** Bonus events not over (docs/decisions/0022-bonus-events.md): shown from startsAt to endsAt. */
  bonusEvents?: {
    name: string;
    kind: string;
    multiplier: string | null;
    points: number | null;
    startsAt: string;
    endsAt: string;
    /** Limited to the products in these collections (their titles); absent or []: every order. */
    collections?: string[];
  }[];
  /**
   * Ways to earn for an action, those on (docs/decisions/0023-points-for-actions.md): `newsletter`,
   * `review`, and `follow-<network>` with the network's name and the shop's link on it.
   */
  earnActions?: EarnAction[];
  /**
   * Referrals, when the shop has them on: what a friend gets and what the member gets (referrerReward:
   * the catalog reward's title when the merchant gives one instead of points; absent from older apps).
   */
  referrals?: { refereePercent: number; referrerPoints: number; referrerReward?: string | null } | null;
}

/** One way to earn for an action; a social follow has its network's name and the link to follow. */
export interface EarnAction {
  key: string;
  points: number;
  network?: string;
  url?: string | null;
}

/** POST actions/follow's answer: the points, once; `already_awarded` when followed before. */
export interface Followed {
  status: "awarded" | "already_awarded";
  points: number;
  balance: number;
}

export interface MemberState {
  points: number;
  pending: number;
  tier: string | null;
  nextTier: { name: string; remaining: string; percent: number } | null;
  rewards: {
    key: string;
    title: string;
    pointsCost: number;
    affordable: boolean;
    /** "Spend any amount": any multiple of `step` points within the limits, each step worth `stepAmount`. */
    anyAmount?: AnyAmount;
  }[];
  codes: { code: string; title: string; endsAt: string }[];
  /**
   * Their store credit in the shop's currency, as Regulars last read it from Shopify
   * (docs/decisions/0025); null or absent while the shop does not let Regulars read it.
   */
  storeCredit?: { amount: string; currencyCode: string } | null;
  /** Newest first; `orderName` ("#1001") when the entry came from an order. */
  history: { kind: string; points: number; at: string; orderName?: string | null }[];
  /** The member's referral link while referrals are on (`url` from customer accounts' status). */
  referral?: { code: string; path: string; url?: string } | null;
}

/** A spend-any-amount reward's choice: a multiple of `step` points from `minPoints` to `maxPoints`. */
export interface AnyAmount {
  step: number;
  /** What one step is worth in the shop's currency ("1.00"). */
  stepAmount: string;
  minPoints: number;
  maxPoints: number;
}

/** The most a member can spend on a spend-any-amount reward: its maximum, or their balance in whole steps. */
export const mostPoints = (any: AnyAmount, balance: number) =>
  Math.min(any.maxPoints, balance - (balance % any.step));

/** Whether `points` is an amount the reward allows and the balance covers (the app checks again). */
export const amountAllowed = (any: AnyAmount, balance: number, points: number) =>
  Number.isInteger(points) &&
  points >= any.minPoints &&
  points <= mostPoints(any, balance) &&
  points % any.step === 0;

/** What `points` of a spend-any-amount reward are worth, in the shop's currency. */
export const amountWorth = (any: AnyAmount, points: number) =>
  Math.round((points / any.step) * Number(any.stepAmount) * 100) / 100;

export type Status =
  | ({ loggedIn: true; program: ProgramExplainer } & MemberState)
  | { loggedIn: false; program: ProgramExplainer; customer?: null; reason?: "no_customer" };

export interface Redemption {
  /** "credited": store credit, no code (it is in the customer's account for checkout). */
  status: "issued" | "pending" | "credited";
  code: string | null;
  endsAt?: string;
  pointsCost?: number;
  member: MemberState;
}

type OrderState = "none" | "pending" | "earned" | "reversed" | "not_yet_received";

export interface OrderPoints {
  id: string;
  name: string | null;
  points: number;
  pendingPoints: number;
  pendingUntil: string | null;
  reversedPoints: number;
  state: OrderState;
}

/** POST /surfaces/checkout/estimate's answer: the points an order of this subtotal earns. */
export interface Estimate {
  /** null when the subtotal is not in the shop's currency (`reason: "other_currency"`). */
  points: number | null;
  /** The member's balance with those points; null for a guest. */
  balanceAfter: number | null;
  active: boolean;
  reason?: "other_currency";
  /** The buyer's status when they are a member; null for a guest. */
  member: MemberState | null;
  /**
   * With an `orderId` Regulars has already recorded for this buyer: what that order earned
   * (`points` and `balanceAfter` are then actual, not estimated); null otherwise.
   */
  order?: OrderPoints | null;
}

/** A refusal of an amount comes with the limits the app allows (amount_not_allowed). */
export interface AmountLimits {
  step: number;
  minPoints: number;
  maxPoints: number;
}

export type Answer<T> = { ok: true; data: T } | { ok: false; error: ErrorCode; limits?: AmountLimits };

interface SessionTokenApi {
  /** POS's getSessionToken() gives undefined to a staff member without the app's permission. */
  get(): Promise<string | undefined>;
}

const KNOWN = new Set<string>(ERROR_CODES);

/**
 * The requests one surface makes, e.g. surface "customer-account"; `prefix` goes before each path
 * (POS: `/customers/{id}`, the customer the staff member serves).
 */
export function regularsClient(
  surface: string,
  sessionToken: SessionTokenApi,
  options: { prefix?: string; appUrl?: string } = {},
) {
  const base = `${options.appUrl ?? APP_URL}/surfaces/${surface}${options.prefix ?? ""}`;
  async function request<T>(path: string, body?: unknown): Promise<Answer<T>> {
    let response: Response;
    try {
      // A fresh token for every request: Shopify caches it until it nears expiry.
      const token = await sessionToken.get();
      if (!token) return { ok: false, error: "sign_in_required" };
      response = await fetch(`${base}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      return { ok: false, error: "network" };
    }
    const data = (await response.json().catch(() => null)) as (T & { error?: unknown }) | null;
    if (!response.ok || data === null) {
      const code = typeof data?.error === "string" && KNOWN.has(data.error) ? data.error : "unavailable";
      const limits = data as Partial<AmountLimits> | null;
      return code === "amount_not_allowed" && limits?.step && limits.minPoints && limits.maxPoints
        ? {
            ok: false,
            error: code,
            limits: { step: limits.step, minPoints: limits.minPoints, maxPoints: limits.maxPoints },
          }
        : { ok: false, error: code as ErrorCode };
    }
    return { ok: true, data };
  }
  // One idempotency key per reward until the app answers: a retry after a lost answer is the same
  // redemption, never a second code. No answer (or "try later") keeps the key: the points may
  // already be spent for it.
  const keys = new Map<string, string>();
  // `points`: a spend-any-amount reward's amount chosen. A retry of a lost answer with another
  // amount is refused by the app (idempotency_key_reused), never a second redemption.
  async function redeem(rewardKey: string, points?: number): Promise<Answer<Redemption>> {
    const idempotencyKey = keys.get(rewardKey) ?? newIdempotencyKey();
    keys.set(rewardKey, idempotencyKey);
    const answer = await request<Redemption>("/redeem", {
      rewardKey,
      idempotencyKey,
      ...(points === undefined ? {} : { points }),
    });
    if (answer.ok || (answer.error !== "network" && answer.error !== "unavailable")) keys.delete(rewardKey);
    return answer;
  }
  return {
    status: () => request<Status>("/status"),
    redeem,
    // orderId: the thank-you page's order, so that an order already credited is not counted twice.
    estimate: (subtotal: { amount: string; currencyCode: string }, orderId?: string) =>
      request<Estimate>("/estimate", orderId ? { subtotal, orderId } : { subtotal }),
    // A social follow (honour system): the rule's points, once; sent again, `already_awarded`.
    follow: (rule: string) => request<Followed>("/actions/follow", { rule }),
    // The order's numeric id ("gid://shopify/Order/123" -> "123"): a GID's slashes do not fit a path.
    order: (orderId: string) =>
      request<{ order: OrderPoints }>(`/orders/${encodeURIComponent(orderId.split("/").pop() ?? "")}`),
  };
}

export type RegularsClient = ReturnType<typeof regularsClient>;

/** A key for one redemption attempt: kept until the app answers, so a retry cannot redeem twice. */
function newIdempotencyKey(): string {
  return `ext-${crypto.randomUUID()}`;
}
