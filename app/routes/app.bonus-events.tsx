import { useEffect, useState } from "react";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
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
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { titleMeta } from "../admin/document-title";
import { errorSentence } from "../admin/field-error-words";
import { useErrorWriter, useFormat, useStrings } from "../admin/i18n";
import { prisma } from "../db.server";
import { adminRoute } from "../http/request-context.server";
import type { BonusEventErrors, BonusEventInput } from "../loyalty/bonus-events";
import {
  bonusEventsPage,
  collectionFinder,
  collectionsOffer,
  endBonusEventNow,
  saveBonusEvent,
  type BonusEventRow,
} from "../services/bonus-events/bonus-events.server";
import { forgetProgramExplainer } from "../services/program/program-explainer-cache.server";
import { EventScopeFields } from "../admin/EventScopeFields";

export const meta = titleMeta((s) => s.bonusEvents.title);

/** The page, and the collections an event can be limited to (none without read_products). */
export const loader = adminRoute(async ({ shop, now, admin }) => {
  const [page, offer] = await Promise.all([
    bonusEventsPage(prisma, shop, now()),
    collectionsOffer(prisma, admin, shop),
  ]);
  return { ...page, collectionsOffer: offer };
});

type ActionResult =
  { ok: true; message: string } | { ok: false; error: string; fieldErrors: BonusEventErrors };
const answer = (result: ActionResult, status = 200) => Response.json(result, { status });
const text = (value: FormDataEntryValue | undefined) => (typeof value === "string" ? value : "");

export const action = adminRoute(async ({ shop, now, strings, admin }, { request }) => {
  const t = (await strings()).bonusEvents;
  const body = Object.fromEntries(await request.formData());
  const id = text(body.id) || null;
  if (body.intent === "end") {
    const ended = id ? await endBonusEventNow(prisma, shop, id, now()) : false;
    if (ended) forgetProgramExplainer(shop);
    return ended
      ? answer({ ok: true, message: t.ended })
      : answer({ ok: false, error: t.notOpen, fieldErrors: {} }, 409);
  }
  const input: BonusEventInput = {
    name: text(body.name),
    startsOn: text(body.startsOn),
    endsOn: text(body.endsOn),
    kind: text(body.kind),
    multiplier: text(body.multiplier),
    fixedPoints: text(body.fixedPoints),
    scope: text(body.scope),
    collections: text(body.collections),
  };
  // The chosen collections are checked with Shopify, when the shop lets Regulars read them.
  const find = await collectionFinder(prisma, admin, shop);
  const saved = await saveBonusEvent(prisma, shop, input, id, now(), find);
  if (!saved.ok) {
    const closed = saved.errors.form?.code === "invalid";
    return answer(
      { ok: false, error: closed ? t.notOpen : t.fixErrors, fieldErrors: closed ? {} : saved.errors },
      closed ? 409 : 422,
    );
  }
  // The storefront's program explainer names the running events.
  forgetProgramExplainer(shop);
  return answer({ ok: true, message: t.saved });
});

type Form = BonusEventInput & { id: string; [field: string]: string };

const blank = (today: string): Form => ({
  id: "",
  name: "",
  startsOn: today,
  endsOn: today,
  kind: "MULTIPLIER",
  multiplier: "2",
  fixedPoints: "",
  scope: "ALL",
  collections: "",
});

const FIELDS = [
  "form",
  "name",
  "startsOn",
  "endsOn",
  "kind",
  "multiplier",
  "fixedPoints",
  "scope",
  "collections",
] as const;

