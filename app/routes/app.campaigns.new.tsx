import { useEffect, useRef, useState } from "react";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineGrid,
  Layout,
  List,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  campaignErrors,
  campaignFormDefaults,
  campaignTag,
  parseCampaignForm,
  segmentOf,
  type CampaignForm,
  type FieldErrors,
} from "../admin/campaign-form";
import { titleMeta } from "../admin/document-title";
import { useErrorWriter, useStrings } from "../admin/i18n";
import { prisma } from "../db.server";
import { findShop } from "../db/shops.server";
import { CampaignError, launchCampaign, segmentSize } from "../services/campaigns/campaigns.server";
import { adminRoute } from "../http/request-context.server";
import { statusOf } from "../http/error-statuses";

export const meta = titleMeta((s) => s.campaigns.newTitle);

/** The form's defaults and, for `?inactiveDays=&minOrders=`, how many customers that segment holds now. */
export const loader = adminRoute(async ({ shop, now }, { request }) => {
  const params = new URL(request.url).searchParams;
  const segment = segmentOf({ inactiveDays: params.get("inactiveDays"), minOrders: params.get("minOrders") });
  const [size, details] = await Promise.all([
    segmentSize(prisma, shop, segment, now()),
    findShop(prisma, shop),
  ]);
  return {
    segment,
    segmentSize: size,
    currency: details?.currencyCode ?? "",
    defaults: campaignFormDefaults(),
  };
});

type ActionResult = { ok: false; error: string; fieldErrors: FieldErrors };
const fail = (status: number, error: string, fieldErrors: FieldErrors = {}) =>
  Response.json({ ok: false, error, fieldErrors } satisfies ActionResult, { status });

export const action = adminRoute(async ({ shop, now, auth, strings }, { request }) => {
  const t = (await strings()).campaigns;
  const parsed = parseCampaignForm(Object.fromEntries(await request.formData()));
  if (!parsed.ok) return fail(422, t.fixErrors, parsed.fieldErrors);
  try {
    const { campaign } = await launchCampaign(prisma, shop, parsed.input, now());
    // A repeated POST (double click, resend) lands on the campaign the first one launched.
    return auth.redirect(`/app/campaigns/${campaign.id}`);
  } catch (error) {
    if (error instanceof CampaignError && Object.keys(error.fieldErrors).length > 0)
      return fail(statusOf(error), t.fixErrors, error.fieldErrors);
    if (error instanceof CampaignError) return fail(statusOf(error), error.message);
    throw error;
  }
});

