import { useEffect, useMemo, useRef, useState } from "react";
import { useFetcher, useLoaderData, type FetcherWithComponents } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { Modal, SaveBar, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import {
  earnExample,
  keyFromTitle,
  programFormSchema,
  type ProgramForm,
  type TierForm,
} from "../admin/program-form";
import { programErrors } from "../admin/program-errors";
import { RewardsEditor } from "../admin/RewardsEditor";
import { titleMeta } from "../admin/document-title";
import { useErrorWriter, useFormat, useStrings } from "../admin/i18n";
import type { FieldErrors } from "../loyalty/field-error";
import { freeRewardRefusal } from "../loyalty/rewards";
import { prisma } from "../db.server";
import { programPage, saveProgram, type SaveResult } from "../services/program/program-page.server";
import { adminRoute } from "../http/request-context.server";
import { REFUSAL_STATUSES } from "../http/error-statuses";

export const meta = titleMeta((s) => s.program.title);

export const loader = adminRoute(async ({ shop }) => {
  return programPage(prisma, shop);
});

export const action = adminRoute(async ({ shop, now, strings }, { request }) => {
  const t = (await strings()).program;
  const parsed = programFormSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    // Not what the page posts (an old tab, a hand-made request): nothing the merchant can fix field by field.
    return Response.json({ ok: false, fieldErrors: {}, message: t.notUnderstood } satisfies ActionData, {
      status: 422,
    });
  }
  const result: SaveResult = await saveProgram(prisma, shop, parsed.data, now());
  if (!result.ok && "notFound" in result) {
    return Response.json({ ok: false, fieldErrors: {}, message: t.rewardNotFound } satisfies ActionData, {
      status: REFUSAL_STATUSES.reward_not_in_catalog,
    });
  }
  return Response.json(result, { status: result.ok ? 200 : 422 });
});

export default function ProgramPage() {
  const t = useStrings().program;
  const data = useLoaderData<typeof loader>();
  // The fetcher and its toast live here: a save reloads the program, which
  // remounts the editor (below) and would drop an editor-owned fetcher's answer.
  const shopify = useAppBridge();
  const fetcher = useFetcher<ActionData>();
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    // Errors show on the page (a banner listing them, each under its field), not in a toast.
    if (fetcher.data.ok) {
      shopify.toast.show(fetcher.data.tierChanges > 0 ? t.savedWithMoves(fetcher.data.tierChanges) : t.saved);
    }
  }, [fetcher.state, fetcher.data, shopify, t]);
  // A fresh editor whenever the saved program changes (after a save, the loader reloads it).
  return <ProgramEditor key={JSON.stringify(data.form)} {...data} fetcher={fetcher} />;
}

/** A refusal: each field's error as a code the page words, or a message for the page as a whole. */
type ActionData =
  { ok: true; tierChanges: number } | { ok: false; fieldErrors: FieldErrors; message?: string };

