import { useEffect, useMemo, useState } from "react";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  notificationsFormOf,
  parseNotificationsForm,
  parseSmtpForm,
  type NotificationsFieldErrors,
  type NotificationsForm,
} from "../admin/notifications-form";
import { titleMeta } from "../admin/document-title";
import { errorSentence } from "../admin/field-error-words";
import { useErrorWriter, useFormat, useStrings } from "../admin/i18n";
import { TableCard } from "../admin/TableCard";
import { prisma } from "../db.server";
import { findShop } from "../db/shops.server";
import { adminRoute } from "../http/request-context.server";
import {
  EMAIL_EVENTS,
  EMAIL_LOCALES,
  renderEmail,
  sampleFacts,
  type EmailEvent,
  type EmailLocale,
} from "../services/notifications/email-templates";
import {
  notificationsPage,
  saveNotifications,
  savedSettings,
  sendTestEmail,
} from "../services/notifications/notification-settings.server";

export const meta = titleMeta((s) => s.notifications.title);

export const loader = adminRoute(async ({ shop }) => {
  const [page, details] = await Promise.all([notificationsPage(prisma, shop), findShop(prisma, shop)]);
  return { ...page, shopName: details?.name ?? shop };
});

type ActionResult =
  | { ok: true; intent: "save" | "test"; message: string }
  | { ok: false; error: string; fieldErrors: NotificationsFieldErrors };

const fail = (status: number, error: string, fieldErrors: NotificationsFieldErrors = {}) =>
  Response.json({ ok: false, error, fieldErrors } satisfies ActionResult, { status });

export const action = adminRoute(async ({ shop, now, strings }, { request }) => {
  const t = (await strings()).notifications;
  const body = Object.fromEntries(await request.formData());
  const form = notificationsFormOf(body);
  const hasPassword = Boolean((await savedSettings(prisma, shop))?.smtpPasswordSealed);
  if (body.intent === "test") {
    const parsed = parseSmtpForm(form, hasPassword);
    if (!parsed.ok) return fail(422, t.fixErrors, parsed.fieldErrors);
    try {
      const { to } = await sendTestEmail(prisma, shop, parsed.input, now());
      return Response.json({ ok: true, intent: "test", message: t.testSent(to) } satisfies ActionResult);
    } catch (error) {
      return fail(502, t.testFailed((error as Error).message));
    }
  }
  const parsed = parseNotificationsForm(form, hasPassword);
  if (!parsed.ok) return fail(422, t.fixErrors, parsed.fieldErrors);
  await saveNotifications(prisma, shop, parsed.input, now());
  return Response.json({ ok: true, intent: "save", message: t.saved } satisfies ActionResult);
});