export default function BonusEvents() {
  const data = useLoaderData<typeof loader>();
  const t = useStrings().bonusEvents;
  const format = useFormat();
  const writer = useErrorWriter();
  const shopify = useAppBridge();
  const save = useFetcher<ActionResult>();
  const [form, setForm] = useState<Form>(() => blank(data.today));
  useEffect(() => {
    if (save.state === "idle" && save.data?.ok) shopify.toast.show(save.data.message);
  }, [save.state, save.data, shopify]);
  // A saved or ended event empties the form (state adjusted while rendering, once per answer).
  const [answered, setAnswered] = useState(save.data);
  if (save.state === "idle" && save.data !== answered) {
    setAnswered(save.data);
    if (save.data?.ok) setForm(blank(data.today));
  }
  const refused = save.state === "idle" && save.data && !save.data.ok ? save.data : null;
  const fieldErrors = refused?.fieldErrors ?? {};
  const errors = FIELDS.flatMap((key) => {
    const error = fieldErrors[key];
    return error ? [{ key, sentence: errorSentence(t.errorFields[key] ?? "", error, writer) }] : [];
  });
  const errorOf = (key: (typeof FIELDS)[number]) => errors.find((e) => e.key === key)?.sentence;
  const set = (key: keyof Form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const day = (value: string) => format.day(value);
  const edit = (event: BonusEventRow) =>
    setForm({
      id: event.id,
      name: event.name,
      startsOn: event.startsOn,
      endsOn: event.endsOn,
      kind: event.kind,
      multiplier: event.multiplier,
      fixedPoints: event.fixedPoints === null ? "" : String(event.fixedPoints),
      scope: event.collections.length > 0 ? "COLLECTIONS" : "ALL",
      collections: event.collections.map((collection) => collection.id).join(","),
    });
  const busy = save.state !== "idle";

  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      <Layout>
        <Layout.Section>
          <Text as="p">{t.intro}</Text>
        </Layout.Section>
        {refused ? (
          <Layout.Section>
            <Banner tone="critical" title={errors.length > 0 ? t.errorsTitle(errors.length) : refused.error}>
              {errors.length > 0 ? (
                <List>
                  {errors.map((e) => (
                    <List.Item key={e.key}>{e.sentence}</List.Item>
                  ))}
                </List>
              ) : null}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection
          title={form.id ? t.editEvent : t.newEvent}
          description={t.timeZone(data.timeZone)}
        >
          <Card>
            <FormLayout>
              <TextField
                label={t.name}
                value={form.name}
                onChange={set("name")}
                error={errorOf("name")}
                helpText={t.nameHelp}
                maxLength={60}
                autoComplete="off"
              />
              <InlineGrid columns={2} gap="400">
                <TextField
                  label={t.startsOn}
                  type="date"
                  value={form.startsOn}
                  onChange={set("startsOn")}
                  error={errorOf("startsOn")}
                  autoComplete="off"
                />
                <TextField
                  label={t.endsOn}
                  type="date"
                  value={form.endsOn}
                  onChange={set("endsOn")}
                  error={errorOf("endsOn")}
                  autoComplete="off"
                />
              </InlineGrid>
              <InlineGrid columns={2} gap="400">
                <Select
                  label={t.kind}
                  options={Object.entries(t.kinds).map(([value, label]) => ({ value, label }))}
                  value={form.kind}
                  onChange={set("kind")}
                  error={errorOf("kind")}
                />
                {form.kind === "FIXED" ? (
                  <TextField
                    label={t.fixedPoints}
                    value={form.fixedPoints}
                    onChange={set("fixedPoints")}
                    error={errorOf("fixedPoints")}
                    helpText={t.fixedHelp}
                    inputMode="numeric"
                    autoComplete="off"
                  />
                ) : (
                  <TextField
                    label={t.multiplier}
                    value={form.multiplier}
                    onChange={set("multiplier")}
                    error={errorOf("multiplier")}
                    helpText={t.multiplierHelp}
                    prefix="x"
                    inputMode="decimal"
                    autoComplete="off"
                  />
                )}
              </InlineGrid>
              <EventScopeFields
                offer={data.collectionsOffer}
                scope={form.scope ?? "ALL"}
                collections={form.collections ?? ""}
                onScope={set("scope")}
                onCollections={set("collections")}
                scopeError={errorOf("scope")}
                collectionsError={errorOf("collections")}
              />
              <InlineStack gap="200">
                <Button
                  variant="primary"
                  loading={busy}
                  onClick={() => save.submit({ ...form }, { method: "post" })}
                >
                  {t.save}
                </Button>
                {form.id ? <Button onClick={() => setForm(blank(data.today))}>{t.cancel}</Button> : null}
              </InlineStack>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.title}
              </Text>
              {data.events.length === 0 ? <Text as="p">{t.none}</Text> : null}
              {data.events.map((event) => (
                <InlineStack key={event.id} align="space-between" blockAlign="center" gap="200">
                  <BlockStack gap="100">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="h3" variant="headingSm">
                        {event.name}
                      </Text>
                      <Badge tone={event.status === "running" ? "success" : undefined}>
                        {t.statuses[event.status]}
                      </Badge>
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {t.size(event.kind, event.multiplier, event.fixedPoints ?? 0)}
                      {event.collections.length > 0
                        ? ` ${t.onCollections(event.collections.map((c) => c.title).join(", "))}`
                        : ""}{" "}
                      · {t.days(day(event.startsOn), day(event.endsOn))}
                      {event.endedEarly ? ` (${t.endedEarly})` : ""}
                    </Text>
                  </BlockStack>
                  {event.status === "ended" ? null : (
                    <InlineStack gap="200">
                      <Button onClick={() => edit(event)} accessibilityLabel={`${t.edit}: ${event.name}`}>
                        {t.edit}
                      </Button>
                      <Button
                        tone="critical"
                        loading={busy}
                        accessibilityLabel={`${t.end}: ${event.name}`}
                        onClick={() => save.submit({ intent: "end", id: event.id }, { method: "post" })}
                      >
                        {t.end}
                      </Button>
                    </InlineStack>
                  )}
                </InlineStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
