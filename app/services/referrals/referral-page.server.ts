/**
 * The page a visitor sees on the storefront through a referral link (/{proxy path}/r/<code>), as
 * Liquid in the theme's layout: what the friend offers, a form for an email (or one button for a
 * signed-in customer), then the first-order code. Every value is escaped as the status page's
 * (html.server.ts: braces and percent signs neutralised, so nothing of ours runs as Liquid).
 * The code in the link is carried by the form's own address, not a cookie: Shopify forwards a
 * proxied request without the shopper's Cookie header
 * (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies: the
 * forwarded request in "Handling proxy requests" carries no Cookie), so the page posts back to
 * the same link.
 */
import { escapeLiquidHtml as e } from "../storefront/html.server";

/** Why the page cannot offer a code, in the shopper's words (the page is in English, as the status page). */
const REFUSALS: Record<string, string> = {
  referrals_off: "This shop's referral program is not running at the moment.",
  unknown_link: "This referral link is not valid. Check the address you were sent.",
  invalid_email: "Enter a valid email address to get your code.",
  own_link: "This is your own referral link: share it with friends, they get the discount.",
  unavailable: "Codes cannot be created right now. Please try again in a few minutes.",
  code_not_created: "Your code could not be created. Please try again in a few minutes.",
};

function referralRefusalText(reason: string): string {
  return REFUSALS[reason] ?? REFUSALS.unavailable!;
}

const wrap = (body: string) =>
  `<section class="regulars-referral" style="max-width:32rem;margin:2rem auto">${body}</section>`;

export function referralOfferHtml(input: {
  action: string;
  referrerName: string | null;
  percent: number;
  signedIn: boolean;
  error?: string | null;
}): string {
  const who = input.referrerName ? e(input.referrerName) : "A friend";
  return wrap(
    [
      `<h1>${who} sent you ${e(input.percent)}% off your first order</h1>`,
      input.error ? `<p role="alert" class="regulars-referral__error">${e(input.error)}</p>` : "",
      `<form method="post" action="${e(input.action)}">`,
      `<label for="regulars-referral-email">Your email</label> `,
      // Liquid of ours, not data: a signed-in customer's email, filled in by Shopify.
      `<input id="regulars-referral-email" type="email" name="email" required autocomplete="email"${
        input.signedIn ? ` value="{{ customer.email | escape }}"` : ""
      }> `,
      `<button type="submit">Get my code</button>`,
      `</form>`,
    ].join(""),
  );
}

export function referralCodeHtml(input: { code: string; percent: number; endsAt: Date }): string {
  return wrap(
    [
      `<h1>Your code: <code data-regulars-referral-code>${e(input.code)}</code></h1>`,
      `<p>${e(input.percent)}% off your first order, until ${e(input.endsAt.toISOString().slice(0, 10))}. `,
      `Enter it at checkout.</p>`,
      `<p><a href="{{ routes.all_products_collection_url }}">Start shopping</a></p>`,
    ].join(""),
  );
}

export function referralRefusalHtml(reason: string): string {
  return wrap(`<p role="alert">${e(referralRefusalText(reason))}</p>`);
}