export default function NotificationsPage() {
  const t = useStrings().notifications;
  const format = useFormat();
  const localeOptions = EMAIL_LOCALES.map((value) => ({ value, label: t.locales[value] }));
  const eventOptions = EMAIL_EVENTS.map((value) => ({ value, label: t.eventNames[value] }));
  const { settings, emails, shopName } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const saver = useFetcher<ActionResult>();
  const [form, setForm] = useState<NotificationsForm>(() => ({
    smtpHost: settings.smtpHost,
    smtpPort: String(settings.smtpPort),
    smtpSecure: String(settings.smtpSecure),
    smtpUsername: settings.smtpUsername,
    smtpPassword: "",
    fromAddress: settings.fromAddress,
    defaultLocale: settings.defaultLocale,
    pointsEarned: String(settings.pointsEarned),
    rewardReady: String(settings.rewardReady),
    pointsExpiring: String(settings.pointsExpiring),
    tierReached: String(settings.tierReached),
    expiryWarningDays: String(settings.expiryWarningDays),
  }));
  const [previewEvent, setPreviewEvent] = useState<EmailEvent>("pointsEarned");
  const [previewLocale, setPreviewLocale] = useState<EmailLocale>(
    (EMAIL_LOCALES as readonly string[]).includes(settings.defaultLocale)
      ? (settings.defaultLocale as EmailLocale)
      : "en",
  );
  // Each refused field's error as a sentence naming it, in the staff member's language.
  const writer = useErrorWriter();
  const labels: Partial<Record<keyof NotificationsForm, string>> = {
    smtpHost: t.host,
    smtpPort: t.port,
    smtpUsername: t.username,
    smtpPassword: t.password,
    fromAddress: t.from,
    defaultLocale: t.defaultLocale,
    expiryWarningDays: t.expiryWarningDays,
  };
  const errors: Partial<Record<keyof NotificationsForm, string>> = Object.fromEntries(
    Object.entries(saver.data && !saver.data.ok ? saver.data.fieldErrors : {}).map(([field, error]) => [
      field,
      errorSentence(labels[field as keyof NotificationsForm] ?? field, error, writer),
    ]),
  );
  const busy = saver.state !== "idle";

  useEffect(() => {
    if (saver.state !== "idle" || !saver.data) return;
    shopify.toast.show(saver.data.ok ? saver.data.message : saver.data.error, { isError: !saver.data.ok });
  }, [saver.state, saver.data, shopify]);

  const preview = useMemo(
    () =>
      renderEmail({
        locale: previewLocale,
        shopName,
        firstName: "Ines",
        facts: sampleFacts(previewEvent, new Date()),
        unsubscribeUrl: "#unsubscribe",
      }),
    [previewEvent, previewLocale, shopName],
  );

  const set = (key: keyof NotificationsForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const toggle = (key: keyof NotificationsForm) => (checked: boolean) =>
    setForm((f) => ({ ...f, [key]: String(checked) }));
  const submit = (intent: "save" | "test") => saver.submit({ ...form, intent }, { method: "post" });

  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="200">
            <Text as="p">{t.intro}</Text>
            {saver.data && !saver.data.ok && Object.keys(errors).length === 0 ? (
              <Banner tone="critical">{saver.data.error}</Banner>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.AnnotatedSection title={t.smtp} description={t.smtpHelp}>
          <Card>
            <FormLayout>
              <InlineGrid columns={{ xs: 1, sm: "2fr 1fr" }} gap="400">
                <TextField
                  label={t.host}
                  value={form.smtpHost}
                  onChange={set("smtpHost")}
                  error={errors.smtpHost}
                  autoComplete="off"
                />
                <TextField
                  label={t.port}
                  value={form.smtpPort}
                  onChange={set("smtpPort")}
                  error={errors.smtpPort}
                  inputMode="numeric"
                  autoComplete="off"
                />
              </InlineGrid>
              <Checkbox
                label={t.secure}
                helpText={t.secureHelp}
                checked={form.smtpSecure === "true"}
                onChange={toggle("smtpSecure")}
              />
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
                <TextField
                  label={t.username}
                  value={form.smtpUsername}
                  onChange={set("smtpUsername")}
                  error={errors.smtpUsername}
                  autoComplete="off"
                />
                <TextField
                  label={t.password}
                  type="password"
                  value={form.smtpPassword}
                  onChange={set("smtpPassword")}
                  error={errors.smtpPassword}
                  helpText={settings.hasPassword ? t.passwordSaved : t.passwordStored}
                  autoComplete="new-password"
                />
              </InlineGrid>
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
                <TextField
                  label={t.from}
                  type="email"
                  value={form.fromAddress}
                  onChange={set("fromAddress")}
                  error={errors.fromAddress}
                  autoComplete="off"
                />
                <Select
                  label={t.defaultLocale}
                  helpText={t.defaultLocaleHelp}
                  options={localeOptions}
                  value={form.defaultLocale}
                  onChange={set("defaultLocale")}
                  error={errors.defaultLocale}
                />
              </InlineGrid>
              <InlineStack gap="200">
                <Button
                  onClick={() => submit("test")}
                  loading={busy && saver.formData?.get("intent") === "test"}
                >
                  {t.sendTest}
                </Button>
              </InlineStack>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t.events} description={t.eventsHelp}>
          <Card>
            <FormLayout>
              {EMAIL_EVENTS.map((event) => (
                <Checkbox
                  key={event}
                  label={t.eventNames[event]}
                  helpText={t.eventHelp[event]}
                  checked={form[event] === "true"}
                  onChange={toggle(event)}
                />
              ))}
              <TextField
                label={t.expiryWarningDays}
                helpText={t.expiryWarningDaysHelp}
                value={form.expiryWarningDays}
                onChange={set("expiryWarningDays")}
                error={errors.expiryWarningDays}
                inputMode="numeric"
                autoComplete="off"
              />
              <InlineStack>
                <Button
                  variant="primary"
                  onClick={() => submit("save")}
                  loading={busy && saver.formData?.get("intent") === "save"}
                >
                  {t.save}
                </Button>
              </InlineStack>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t.preview} description={t.previewHelp}>
          <Card>
            <BlockStack gap="300">
              <InlineGrid columns={2} gap="400">
                <Select
                  label={t.previewEvent}
                  options={eventOptions}
                  value={previewEvent}
                  onChange={(value) => setPreviewEvent(value as EmailEvent)}
                />
                <Select
                  label={t.previewLocale}
                  options={localeOptions}
                  value={previewLocale}
                  onChange={(value) => setPreviewLocale(value as EmailLocale)}
                />
              </InlineGrid>
              <Text as="p" variant="headingSm">
                <span data-testid="preview-subject">{t.previewSubject(preview.subject)}</span>
              </Text>
              <iframe
                title={t.previewFrame}
                srcDoc={preview.html}
                sandbox=""
                style={{ width: "100%", height: 380, border: "1px solid #e1e3e5", borderRadius: 8 }}
              />
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.Section>
          <TableCard
            title={t.recent}
            empty={t.recentEmpty}
            rows={emails}
            rowId={(email) => email.id}
            headings={[
              { title: t.columns.event },
              { title: t.columns.to },
              { title: t.columns.status },
              { title: t.columns.detail },
            ]}
            cells={(email) => [
              t.eventNames[email.event as EmailEvent] ?? email.event,
              email.to ?? "",
              <Badge key="status" tone={email.status === "sent" ? "success" : undefined}>
                {t.status[email.status as keyof typeof t.status] ?? email.status}
              </Badge>,
              email.reason ? (t.reasons[email.reason] ?? email.reason) : format.dateTime(email.at),
            ]}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
