import { useEffect, useState } from "react";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { adminOrderUrl } from "../admin/admin-links";
import { titleMeta } from "../admin/document-title";
import { errorSentence } from "../admin/field-error-words";
import { useErrorWriter, useFormat, useStrings } from "../admin/i18n";
import { prisma } from "../db.server";
import { findShop } from "../db/shops.server";
import { REFERRAL_STATUSES } from "../http/error-statuses";
import { adminRoute } from "../http/request-context.server";
import { ReferralFigures } from "../admin/ReferralFigures";
import type { FieldError } from "../loyalty/field-error";
import type { ReferralSettings } from "../loyalty/referrals";
import { forgetProgramExplainer } from "../services/program/program-explainer-cache.server";
import {
  approveReferral,
  ReferralError,
  referralsPage,
  rejectReferral,
  saveReferralSettings,
} from "../services/referrals/referrals.server";

export const meta = titleMeta((s) => s.referrals.title);

export const loader = adminRoute(async ({ shop, now }) => {
  const [page, details] = await Promise.all([referralsPage(prisma, shop, now()), findShop(prisma, shop)]);
  return { ...page, currency: details?.currencyCode ?? null };
});

/** The settings' fields that can be refused, each with a code (app/loyalty/field-error.ts). */
type SettingsField = "referrerPoints" | "refereePercent" | "monthlyCap" | "rewardKey";
type FieldErrors = Partial<Record<SettingsField, FieldError>>;
/** The settings shown as checkboxes (the card check is a sentence: decision 0019). */
type CheckboxField = "enabled" | "checkSelf" | "checkAddress" | "checkNew";
type ActionResult = { ok: true; message: string } | { ok: false; error: string; fieldErrors: FieldErrors };

const answer = (result: ActionResult, status = 200) => Response.json(result, { status });

/** A whole number typed in a field; NaN (refused by the settings' schema) when it is not one. */
const whole = (value: FormDataEntryValue | undefined) =>
  typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;

export const action = adminRoute(async ({ shop, now, staffId, strings }, { request }) => {
  const t = (await strings()).referrals;
  const body = Object.fromEntries(await request.formData());
  try {
    if (body.intent === "approve") {
      await approveReferral(prisma, shop, String(body.id ?? ""), staffId, now());
      return answer({ ok: true, message: t.approved });
    }
    if (body.intent === "reject") {
      await rejectReferral(prisma, shop, String(body.id ?? ""), staffId, String(body.note ?? ""), now());
      return answer({ ok: true, message: t.rejected });
    }
    // A checked box posts "on": Polaris's Checkbox gives the input an empty value unless told
    // (the page's `checkbox` says value="on"); an unchecked box posts nothing.
    // No order field Regulars receives identifies a card (decision 0019): the card check stays off.
    const settings: ReferralSettings = {
      enabled: body.enabled === "on",
      referrerPoints: whole(body.referrerPoints),
      refereePercent: whole(body.refereePercent),
      checkSelf: body.checkSelf === "on",
      checkAddress: body.checkAddress === "on",
      checkCard: false,
      checkNew: body.checkNew === "on",
      monthlyCap: whole(body.monthlyCap),
      // "": points; else a catalog reward's key (checked by the service: it exists, is enabled).
      rewardKey: typeof body.rewardKey === "string" && body.rewardKey !== "" ? body.rewardKey : null,
    };
    await saveReferralSettings(prisma, shop, settings);
    forgetProgramExplainer(shop);
    return answer({ ok: true, message: t.saved });
  } catch (error) {
    if (!(error instanceof ReferralError)) throw error;
    const status = REFERRAL_STATUSES[error.reason];
    if (error.reason === "invalid_settings") {
      return answer({ ok: false, error: t.fixErrors, fieldErrors: error.fieldErrors }, status);
    }
    const words = { reason_required: t.reasonRequired, not_held: t.notHeld, not_found: t.notFound } as const;
    return answer(
      { ok: false, error: words[error.reason as keyof typeof words] ?? t.notFound, fieldErrors: {} },
      status,
    );
  }
});

