/**
 * The notification-send job: emails a shop's customers about the events
 * Regulars records for Shopify Flow (points earned, reward ready, points
 * expiring, tier reached), through the shop's SMTP server.
 *
 * 1. Plan: every Flow event of those triggers recorded since email was turned
 *    on gets one email row, keyed by the event (unique): a repeated webhook
 *    records one event, so one email. An event whose email is off is planned
 *    as skipped: turning the email on later does not send the past.
 * 2. Send each pending email, oldest first, checking at send time:
 *    - consent: Shopify's email_marketing_consent.state is "subscribed"
 *      (customers/create and customers/update;
 *      https://shopify.dev/docs/api/admin-rest/latest/resources/customer#resource-object);
 *      no consent known means no email;
 *    - not unsubscribed (the signed link in each email);
 *    - an address, and for a tier change a step up.
 *    An SMTP failure records its error on the row and fails the job, which
 *    pg-boss retries with backoff (app/jobs/queues.ts); the row stays pending
 *    and nothing else changes. Points were committed before the event was
 *    recorded, so a failed email can never touch them.
 * Delivery is at least once: a crash between the server's answer and the
 * mark would send that one email again.
 */
import type { PrismaClient } from "@prisma/client";
import {
  findContact,
  findNotificationSettings,
  flowEventPayload,
  markEmailSent,
  markEmailSkipped,
  memberAddress,
  pendingEmails,
  planEmails,
  recordEmailError,
  tierNamesInOrder,
  unplannedFlowEvents,
  type NotificationSettings,
} from "../../db/notifications.server";
import { findShop } from "../../db/shops.server";
import { storedText } from "../../db/stored-text";
import { emailLocaleOf, isEmailLocale, renderEmail, type EmailLocale } from "./email-templates";
import { mailConfig, passwordPlace, type MailConfig } from "./mail-config.server";
import {
  customerGidOfPayload,
  EMAILED_TRIGGERS,
  eventOfTrigger,
  factsOfPayload,
} from "./notification-events.server";
import { sendThroughSmtp, type OutgoingEmail, type SmtpServer } from "./smtp-transport.server";
import { unsubscribeUrl } from "./unsubscribe-link.server";

const BATCH = 50;

export interface SendDeps {
  config?: MailConfig;
  /** The SMTP call (nodemailer); a test may stand in for the network with a local server instead. */
  send?: (server: SmtpServer, email: OutgoingEmail) => Promise<void>;
}

export interface SendReport {
  planned: number;
  sent: number;
  skipped: number;
}

function emailOn(settings: NotificationSettings, event: string): boolean {
  switch (event) {
    case "pointsEarned":
      return settings.pointsEarned;
    case "rewardReady":
      return settings.rewardReady;
    case "pointsExpiring":
      return settings.pointsExpiring;
    case "tierReached":
      return settings.tierReached;
    default:
      return false;
  }
}

export function smtpServerOf(settings: NotificationSettings, config: MailConfig): SmtpServer {
  return {
    host: settings.smtpHost,
    port: settings.smtpPort,
    secure: settings.smtpSecure,
    username: settings.smtpUsername,
    password: settings.smtpPasswordSealed
      ? config.cipher.open(settings.smtpPasswordSealed, passwordPlace(settings.shop))
      : "",
  };
}

export const defaultLocaleOf = (settings: Pick<NotificationSettings, "defaultLocale">): EmailLocale =>
  isEmailLocale(settings.defaultLocale) ? settings.defaultLocale : "en";

async function planNewEvents(
  db: PrismaClient,
  shop: string,
  settings: NotificationSettings,
): Promise<number> {
  let planned = 0;
  for (;;) {
    const events = await unplannedFlowEvents(db, shop, EMAILED_TRIGGERS, settings.enabledSince!, BATCH);
    if (events.length === 0) return planned;
    planned += await planEmails(
      db,
      shop,
      events.map((e) => {
        const event = eventOfTrigger(e.trigger)!;
        const customerGid = customerGidOfPayload(e.payload) ?? "";
        const on = emailOn(settings, event);
        return {
          flowEventId: e.id,
          customerGid,
          event,
          status: on && customerGid ? "pending" : "skipped",
          reason: on ? (customerGid ? null : "no-address") : "off",
        };
      }),
    );
  }
}

/** Why this email must not go to the customer, or null when it may. */
function refusal(
  contact: { consentState: string | null; unsubscribedAt: Date | null } | null,
  email: string | null | undefined,
): string | null {
  if (contact?.unsubscribedAt) return "unsubscribed";
  if (contact?.consentState !== "subscribed") return "no-consent";
  if (!email) return "no-address";
  return null;
}

async function isStepUp(db: PrismaClient, shop: string, previous: string | undefined, next: string) {
  const names = (await tierNamesInOrder(db, shop)).map((tier) => tier.name);
  const to = names.indexOf(next);
  const from = previous === undefined ? -1 : names.indexOf(previous);
  return to >= 0 && to > from;
}

export async function sendNotificationEmails(
  db: PrismaClient,
  shop: string,
  now: () => Date = () => new Date(),
  deps: SendDeps = {},
): Promise<SendReport> {
  const report: SendReport = { planned: 0, sent: 0, skipped: 0 };
  const settings = await findNotificationSettings(db, shop);
  if (!settings?.enabledSince) return report;
  const config = deps.config ?? mailConfig();
  const send = deps.send ?? sendThroughSmtp;
  report.planned = await planNewEvents(db, shop, settings);
  const shopName = (await findShop(db, shop))?.name ?? shop;
  const server = smtpServerOf(settings, config);
  for (;;) {
    const emails = await pendingEmails(db, shop, BATCH);
    if (emails.length === 0) return report;
    for (const row of emails) {
      const skip = async (reason: string) => {
        await markEmailSkipped(db, shop, row.id, reason);
        report.skipped++;
      };
      const payload = (await flowEventPayload(db, shop, row.flowEventId))?.payload;
      const read = payload === undefined ? null : factsOfPayload(row.event as never, payload);
      if (!read) {
        await skip("no-event");
        continue;
      }
      const [contact, member] = await Promise.all([
        findContact(db, shop, row.customerGid),
        memberAddress(db, shop, row.customerGid),
      ]);
      const refused = refusal(contact, member?.email);
      if (refused) {
        await skip(refused);
        continue;
      }
      if (
        read.facts.event === "tierReached" &&
        !(await isStepUp(db, shop, read.previousTier, read.facts.tier))
      ) {
        await skip("not-a-step-up");
        continue;
      }
      const locale = emailLocaleOf(contact?.locale, defaultLocaleOf(settings));
      const link = unsubscribeUrl({
        appUrl: config.appUrl,
        secret: config.secret,
        shop,
        customerGid: row.customerGid,
      });
      const rendered = renderEmail({
        locale,
        shopName,
        firstName: member?.firstName ?? null,
        facts: read.facts,
        unsubscribeUrl: link,
      });
      try {
        await send(server, {
          from: settings.fromAddress,
          to: member!.email!,
          ...rendered,
          language: locale,
          unsubscribeUrl: link,
        });
      } catch (error) {
        await recordEmailError(db, shop, row.id, storedText((error as Error).message));
        throw error;
      }
      await markEmailSent(db, shop, row.id, { toAddress: member!.email!, locale, now: now() });
      report.sent++;
    }
  }
}
