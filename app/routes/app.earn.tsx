/**
 * Ways to earn (docs/decisions/0023-points-for-actions.md): each rule's on/off, points, limit and,
 * for a social follow, its link; and the review API's secret (generated or replaced here, shown
 * once, kept sealed).
 */
import { useEffect, useState } from "react";
import { Link as RemixLink, useFetcher, useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  FormLayout,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { titleMeta } from "../admin/document-title";
import { errorSentence } from "../admin/field-error-words";
import { useErrorWriter, useFormat, useStrings } from "../admin/i18n";
import { prisma } from "../db.server";
import { env } from "../env.server";
import { adminRoute } from "../http/request-context.server";
import {
  allowedLimits,
  EARN_RULE_KEYS,
  isFollowRule,
  type EarnRuleInput,
  type EarnRuleKey,
} from "../loyalty/earn-rules";
import type { FieldErrors } from "../loyalty/field-error";
import { earnRules, saveEarnRules } from "../services/actions/earn-actions.server";
import { reviewSecretHint, rotateReviewSecret } from "../services/actions/review-api.server";
import { SettingsError } from "../services/program/program-settings.server";

export const meta = titleMeta((s) => s.earn.title);

export const loader = adminRoute(async ({ shop }) => {
  const [rules, secret] = await Promise.all([earnRules(prisma, shop), reviewSecretHint(prisma, shop)]);
  return {
    rules: rules.map(({ enabledAt: _enabledAt, ...rule }) => rule),
    secret,
    endpoint: `${env.SHOPIFY_APP_URL}/api/actions/review`,
  };
});

type ActionResult =
  { ok: true; message: string; secret?: string } | { ok: false; error: string; fieldErrors: FieldErrors };

/** A whole number typed in a field; NaN (refused by the rules' check) when it is not one. */
const whole = (value: FormDataEntryValue | null) =>
  typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN;

export const action = adminRoute(async ({ shop, now, strings }, { request }) => {
  const t = (await strings()).earn;
  const form = await request.formData();
  if (form.get("intent") === "rotate") {
    const secret = await rotateReviewSecret(prisma, shop);
    return Response.json({ ok: true, message: t.rotated, secret } satisfies ActionResult);
  }
  const input: Partial<Record<EarnRuleKey, EarnRuleInput>> = {};
  for (const key of EARN_RULE_KEYS) {
    if (form.get(`${key}.points`) === null) continue;
    const url = form.get(`${key}.url`);
    input[key] = {
      // A ticked checkbox is sent (Polaris's with an empty value), an unticked one is not.
      enabled: form.has(`${key}.enabled`),
      points: whole(form.get(`${key}.points`)),
      limit: String(form.get(`${key}.limit`) ?? "ONCE") as EarnRuleInput["limit"],
      url: typeof url === "string" && url.trim() !== "" ? url : null,
    };
  }
  try {
    await saveEarnRules(prisma, shop, input, now());
    return Response.json({ ok: true, message: t.saved } satisfies ActionResult);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    return Response.json(
      { ok: false, error: t.fixErrors, fieldErrors: error.fieldErrors } satisfies ActionResult,
      {
        status: 422,
      },
    );
  }
});

type Rule = ReturnType<typeof useLoaderData<typeof loader>>["rules"][number];

export default function WaysToEarn() {
  const data = useLoaderData<typeof loader>();
  const t = useStrings().earn;
  const format = useFormat();
  const writer = useErrorWriter();
  const shopify = useAppBridge();
  const save = useFetcher<ActionResult>();
  const rotate = useFetcher<ActionResult>();
  const [rules, setRules] = useState(() =>
    data.rules.map((rule) => ({ ...rule, points: String(rule.points), url: rule.url ?? "" })),
  );
  useEffect(() => {
    if (save.state === "idle" && save.data?.ok) shopify.toast.show(save.data.message);
  }, [save.state, save.data, shopify]);
  useEffect(() => {
    if (rotate.state === "idle" && rotate.data?.ok) shopify.toast.show(rotate.data.message);
  }, [rotate.state, rotate.data, shopify]);
  const fieldErrors = save.data && !save.data.ok ? save.data.fieldErrors : {};
  const errorOf = (key: string, field: "points" | "limit" | "url", label: string) => {
    const error = fieldErrors[`${key}.${field}`];
    return error ? errorSentence(`${t.rules[key] ?? key}: ${label}`, error, writer) : undefined;
  };
  const set = (index: number, field: "enabled" | "points" | "limit" | "url") => (value: string | boolean) =>
    setRules((list) => list.map((rule, i) => (i === index ? { ...rule, [field]: value } : rule)));
  const shownSecret = rotate.data?.ok ? rotate.data.secret : undefined;

  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="200">
            <Text as="p">{t.intro}</Text>
            <RemixLink to="/app/program">{t.programLink}</RemixLink>
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <save.Form method="post">
            <BlockStack gap="400">
              {save.data && !save.data.ok ? <Banner tone="critical">{save.data.error}</Banner> : null}
              {rules.map((rule, index) => (
                <RuleCard
                  key={rule.key}
                  rule={rule}
                  set={(field) => set(index, field)}
                  errorOf={(field, label) => errorOf(rule.key, field, label)}
                />
              ))}
              <Box>
                <Button submit variant="primary" loading={save.state !== "idle"}>
                  {t.save}
                </Button>
              </Box>
            </BlockStack>
          </save.Form>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.apiTitle}
              </Text>
              <Text as="p" tone="subdued">
                {t.apiHelp}
              </Text>
              <TextField
                label={t.endpoint}
                value={data.endpoint}
                readOnly
                autoComplete="off"
                onChange={() => {}}
              />
              {shownSecret ? (
                <Banner tone="warning">
                  <BlockStack gap="100">
                    <Text as="p">{t.secretShown}</Text>
                    <Text as="p" fontWeight="semibold" breakWord>
                      <code>{shownSecret}</code>
                    </Text>
                  </BlockStack>
                </Banner>
              ) : null}
              <Text as="p">
                {data.secret
                  ? t.secretHint(data.secret.hint, format.dateTime(data.secret.createdAt))
                  : t.secretNone}
              </Text>
              <rotate.Form method="post">
                <input type="hidden" name="intent" value="rotate" />
                <Button submit loading={rotate.state !== "idle"}>
                  {data.secret ? t.rotate : t.generate}
                </Button>
              </rotate.Form>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type EditedRule = Omit<Rule, "points" | "url"> & { points: string; url: string };

function RuleCard({
  rule,
  set,
  errorOf,
}: {
  rule: EditedRule;
  set: (field: "enabled" | "points" | "limit" | "url") => (value: string | boolean) => void;
  errorOf: (field: "points" | "limit" | "url", label: string) => string | undefined;
}) {
  const t = useStrings().earn;
  const key = rule.key as EarnRuleKey;
  const follow = isFollowRule(key);
  const limits = allowedLimits(key);
  const help = follow ? t.help.follow : key === "newsletter" ? t.help.newsletter : t.help.review;
  return (
    <Card>
      <FormLayout>
        <Text as="h2" variant="headingMd">
          {t.rules[key] ?? key}
        </Text>
        <Text as="p" tone="subdued">
          {help}
        </Text>
        <Checkbox
          label={t.enabled}
          name={`${key}.enabled`}
          checked={rule.enabled}
          onChange={set("enabled")}
        />
        <FormLayout.Group>
          <TextField
            label={t.points}
            name={`${key}.points`}
            inputMode="numeric"
            autoComplete="off"
            value={rule.points}
            onChange={set("points")}
            error={errorOf("points", t.points)}
          />
          {limits.length > 1 ? (
            <Select
              label={t.limit}
              name={`${key}.limit`}
              options={limits.map((limit) => ({ label: t.limits[limit] ?? limit, value: limit }))}
              value={rule.limit}
              onChange={set("limit")}
              error={errorOf("limit", t.limit)}
            />
          ) : (
            <>
              <input type="hidden" name={`${key}.limit`} value="ONCE" />
              <TextField
                label={t.limit}
                value={t.limits.ONCE ?? "ONCE"}
                readOnly
                disabled
                autoComplete="off"
                onChange={() => {}}
              />
            </>
          )}
        </FormLayout.Group>
        {follow ? (
          <TextField
            label={t.url}
            name={`${key}.url`}
            type="url"
            autoComplete="off"
            placeholder="https://"
            value={rule.url}
            onChange={set("url")}
            error={errorOf("url", t.url)}
          />
        ) : null}
      </FormLayout>
    </Card>
  );
}