function ProgramEditor({
  form: saved,
  membersByTier,
  codesByReward,
  storeCredit,
  fetcher,
}: Awaited<ReturnType<typeof loader>> & { fetcher: FetcherWithComponents<ActionData> }) {
  const t = useStrings().program;
  const shopify = useAppBridge();
  const [form, setForm] = useState<ProgramForm>(saved);
  const [removing, setRemoving] = useState<number | null>(null);
  const dirty = useMemo(() => JSON.stringify(form) !== JSON.stringify(saved), [form, saved]);
  const failed = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data : null;
  // Each error as a sentence naming its field, shown under the field and listed in the banner.
  const writer = useErrorWriter();
  const format = useFormat();
  const errorList = useMemo(
    () => [
      ...(failed?.message ? [{ key: "form", sentence: failed.message }] : []),
      ...(failed ? programErrors(failed.fieldErrors, form, writer) : []),
    ],
    [failed, form, writer],
  );
  const errors: Record<string, string> = Object.fromEntries(errorList.map((e) => [e.key, e.sentence]));
  const saving = fetcher.state !== "idle";
  // After a save with errors, the banner takes the focus (and the page scrolls to it), as in Shopify's admin.
  const banner = useRef<{ focus: () => void }>(null);
  useEffect(() => {
    if (failed) banner.current?.focus();
  }, [failed]);

  const set =
    <K extends keyof ProgramForm>(key: K) =>
    (value: ProgramForm[K]) =>
      setForm((f) => ({ ...f, [key]: value }));
  const setTier = (index: number, patch: Partial<TierForm>) =>
    setForm((f) => ({ ...f, tiers: f.tiers.map((tier, i) => (i === index ? { ...tier, ...patch } : tier)) }));
  const save = () => fetcher.submit(JSON.stringify(form), { method: "post", encType: "application/json" });
  const example = earnExample(form);
  const removingTier = removing === null ? null : form.tiers[removing];

  const text = (key: keyof ProgramForm, label: string, help?: string, suffix?: string) => (
    <TextField
      label={label}
      value={form[key] as string}
      onChange={set(key) as (value: string) => void}
      error={errors[key]}
      helpText={help}
      suffix={suffix}
      autoComplete="off"
      inputMode="decimal"
    />
  );
  const check = (key: keyof ProgramForm, label: string) => (
    <Checkbox label={label} checked={form[key] as boolean} onChange={set(key) as (value: boolean) => void} />
  );

  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      <SaveBar id="program-save-bar" open={dirty}>
        <button variant="primary" onClick={save} disabled={saving}>
          {t.save}
        </button>
        <button onClick={() => setForm(saved)}>{t.discard}</button>
      </SaveBar>
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
        ) : null}
        <Layout.AnnotatedSection title={t.earning} description={t.earningHelp}>
          <Card>
            <FormLayout>
              {check("active", t.active)}
              {text("earnRate", t.earnRate)}
              {example ? (
                <Text as="p" tone="subdued">
                  {t.earnExample(
                    format.number(Number(example.orderTotal), { minimum: 2, maximum: 2 }),
                    format.number(example.points),
                    example.top?.name ?? null,
                    format.number(example.top?.points ?? 0),
                  )}
                </Text>
              ) : null}
              <BlockStack gap="100">
                <Text as="p">{t.includes}</Text>
                <InlineStack gap="400">
                  {check("includeShipping", t.includeShipping)}
                  {check("includeTax", t.includeTax)}
                  {check("includeTips", t.includeTips)}
                  {check("includeGiftCards", t.includeGiftCards)}
                </InlineStack>
              </BlockStack>
              <FormLayout.Group>
                {text("pendingDays", t.pendingDays, t.pendingHelp)}
                {text("expiryMonths", t.expiryMonths, t.expiryHelp)}
                {text("expiryWarningDays", t.expiryWarningDays)}
              </FormLayout.Group>
              <FormLayout.Group>
                {text("signupBonus", t.signupBonus)}
                {text("birthdayBonus", t.birthdayBonus)}
              </FormLayout.Group>
              {check("returnPointsOnCancel", t.returnPointsOnCancel)}
              {check("returnPointsOnExpiry", t.returnPointsOnExpiry)}
              {check("earnOnPos", t.earnOnPos)}
              <TextField
                label={t.excludedTags}
                value={form.excludedTags}
                onChange={set("excludedTags") as (value: string) => void}
                error={errors.excludedTags}
                helpText={t.excludedTagsHelp}
                placeholder="wholesale, staff"
                autoComplete="off"
              />
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t.tiers} description={t.tiersHelp}>
          <Card>
            <BlockStack gap="400">
              <FormLayout.Group>
                <Select
                  label={t.tierBasis}
                  options={Object.entries(t.tierBasisOptions).map(([value, label]) => ({ value, label }))}
                  value={form.tierBasis}
                  onChange={(value) => set("tierBasis")(value as ProgramForm["tierBasis"])}
                />
                <Select
                  label={t.tierWindow}
                  options={Object.entries(t.tierWindowOptions).map(([value, label]) => ({ value, label }))}
                  value={form.tierWindow}
                  onChange={(value) => set("tierWindow")(value as ProgramForm["tierWindow"])}
                />
              </FormLayout.Group>
              {check("tierGrace", t.tierGrace)}
              {text("tierTagPrefix", t.tierTagPrefix, t.tierTagHelp)}
              {form.tiers.map((tier, i) => (
                <InlineGrid
                  key={tier.key || `new-${i}`}
                  columns={{ xs: 1, md: "2fr 1fr 1fr 2fr auto" }}
                  gap="200"
                >
                  <TextField
                    label={t.tierName}
                    value={tier.name}
                    onChange={(name) => setTier(i, { name })}
                    error={errors[`tiers.${i}.name`]}
                    autoComplete="off"
                  />
                  <TextField
                    label={t.tierThreshold}
                    value={tier.threshold}
                    onChange={(threshold) => setTier(i, { threshold })}
                    error={errors[`tiers.${i}.threshold`]}
                    autoComplete="off"
                    inputMode="decimal"
                  />
                  <TextField
                    label={t.tierMultiplier}
                    value={tier.multiplier}
                    onChange={(multiplier) => setTier(i, { multiplier })}
                    error={errors[`tiers.${i}.multiplier`]}
                    autoComplete="off"
                    inputMode="decimal"
                  />
                  <Select
                    label={t.tierEntryReward}
                    options={[
                      { value: "", label: t.noEntryReward },
                      // Rewards that can be given free (freeRewardRefusal); one chosen before stays listed,
                      // so the save's error points at it.
                      ...form.rewards.flatMap((reward) => {
                        const key = reward.key || keyFromTitle(reward.title);
                        const offered =
                          !freeRewardRefusal({ spendAnyAmount: reward.anyAmount }) ||
                          key === tier.entryRewardKey;
                        return key && offered ? [{ value: key, label: reward.title || key }] : [];
                      }),
                    ]}
                    value={tier.entryRewardKey}
                    onChange={(entryRewardKey) => setTier(i, { entryRewardKey })}
                    error={errors[`tiers.${i}.entryRewardKey`]}
                  />
                  <div style={{ alignSelf: "end" }}>
                    <Button
                      tone="critical"
                      variant="plain"
                      disabled={form.tiers.length === 1}
                      onClick={() => {
                        setRemoving(i);
                        shopify.modal.show("remove-tier");
                      }}
                    >
                      {t.removeTier}
                    </Button>
                  </div>
                </InlineGrid>
              ))}
              <InlineStack>
                <Button
                  onClick={() =>
                    setForm((f) => ({
                      ...f,
                      tiers: [
                        ...f.tiers,
                        { key: "", name: "", threshold: "", multiplier: "1", entryRewardKey: "" },
                      ],
                    }))
                  }
                >
                  {t.addTier}
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t.rewards} description={t.rewardsHelp}>
          <Card>
            <RewardsEditor
              rewards={form.rewards}
              tiers={form.tiers}
              errors={errors}
              codesByReward={codesByReward}
              storeCredit={storeCredit}
              onChange={(rewards) => setForm((f) => ({ ...f, rewards }))}
              onRemove={(index) =>
                setForm((f) => {
                  const key = f.rewards[index]?.key;
                  return {
                    ...f,
                    rewards: f.rewards.filter((_, i) => i !== index),
                    tiers: f.tiers.map((tier) =>
                      key && tier.entryRewardKey === key ? { ...tier, entryRewardKey: "" } : tier,
                    ),
                  };
                })
              }
            />
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
      <Modal id="remove-tier">
        <p style={{ padding: "1rem" }}>
          {removingTier
            ? t.removeBody(
                membersByTier[removingTier.key] ?? 0,
                form.tiers[Math.max(0, (removing ?? 1) - 1)]?.name ?? "",
              )
            : null}
        </p>
        <TitleBar title={removingTier ? t.removeTitle(removingTier.name || "this tier") : ""}>
          <button
            variant="primary"
            tone="critical"
            onClick={() => {
              setForm((f) => {
                const key = f.tiers[removing ?? -1]?.key;
                return {
                  ...f,
                  tiers: f.tiers.filter((_, i) => i !== removing),
                  // A reward limited to the removed tier is no longer limited to it.
                  rewards: f.rewards.map((reward) => ({
                    ...reward,
                    tierKeys: reward.tierKeys.filter((tierKey) => tierKey !== key),
                  })),
                };
              });
              setRemoving(null);
              shopify.modal.hide("remove-tier");
            }}
          >
            {t.removeTier}
          </button>
          <button onClick={() => shopify.modal.hide("remove-tier")}>{t.cancel}</button>
        </TitleBar>
      </Modal>
    </Page>
  );
}
