/**
 * The Notifications page's settings: the shop's SMTP server (its password
 * sealed at rest, never sent back to the browser), which events are emailed,
 * and the days of warning before points expire (the program's own setting,
 * which the Flow trigger uses too: one lead time for both). And the test
 * email, sent with the form's values before they are saved.
 */
import type { PrismaClient } from "@prisma/client";
import type { NotificationsInput, SmtpInput } from "../../admin/notifications-form";
import {
  findNotificationSettings,
  recentEmails,
  saveNotificationSettings,
} from "../../db/notifications.server";
import { findProgram } from "../../db/program.server";
import { findShop } from "../../db/shops.server";
import { inTransaction } from "../../db/tx.server";
import { updateProgram } from "../program/program-settings.server";
import { renderEmail, sampleFacts } from "./email-templates";
import { mailConfig, passwordPlace, type MailConfig } from "./mail-config.server";
import { sendThroughSmtp, type OutgoingEmail, type SmtpServer } from "./smtp-transport.server";
import { UNSUBSCRIBE_PATH } from "./unsubscribe-link.server";
import { defaultLocaleOf, smtpServerOf } from "./notification-send.server";

const DEFAULT_WARNING_DAYS = 30;

interface NotificationsView {
  smtpHost: string;
  smtpPort: number;
  smtpSecure: boolean;
  smtpUsername: string;
  hasPassword: boolean;
  fromAddress: string;
  defaultLocale: string;
  pointsEarned: boolean;
  rewardReady: boolean;
  pointsExpiring: boolean;
  tierReached: boolean;
  expiryWarningDays: number;
}

export async function notificationsPage(db: PrismaClient, shop: string) {
  const [settings, program, emails] = await Promise.all([
    findNotificationSettings(db, shop),
    findProgram(db, shop),
    recentEmails(db, shop, 20),
  ]);
  const view: NotificationsView = {
    smtpHost: settings?.smtpHost ?? "",
    smtpPort: settings?.smtpPort ?? 587,
    smtpSecure: settings?.smtpSecure ?? true,
    smtpUsername: settings?.smtpUsername ?? "",
    hasPassword: Boolean(settings?.smtpPasswordSealed),
    fromAddress: settings?.fromAddress ?? "",
    defaultLocale: settings?.defaultLocale ?? "en",
    pointsEarned: settings?.pointsEarned ?? false,
    rewardReady: settings?.rewardReady ?? false,
    pointsExpiring: settings?.pointsExpiring ?? false,
    tierReached: settings?.tierReached ?? false,
    expiryWarningDays: program?.expiryWarningDays ?? DEFAULT_WARNING_DAYS,
  };
  return {
    settings: view,
    emails: emails.map((email) => ({
      id: email.id,
      event: email.event,
      status: email.status,
      reason: email.reason,
      to: email.toAddress,
      at: (email.sentAt ?? email.createdAt).toISOString(),
    })),
  };
}

export function savedSettings(db: PrismaClient, shop: string) {
  return findNotificationSettings(db, shop);
}

/** Saves the settings; email starts counting events from the first save with an event on. */
export async function saveNotifications(
  db: PrismaClient,
  shop: string,
  input: NotificationsInput,
  now: Date,
  config: MailConfig = mailConfig(),
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const existing = await findNotificationSettings(tx, shop);
    const anyOn = input.pointsEarned || input.rewardReady || input.pointsExpiring || input.tierReached;
    await saveNotificationSettings(tx, shop, {
      smtpHost: input.smtpHost,
      smtpPort: input.smtpPort,
      smtpSecure: input.smtpSecure,
      smtpUsername: input.smtpUsername,
      smtpPasswordSealed:
        input.smtpPassword !== null
          ? config.cipher.seal(input.smtpPassword, passwordPlace(shop))
          : input.smtpUsername
            ? (existing?.smtpPasswordSealed ?? "")
            : "",
      fromAddress: input.fromAddress,
      defaultLocale: input.defaultLocale,
      pointsEarned: input.pointsEarned,
      rewardReady: input.rewardReady,
      pointsExpiring: input.pointsExpiring,
      tierReached: input.tierReached,
      enabledSince: existing?.enabledSince ?? (anyOn ? now : null),
    });
  });
  const program = await findProgram(db, shop);
  if (program?.expiryWarningDays !== input.expiryWarningDays) {
    await updateProgram(db, shop, { settings: { expiryWarningDays: input.expiryWarningDays } }, now);
  }
}

/**
 * A sample "points earned" email to the from address, through the server as
 * the form has it (the saved password when the form leaves it empty). Throws
 * the SMTP error, for the page to show.
 */
export async function sendTestEmail(
  db: PrismaClient,
  shop: string,
  input: SmtpInput,
  now: Date,
  deps: { config?: MailConfig; send?: (server: SmtpServer, email: OutgoingEmail) => Promise<void> } = {},
): Promise<{ to: string }> {
  const config = deps.config ?? mailConfig();
  const saved = await findNotificationSettings(db, shop);
  const server: SmtpServer = {
    host: input.smtpHost,
    port: input.smtpPort,
    secure: input.smtpSecure,
    username: input.smtpUsername,
    password: input.smtpPassword ?? (saved ? smtpServerOf(saved, config).password : ""),
  };
  const shopName = (await findShop(db, shop))?.name ?? shop;
  const locale = defaultLocaleOf(input);
  const link = `${config.appUrl}${UNSUBSCRIBE_PATH}`;
  const rendered = renderEmail({
    locale,
    shopName,
    firstName: null,
    facts: sampleFacts("pointsEarned", now),
    unsubscribeUrl: link,
  });
  await (deps.send ?? sendThroughSmtp)(server, {
    from: input.fromAddress,
    to: input.fromAddress,
    ...rendered,
    subject: `[Test] ${rendered.subject}`,
    language: locale,
    unsubscribeUrl: link,
  });
  return { to: input.fromAddress };
}
