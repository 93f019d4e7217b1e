/**
 * The storefront status as HTML for an app proxy Liquid response (for themes
 * that want the status as a page rather than the blocks). Shopify renders the
 * response as Liquid, so every value is HTML-escaped and its braces and
 * percent signs neutralised: a reward titled "{{ shop.name }}" is shown, not run.
 * The only Liquid in it is ours: the storefront's `routes` for its links and
 * the money filter for amounts (a number of cents we computed), so amounts are
 * in the shop's money format ("€250.00"), never a bare "250.00"
 * (https://shopify.dev/docs/api/liquid/filters/money).
 */
import type { storefrontStatus } from "./status.server";

type Status = Awaited<ReturnType<typeof storefrontStatus>>;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "{": "&#123;",
  "}": "&#125;",
  "%": "&#37;",
};
export const escapeLiquidHtml = (value: unknown) => String(value).replace(/[&<>"'{}%]/g, (c) => ENTITIES[c]!);
/** Points with thousands separators: the page is in English ("1,200 points"). */
const points = (value: number) => value.toLocaleString("en-US");
/** An amount of the shop's currency, in cents, for Liquid's money filter: a whole number only. */
const money = (cents: number) => `{{ ${Math.trunc(Number(cents)) || 0} | money }}`;

export function statusHtml(status: Status): string {
  const e = escapeLiquidHtml;
  const program = status.program;
  if (!program.active)
    return `<section class="regulars-status"><p>The rewards program is paused.</p></section>`;
  const rewardItems = (status.loggedIn ? status.rewards : program.rewards)
    .map(
      (reward) =>
        `<li data-reward="${e(reward.key)}">${e(reward.title)}: ${e(points(reward.pointsCost))} points${
          "affordable" in reward && reward.affordable ? " (you can redeem this)" : ""
        }</li>`,
    )
    .join("");
  if (!status.loggedIn) {
    const threshold = (tier: (typeof program.tiers)[number]) =>
      program.tierBasis === "SPEND" ? money(tier.thresholdAmount) : e(points(tier.thresholdAmount));
    const tiers = program.tiers
      .map((tier) => `<li>${e(tier.name)} from ${threshold(tier)}: ${e(tier.multiplier)}× points</li>`)
      .join("");
    return [
      `<section class="regulars-status">`,
      `<p>Earn ${e(program.earnRate)} points for every ${money(100)} you spend.</p>`,
      `<ul class="regulars-status__tiers">${tiers}</ul>`,
      `<ul class="regulars-status__rewards">${rewardItems}</ul>`,
      // Liquid of ours, not data: Shopify renders the page in the shopper's storefront, whose routes
      // keep its locale prefix (/fr/account/login) and follow new customer accounts
      // (https://shopify.dev/docs/api/liquid/objects/routes#routes-account_login_url).
      `<p><a href="{{ routes.account_login_url }}">Sign in</a> or <a href="{{ routes.account_register_url }}">create an account</a>.</p>`,
      `</section>`,
    ].join("");
  }
  const codes = status.codes
    .map(
      (code) =>
        `<li><code>${e(code.code)}</code> ${e(code.title)}, until ${e(code.endsAt.slice(0, 10))}</li>`,
    )
    .join("");
  return [
    `<section class="regulars-status">`,
    `<p><strong data-regulars-points>${e(points(status.points))} points</strong>`,
    status.pending > 0 ? ` (+${e(points(status.pending))} pending)` : "",
    `</p>`,
    status.tier ? `<p>Tier: ${e(status.tier)}</p>` : "",
    status.nextTier
      ? `<p>${
          program.tierBasis === "SPEND" ? money(status.nextTier.amount) : e(points(status.nextTier.amount))
        } more to reach ${e(status.nextTier.name)}</p>`
      : "",
    `<ul class="regulars-status__rewards">${rewardItems}</ul>`,
    codes ? `<h3>Your codes</h3><ul class="regulars-status__codes">${codes}</ul>` : "",
    `</section>`,
  ].join("");
}