const newKey = () => `launch-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export default function NewCampaignPage() {
  const t = useStrings().campaigns;
  const { defaults, segmentSize: initialSize, currency } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const launcher = useFetcher<ActionResult>();
  const counter = useFetcher<typeof loader>();
  // One key per form: a double click or a resent POST launches once.
  const [form, setForm] = useState<CampaignForm>(() => ({ ...defaults, idempotencyKey: newKey() }));
  // Errors found before the confirmation (in the browser), or by the server after it.
  const [checked, setChecked] = useState<FieldErrors>({});
  const fromServer: FieldErrors =
    launcher.state === "idle" && launcher.data && !launcher.data.ok ? launcher.data.fieldErrors : {};
  const errorList = campaignErrors({ ...fromServer, ...checked }, form, useErrorWriter());
  const errors: Partial<Record<keyof CampaignForm, string>> = Object.fromEntries(
    errorList.map((e) => [e.key, e.sentence]),
  );
  const banner = useRef<{ focus: () => void }>(null);
  // The banner takes the focus (and the page scrolls to it) after each refused launch.
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) banner.current?.focus();
  }, [refusals]);
  const size = counter.data?.segmentSize ?? initialSize;
  const launching = launcher.state !== "idle";
  const { load } = counter;

  // The live count follows the segment fields (after a short pause in typing).
  useEffect(() => {
    const timer = setTimeout(() => {
      load(
        `/app/campaigns/new?${new URLSearchParams({ inactiveDays: form.inactiveDays, minOrders: form.minOrders })}`,
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [form.inactiveDays, form.minOrders, load]);

  useEffect(() => {
    if (launcher.state === "idle" && launcher.data && !launcher.data.ok) banner.current?.focus();
  }, [launcher.state, launcher.data]);

  const set = (key: keyof CampaignForm) => (value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    // A field the merchant changes loses the error found before the confirmation.
    setChecked((found) => Object.fromEntries(Object.entries(found).filter(([field]) => field !== key)));
  };
  // The form is checked before the confirmation: a launch is confirmed only when it can go ahead.
  const confirm = () => {
    const parsed = parseCampaignForm(form);
    setChecked(parsed.ok ? {} : parsed.fieldErrors);
    if (parsed.ok) shopify.modal.show("launch-campaign");
    else setRefusals((n) => n + 1);
  };
  const launch = () => {
    shopify.modal.hide("launch-campaign");
    launcher.submit({ ...form }, { method: "post" });
  };
  const money = (suffix: boolean) => (suffix && currency ? currency : undefined);

  return (
    <Page title={t.newTitle} backAction={{ content: t.title, url: "/app/campaigns" }}>
      <TitleBar title={t.newTitle} />
      <Layout>
        {errorList.length > 0 ? (
          <Layout.Section>
            <Banner tone="critical" title={t.errorsTitle(errorList.length)} ref={banner}>
              <List>
                {errorList.map((error) => (
                  <List.Item key={error.key}>{error.sentence}</List.Item>
                ))}
              </List>
            </Banner>
          </Layout.Section>
        ) : launcher.state === "idle" && launcher.data && !launcher.data.ok ? (
          <Layout.Section>
            <Banner tone="critical" ref={banner}>
              {launcher.data.error}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection title={t.segment} description={t.segmentHelp}>
          <Card>
            <FormLayout>
              <InlineGrid columns={2} gap="400">
                <TextField
                  label={t.inactiveDays}
                  value={form.inactiveDays}
                  onChange={set("inactiveDays")}
                  error={errors.inactiveDays}
                  suffix={t.days}
                  inputMode="numeric"
                  autoComplete="off"
                />
                <TextField
                  label={t.minOrders}
                  value={form.minOrders}
                  onChange={set("minOrders")}
                  error={errors.minOrders}
                  inputMode="numeric"
                  autoComplete="off"
                />
              </InlineGrid>
              <Text as="p" variant="headingMd" aria-live="polite">
                {t.segmentSize(size)}
              </Text>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t.offer} description={t.offerHelp}>
          <Card>
            <FormLayout>
              <InlineGrid columns={2} gap="400">
                <Select
                  label={t.offerType}
                  options={Object.entries(t.offerTypes).map(([value, label]) => ({ value, label }))}
                  value={form.offerType}
                  onChange={set("offerType")}
                  error={errors.offerType}
                />
                <TextField
                  label={form.offerType === "PERCENTAGE" ? t.percent : t.amount}
                  value={form.value}
                  onChange={set("value")}
                  error={errors.value}
                  suffix={form.offerType === "PERCENTAGE" ? "%" : money(true)}
                  inputMode="decimal"
                  autoComplete="off"
                />
              </InlineGrid>
              <InlineGrid columns={2} gap="400">
                <TextField
                  label={t.validDays}
                  value={form.validDays}
                  onChange={set("validDays")}
                  error={errors.validDays}
                  suffix={t.days}
                  inputMode="numeric"
                  autoComplete="off"
                />
                <TextField
                  label={t.minimumSubtotal}
                  value={form.minimumSubtotal}
                  onChange={set("minimumSubtotal")}
                  error={errors.minimumSubtotal}
                  helpText={t.minimumHelp}
                  suffix={money(true)}
                  inputMode="decimal"
                  autoComplete="off"
                />
              </InlineGrid>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t.name}>
          <Card>
            <BlockStack gap="400">
              <TextField
                label={t.name}
                value={form.name}
                onChange={set("name")}
                error={errors.name ?? errors.idempotencyKey}
                helpText={t.nameHelp(campaignTag(form.name.trim() || new Date().toISOString().slice(0, 10)))}
                autoComplete="off"
              />
              <div>
                <Button variant="primary" onClick={confirm} loading={launching} disabled={size === 0}>
                  {t.launch}
                </Button>
              </div>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
      <Modal id="launch-campaign">
        <p style={{ padding: "1rem" }}>{t.launchConfirm(size)}</p>
        <TitleBar title={t.launch}>
          <button variant="primary" onClick={launch} disabled={launching}>
            {t.launch}
          </button>
          <button onClick={() => shopify.modal.hide("launch-campaign")}>{t.back}</button>
        </TitleBar>
      </Modal>
    </Page>
  );
}
