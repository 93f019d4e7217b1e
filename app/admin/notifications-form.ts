/**
 * The Notifications page's form: what the merchant types (text and
 * checkboxes) and its checked conversion to SMTP settings. Every bad field is
 * reported at once, keyed by the field's name, so the page shows each error
 * next to its field; nothing is saved unless every field is good.
 */
import { isEmailLocale, type EmailLocale } from "../services/notifications/email-templates";
import type { FieldError } from "../loyalty/field-error";

export interface NotificationsForm {
  smtpHost: string;
  smtpPort: string;
  /** "true" or "false". */
  smtpSecure: string;
  smtpUsername: string;
  /** Empty: keep the saved password. */
  smtpPassword: string;
  fromAddress: string;
  defaultLocale: string;
  pointsEarned: string;
  rewardReady: string;
  pointsExpiring: string;
  tierReached: string;
  expiryWarningDays: string;
}

export interface SmtpInput {
  smtpHost: string;
  smtpPort: number;
  smtpSecure: boolean;
  smtpUsername: string;
  /** null: keep the saved one. */
  smtpPassword: string | null;
  fromAddress: string;
  defaultLocale: EmailLocale;
}

export interface NotificationsInput extends SmtpInput {
  pointsEarned: boolean;
  rewardReady: boolean;
  pointsExpiring: boolean;
  tierReached: boolean;
  expiryWarningDays: number;
}

export type NotificationsFieldErrors = Partial<Record<keyof NotificationsForm, FieldError>>;

const FIELDS: (keyof NotificationsForm)[] = [
  "smtpHost",
  "smtpPort",
  "smtpSecure",
  "smtpUsername",
  "smtpPassword",
  "fromAddress",
  "defaultLocale",
  "pointsEarned",
  "rewardReady",
  "pointsExpiring",
  "tierReached",
  "expiryWarningDays",
];

/** The form's text fields from a posted form (missing ones empty). */
export function notificationsFormOf(body: Record<string, unknown>): NotificationsForm {
  return Object.fromEntries(
    FIELDS.map((field) => [field, typeof body[field] === "string" ? (body[field] as string) : ""]),
  ) as unknown as NotificationsForm;
}

// A host name (RFC 1123 labels) or an IPv4 address.
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
// One address: something@domain.tld, no spaces or angle brackets (a header cannot be injected).
const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const bool = (text: string) => text === "true" || text === "on";

/** The SMTP part, for saving and for the test email. `hasPassword`: a password is saved already. */
export function parseSmtpForm(
  form: NotificationsForm,
  hasPassword: boolean,
): { ok: true; input: SmtpInput } | { ok: false; fieldErrors: NotificationsFieldErrors } {
  const errors: NotificationsFieldErrors = {};
  const host = form.smtpHost.trim();
  if (!HOST.test(host)) errors.smtpHost = { code: "host", example: "smtp.example.com" };
  const port = form.smtpPort.trim();
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
    errors.smtpPort = { code: "range", min: 1, max: 65535 };
  const username = form.smtpUsername.trim();
  if (username.length > 255) errors.smtpUsername = { code: "max", max: 255, unit: "characters" };
  const password = form.smtpPassword;
  if (password.length > 1024) errors.smtpPassword = { code: "max", max: 1024, unit: "characters" };
  else if (username && !password && !hasPassword) errors.smtpPassword = { code: "required" };
  const from = form.fromAddress.trim();
  if (!EMAIL.test(from) || from.length > 254)
    errors.fromAddress = { code: "email", example: "rewards@example.com" };
  if (!isEmailLocale(form.defaultLocale)) errors.defaultLocale = { code: "choice" };
  if (Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    input: {
      smtpHost: host,
      smtpPort: Number(port),
      smtpSecure: bool(form.smtpSecure),
      smtpUsername: username,
      smtpPassword: password === "" ? null : password,
      fromAddress: from,
      defaultLocale: form.defaultLocale as EmailLocale,
    },
  };
}

export function parseNotificationsForm(
  form: NotificationsForm,
  hasPassword: boolean,
): { ok: true; input: NotificationsInput } | { ok: false; fieldErrors: NotificationsFieldErrors } {
  const smtp = parseSmtpForm(form, hasPassword);
  const errors: NotificationsFieldErrors = smtp.ok ? {} : { ...smtp.fieldErrors };
  const days = form.expiryWarningDays.trim();
  if (!/^\d{1,2}$/.test(days) || Number(days) < 1 || Number(days) > 90) {
    errors.expiryWarningDays = { code: "range", min: 1, max: 90, unit: "days" };
  }
  if (!smtp.ok || Object.keys(errors).length > 0) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    input: {
      ...smtp.input,
      pointsEarned: bool(form.pointsEarned),
      rewardReady: bool(form.rewardReady),
      pointsExpiring: bool(form.pointsExpiring),
      tierReached: bool(form.tierReached),
      expiryWarningDays: Number(days),
    },
  };
}
