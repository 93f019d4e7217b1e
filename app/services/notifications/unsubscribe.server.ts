/**
 * The unsubscribe page behind each email's link (GET: asks, POST: does it)
 * and the one-click unsubscribe mail clients send from the List-Unsubscribe
 * header (RFC 8058: a POST of "List-Unsubscribe=One-Click" to the same link).
 * A GET never unsubscribes: mail scanners open links. The page speaks the
 * customer's language (the email's), else the shop's. A link Regulars did
 * not sign changes nothing and says so.
 */
import type { PrismaClient } from "@prisma/client";
import { findContact, findNotificationSettings, markUnsubscribed } from "../../db/notifications.server";
import { findShop } from "../../db/shops.server";
import { emailLocaleOf, unsubscribePage } from "./email-templates";
import { mailConfig, type MailConfig } from "./mail-config.server";
import { defaultLocaleOf } from "./notification-send.server";
import { checkUnsubscribeLink } from "./unsubscribe-link.server";

const html = (body: string, status = 200) =>
  new Response(body, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Robots-Tag": "noindex",
    },
  });

export async function answerUnsubscribe(
  db: PrismaClient,
  request: Request,
  now: Date,
  config: MailConfig = mailConfig(),
): Promise<Response> {
  const url = new URL(request.url);
  const link = checkUnsubscribeLink(url, config.secret);
  if (!link) return html(unsubscribePage("en", { kind: "invalid" }), 404);
  const [settings, contact, shop] = await Promise.all([
    findNotificationSettings(db, link.shop),
    findContact(db, link.shop, link.customerGid),
    findShop(db, link.shop),
  ]);
  const locale = emailLocaleOf(contact?.locale, settings ? defaultLocaleOf(settings) : "en");
  const shopName = shop?.name ?? link.shop;
  if (request.method === "POST") {
    await markUnsubscribed(db, link.shop, link.customerGid, now);
    return html(unsubscribePage(locale, { kind: "done", shopName }));
  }
  if (contact?.unsubscribedAt) return html(unsubscribePage(locale, { kind: "done", shopName }));
  return html(unsubscribePage(locale, { kind: "ask", shopName, action: `${url.pathname}${url.search}` }));
}