export default function Referrals() {
  const data = useLoaderData<typeof loader>();
  const t = useStrings().referrals;
  const shopify = useAppBridge();
  const save = useFetcher<ActionResult>();
  const [form, setForm] = useState({
    ...data.settings,
    referrerPoints: String(data.settings.referrerPoints),
    refereePercent: String(data.settings.refereePercent),
    monthlyCap: String(data.settings.monthlyCap),
    rewardKey: data.settings.rewardKey ?? "",
  });
  useEffect(() => {
    if (save.state === "idle" && save.data?.ok) shopify.toast.show(save.data.message);
  }, [save.state, save.data, shopify]);
  // Each refused field's error as a sentence naming it, in the staff member's language.
  const writer = useErrorWriter();
  const labels: Record<SettingsField, string> = {
    referrerPoints: t.referrerPoints,
    refereePercent: t.refereePercent,
    monthlyCap: t.monthlyCap,
    rewardKey: t.referrerReward,
  };
  const errors: Partial<Record<SettingsField, string>> = Object.fromEntries(
    Object.entries(save.data && !save.data.ok ? save.data.fieldErrors : {}).map(([field, error]) => [
      field,
      errorSentence(labels[field as SettingsField] ?? field, error, writer),
    ]),
  );
  const set = (key: keyof typeof form) => (value: string | boolean) =>
    setForm((f) => ({ ...f, [key]: value }));
  // A setting's box posts "on" when checked and nothing when not, as the action reads it.
  const checkbox = (field: CheckboxField, label: string, helpText?: string) => (
    <Checkbox
      label={label}
      helpText={helpText}
      name={field}
      value="on"
      checked={form[field]}
      onChange={set(field)}
    />
  );
  const figures = data.figures;

  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      <Layout>
        <Layout.Section>
          <Text as="p">{t.intro}</Text>
        </Layout.Section>
        <Layout.Section>
          <Text as="h2" variant="headingMd">
            {t.figures}
          </Text>
          <ReferralFigures figures={figures} currency={data.currency} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.queue}
              </Text>
              {data.queue.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t.queueEmpty}
                </Text>
              ) : (
                data.queue.map((row) => <HeldReferral key={row.id} row={row} currency={data.currency} />)
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <save.Form method="post">
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t.settings}
                </Text>
                {save.data && !save.data.ok ? <Banner tone="critical">{save.data.error}</Banner> : null}
                {checkbox("enabled", t.enabled, t.enabledHelp)}
                <Select
                  label={t.referrerReward}
                  name="rewardKey"
                  helpText={form.rewardKey ? t.referrerRewardHelp : undefined}
                  options={[
                    { value: "", label: t.referrerRewardPoints },
                    ...data.rewardChoices.map((reward) => ({ value: reward.key, label: reward.title })),
                    // A saved reward since disabled: still shown, so the form says what is saved.
                    ...(form.rewardKey && !data.rewardChoices.some((reward) => reward.key === form.rewardKey)
                      ? [{ value: form.rewardKey, label: form.rewardKey }]
                      : []),
                  ]}
                  value={form.rewardKey}
                  onChange={set("rewardKey")}
                  error={errors.rewardKey}
                />
                <FormLayout.Group>
                  <TextField
                    label={t.referrerPoints}
                    name="referrerPoints"
                    inputMode="numeric"
                    autoComplete="off"
                    value={form.referrerPoints}
                    onChange={set("referrerPoints")}
                    error={errors.referrerPoints}
                  />
                  <TextField
                    label={t.refereePercent}
                    name="refereePercent"
                    inputMode="numeric"
                    autoComplete="off"
                    value={form.refereePercent}
                    onChange={set("refereePercent")}
                    error={errors.refereePercent}
                  />
                </FormLayout.Group>
                <Text as="h3" variant="headingSm">
                  {t.checks}
                </Text>
                <Text as="p" tone="subdued">
                  {t.checksHelp} {t.oneEach}
                </Text>
                {checkbox("checkSelf", t.checkSelf)}
                {checkbox("checkAddress", t.checkAddress)}
                {/* Not a disabled checkbox: Polaris greys its help text below WCAG's contrast. */}
                <Text as="p" tone="subdued">
                  {t.checkCard}: {t.checkCardUnavailable}
                </Text>
                {checkbox("checkNew", t.checkNew)}
                <TextField
                  label={t.monthlyCap}
                  name="monthlyCap"
                  inputMode="numeric"
                  autoComplete="off"
                  value={form.monthlyCap}
                  onChange={set("monthlyCap")}
                  error={errors.monthlyCap}
                />
                <Button submit variant="primary" loading={save.state !== "idle"}>
                  {t.save}
                </Button>
              </FormLayout>
            </save.Form>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type Held = ReturnType<typeof useLoaderData<typeof loader>>["queue"][number];

function HeldReferral({ row, currency }: { row: Held; currency: string | null }) {
  const t = useStrings().referrals;
  const format = useFormat();
  const shopify = useAppBridge();
  const decide = useFetcher<ActionResult>();
  const [note, setNote] = useState("");
  // Said while the page reloads its data (the fetcher's "loading"): once it has, a decided
  // referral leaves the queue and this row is gone, so "idle" would never be seen here.
  useEffect(() => {
    if (decide.state === "loading" && decide.data?.ok) shopify.toast.show(decide.data.message);
  }, [decide.state, decide.data, shopify]);
  const orderUrl = adminOrderUrl(row.orderGid);
  return (
    <Card background="bg-surface-secondary">
      <BlockStack gap="200">
        <InlineStack gap="200" align="space-between">
          <Text as="p">
            {t.columns.friend}: <strong>{row.refereeEmail}</strong> · {t.columns.member}:{" "}
            {row.referrer ? (row.referrer.name ?? row.referrer.email ?? "—") : "—"}
          </Text>
          <Text as="p">
            {t.columns.order}:{" "}
            {orderUrl ? (
              <a href={orderUrl}>{format.money(row.revenue, currency)}</a>
            ) : (
              format.money(row.revenue, currency)
            )}
          </Text>
        </InlineStack>
        <InlineStack gap="100">
          {row.holdReasons.map((reason) => (
            <Badge key={reason} tone="attention">
              {t.reasons[reason] ?? reason}
            </Badge>
          ))}
        </InlineStack>
        {decide.data && !decide.data.ok ? <Banner tone="critical">{decide.data.error}</Banner> : null}
        <InlineStack gap="200" blockAlign="end">
          <Button
            variant="primary"
            loading={decide.state !== "idle"}
            onClick={() => decide.submit({ intent: "approve", id: row.id }, { method: "post" })}
          >
            {t.approve}
          </Button>
          <TextField label={t.rejectReason} value={note} onChange={setNote} autoComplete="off" />
          <Button
            tone="critical"
            disabled={decide.state !== "idle"}
            onClick={() => decide.submit({ intent: "reject", id: row.id, note }, { method: "post" })}
          >
            {t.reject}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
