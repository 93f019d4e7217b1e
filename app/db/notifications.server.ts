/**
 * Notifications (app/services/notifications/): the shop's SMTP settings and
 * which events are emailed, what Shopify said about each customer's email
 * (consent, locale) and whether they unsubscribed, and one email row per Flow
 * event emailed (unique per event: a repeated event is never emailed twice).
 */
import type { NotificationContact, NotificationSettings, PrismaClient } from "@prisma/client";
import type { Tx } from "./tx.server";

export type { NotificationSettings };

/** The settings as stored (the password sealed); what `saveNotificationSettings` writes. */
export type NotificationSettingsWrite = Omit<NotificationSettings, "shop" | "createdAt" | "updatedAt">;

export function findNotificationSettings(tx: Tx, shop: string): Promise<NotificationSettings | null> {
  return tx.notificationSettings.findUnique({ where: { shop } });
}

export async function saveNotificationSettings(
  tx: Tx,
  shop: string,
  settings: NotificationSettingsWrite,
): Promise<NotificationSettings> {
  return tx.notificationSettings.upsert({
    where: { shop },
    create: { shop, ...settings },
    update: settings,
  });
}

/** Keeps what is known: a customer webhook that does not carry a field leaves the stored one. */
export async function recordContact(
  tx: Tx,
  shop: string,
  customerGid: string,
  facts: { consentState?: string | null; locale?: string | null },
): Promise<void> {
  const data = Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
  await tx.notificationContact.upsert({
    where: { shop_customerGid: { shop, customerGid } },
    create: { shop, customerGid, ...data },
    update: data,
  });
}

export function findContact(tx: Tx, shop: string, customerGid: string): Promise<NotificationContact | null> {
  return tx.notificationContact.findUnique({ where: { shop_customerGid: { shop, customerGid } } });
}

/** The customer asked for no more emails; the first unsubscribe's moment is kept. Returns whether it is new. */
export async function markUnsubscribed(
  tx: Tx,
  shop: string,
  customerGid: string,
  now: Date,
): Promise<boolean> {
  const existing = await findContact(tx, shop, customerGid);
  if (existing?.unsubscribedAt) return false;
  await tx.notificationContact.upsert({
    where: { shop_customerGid: { shop, customerGid } },
    create: { shop, customerGid, unsubscribedAt: now },
    update: { unsubscribedAt: now },
  });
  return true;
}

/**
 * Flow events of these triggers recorded since `since` that have no email row
 * yet, oldest first: what the notification-send job has still to plan.
 */
export function unplannedFlowEvents(
  db: PrismaClient,
  shop: string,
  triggers: string[],
  since: Date,
  take: number,
) {
  return db.$queryRaw<{ id: string; trigger: string; payload: unknown; createdAt: Date }[]>`
    SELECT e.id, e.trigger, e.payload, e."createdAt" FROM "FlowEvent" e
    WHERE e.shop = ${shop} AND e.trigger = ANY(${triggers}) AND e."createdAt" >= ${since}
      AND NOT EXISTS (SELECT 1 FROM "NotificationEmail" n WHERE n.shop = e.shop AND n."flowEventId" = e.id)
    ORDER BY e."createdAt", e.id
    LIMIT ${take}`;
}

/** One row per event (a second plan of the same event adds nothing). */
export async function planEmails(
  tx: Tx,
  shop: string,
  emails: {
    flowEventId: string;
    customerGid: string;
    event: string;
    status: string;
    reason: string | null;
  }[],
): Promise<number> {
  if (emails.length === 0) return 0;
  const { count } = await tx.notificationEmail.createMany({
    data: emails.map((email) => ({ shop, ...email })),
    skipDuplicates: true,
  });
  return count;
}

export function pendingEmails(tx: Tx, shop: string, take: number) {
  return tx.notificationEmail.findMany({
    where: { shop, status: "pending" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take,
  });
}

export function flowEventPayload(tx: Tx, shop: string, id: string) {
  return tx.flowEvent.findFirst({ where: { shop, id }, select: { payload: true } });
}

export async function markEmailSkipped(tx: Tx, shop: string, id: string, reason: string): Promise<void> {
  await tx.notificationEmail.updateMany({
    where: { shop, id, status: "pending" },
    data: { status: "skipped", reason },
  });
}

export async function markEmailSent(
  tx: Tx,
  shop: string,
  id: string,
  sent: { toAddress: string; locale: string; now: Date },
): Promise<void> {
  await tx.notificationEmail.updateMany({
    where: { shop, id, status: "pending" },
    data: {
      status: "sent",
      toAddress: sent.toAddress,
      locale: sent.locale,
      sentAt: sent.now,
      error: null,
      attempts: { increment: 1 },
    },
  });
}

export async function recordEmailError(tx: Tx, shop: string, id: string, error: string): Promise<void> {
  await tx.notificationEmail.updateMany({ where: { shop, id }, data: { error, attempts: { increment: 1 } } });
}

/** Whether the shop has emails to plan or send (the reconcile job's question). */
export async function hasNotificationWork(
  db: PrismaClient,
  shop: string,
  triggers: string[],
): Promise<boolean> {
  const settings = await findNotificationSettings(db, shop);
  if (!settings?.enabledSince) return false;
  if (await db.notificationEmail.findFirst({ where: { shop, status: "pending" }, select: { id: true } }))
    return true;
  return (await unplannedFlowEvents(db, shop, triggers, settings.enabledSince, 1)).length > 0;
}

/** The shop's emails, newest first, for the Notifications page. */
export function recentEmails(tx: Tx, shop: string, take: number) {
  return tx.notificationEmail.findMany({ where: { shop }, orderBy: { createdAt: "desc" }, take });
}

/** Where and to whom an email goes: the member's address and first name, as Shopify last sent them. */
export function memberAddress(tx: Tx, shop: string, customerGid: string) {
  return tx.member.findUnique({
    where: { shop_customerGid: { shop, customerGid } },
    select: { email: true, firstName: true, balance: true },
  });
}

/** The program's tiers in order (the tier-reached email is for a step up only). */
export function tierNamesInOrder(tx: Tx, shop: string) {
  return tx.tier.findMany({ where: { shop }, orderBy: { position: "asc" }, select: { name: true } });
}

/** The customer's notification emails, a page at a time by id (the customer data export). */
export function customerEmailsPage(
  tx: Tx,
  shop: string,
  customerGid: string,
  after: string | null,
  take: number,
) {
  return tx.notificationEmail.findMany({
    where: { shop, customerGid, ...(after !== null ? { id: { gt: after } } : {}) },
    orderBy: { id: "asc" },
    take,
  });
}
