import { useEffect, useState, type FormEvent } from "react";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import type { BackfillRun } from "@prisma/client";
import { z } from "zod";
import { titleMeta } from "../admin/document-title";
import { errorSentence } from "../admin/field-error-words";
import { useErrorWriter, useFormat, useStrings } from "../admin/i18n";
import { fieldErrorsOf, issue, type FieldErrors } from "../loyalty/field-error";
import { TableCard } from "../admin/TableCard";
import { prisma } from "../db.server";
import { recentBackfills } from "../db/backfill-runs.server";
import { findShop } from "../db/shops.server";
import {
  BackfillError,
  cancelBackfill,
  checkOrderAccess,
  startBackfill,
} from "../services/orders/backfill.server";
import { AdminApiError } from "../shopify/admin-api/admin-client.server";
import { grantsScopes } from "../loyalty/granted-scopes";
import { READ_ALL_ORDERS, recentOrdersFrom } from "../shopify/admin-api/order-access";
import { adminRoute } from "../http/request-context.server";
import { statusOf } from "../http/error-statuses";

export const meta = titleMeta((s) => s.backfill.title);
/** A running backfill not touched for this long has lost its job: queue it again. */
const STALE_MS = 2 * 60_000;

const view = (run: BackfillRun) => ({
  id: run.id,
  from: run.fromDate.toISOString().slice(0, 10),
  // The stored end is exclusive (the day after the last day chosen).
  to: new Date(run.toDate.getTime() - 86_400_000).toISOString().slice(0, 10),
  status: run.status,
  active: run.activeSlot !== null,
  ordersTotal: run.ordersTotal,
  // While Shopify's file is read (its orders staged), before they are credited.
  reading: run.status === "PROCESSING" && run.fileReadAt === null,
  ordersRead: run.ordersRead,
  ordersDone: run.ordersDone,
  ordersCredited: run.ordersCredited,
  pointsAwarded: run.pointsAwarded,
  error: run.error,
  cancelRequested: run.cancelRequestedAt !== null,
  finishedAt: run.finishedAt?.toISOString() ?? null,
});

export const loader = adminRoute(async ({ shop: domain, jobs, now }) => {
  const [runs, shop] = await Promise.all([recentBackfills(prisma, domain, 10), findShop(prisma, domain)]);
  const active = runs.find((run) => run.activeSlot !== null);
  if (active && Date.now() - active.updatedAt.getTime() > STALE_MS) {
    await jobs.send("backfill", { shop: domain, runId: active.id });
  }
  const today = now();
  return {
    runs: runs.map(view),
    today: today.toISOString().slice(0, 10),
    /** The earliest day Shopify shares orders from without read_all_orders: the default start. */
    recentFrom: recentOrdersFrom(today).toISOString().slice(0, 10),
    /**
     * Whether read_all_orders was granted, as the last token exchange or app/scopes_update said:
     * the page asks for it before an older backfill; the action asks Shopify itself.
     */
    allOrders: grantsScopes(shop?.scopes, [READ_ALL_ORDERS]),
  };
});

const REQUIRED = issue({ code: "required" });
const day = z.string(REQUIRED).regex(/^\d{4}-\d{2}-\d{2}$/, REQUIRED);
/** The form's fields; a missing or malformed date is refused on its field, as a code the page words. */
const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start"), from: day, to: day }),
  z.object({ intent: z.literal("cancel"), runId: z.string().min(1).max(64) }),
]);

export const action = adminRoute(async ({ shop, admin, auth, jobs, now: clock, strings }, { request }) => {
  const t = (await strings()).backfill;
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    // Each field's problem under the field, in the staff member's words; the banner says what to do.
    return Response.json(
      { ok: false, error: t.fixDates, fieldErrors: fieldErrorsOf(parsed.error.issues) } satisfies ActionData,
      { status: 422 },
    );
  }
  try {
    if (parsed.data.intent === "start") {
      const from = new Date(`${parsed.data.from}T00:00:00Z`);
      const to = new Date(new Date(`${parsed.data.to}T00:00:00Z`).getTime() + 86_400_000);
      const now = clock();
      if (!Number.isNaN(from.getTime())) await checkOrderAccess(auth.admin, from, now);
      const run = await startBackfill(prisma, shop, { from, to, now });
      await jobs.send("backfill", { shop, runId: run.id });
      return Response.json({ ok: true, message: t.started, run: view(run) });
    }
    const run = await cancelBackfill(prisma, shop, parsed.data.runId, { now: clock(), admin });
    return Response.json({ ok: true, message: t.cancelled, run: view(run) });
  } catch (error) {
    if (error instanceof BackfillError) {
      return Response.json(
        {
          ok: false,
          error:
            error.status === 404
              ? t.notFound
              : error.status === 409
                ? parsed.data.intent === "start"
                  ? t.alreadyRunning
                  : t.alreadyFinished
                : t.fixDates,
          fieldErrors: error.field && error.error ? { [error.field]: error.error } : {},
        } satisfies ActionData,
        { status: statusOf(error) },
      );
    }
    // Shopify could not say whether access to all orders is granted: nothing was started.
    if (error instanceof AdminApiError) {
      return Response.json({ ok: false, error: t.shopifyUnavailable, fieldErrors: {} } satisfies ActionData, {
        status: statusOf(error),
      });
    }
    throw error;
  }
});

type ActionData = { ok: boolean; message?: string; error?: string; fieldErrors?: FieldErrors };

const tone = { COMPLETED: "success", FAILED: "critical", CANCELLED: "info" } as const;

export default function BackfillPage() {
  const t = useStrings().backfill;
  const format = useFormat();
  const { runs, today, recentFrom, allOrders } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<ActionData>();
  const revalidator = useRevalidator();
  const shopify = useAppBridge();
  const [from, setFrom] = useState(recentFrom);
  const [to, setTo] = useState(today);
  const [declined, setDeclined] = useState(false);
  const active = runs.find((run) => run.active);
  // Dates as YYYY-MM-DD compare as text.
  const older = from !== "" && from < recentFrom;

  // Refresh while a backfill runs.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 3000);
    return () => clearInterval(timer);
  }, [active, revalidator]);

  useEffect(() => {
    // A refusal shows on the page (under its field, or in a banner), not in a toast.
    if (fetcher.state === "idle" && fetcher.data?.ok) shopify.toast.show(fetcher.data.message ?? "");
  }, [fetcher.state, fetcher.data, shopify]);

  /**
   * Orders older than 60 days need read_all_orders, an optional scope: App Bridge asks the
   * merchant for it (a permission grant modal) before such a backfill starts, and only then.
   * https://shopify.dev/docs/api/app-home/apis/scopes
   */
  const start = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // One start at a time: not while one is sent or runs (the server refuses a second one too).
    if (fetcher.state !== "idle" || active) return;
    const form = new FormData(event.currentTarget);
    if (older && !allOrders) {
      const answer = await shopify.scopes.request([READ_ALL_ORDERS]);
      if (answer.result !== "granted-all") {
        setDeclined(true);
        return;
      }
    }
    setDeclined(false);
    fetcher.submit(form, { method: "post" });
  };

  // A refused date's error as a sentence naming its field, in the staff member's language.
  const writer = useErrorWriter();
  const refused = fetcher.data && !fetcher.data.ok ? (fetcher.data.fieldErrors ?? {}) : {};
  const fields = {
    from: refused.from && errorSentence(t.from, refused.from, writer),
    to: refused.to && errorSentence(t.to, refused.to, writer),
  };
  const activeCount = active ? (active.reading ? active.ordersRead : active.ordersDone) : 0;
  const percent = active && active.ordersTotal ? Math.min(100, (activeCount / active.ordersTotal) * 100) : 0;

  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      <Layout>
        <Layout.Section>
          <Card>
            <fetcher.Form method="post" onSubmit={(event) => void start(event)}>
              <BlockStack gap="300">
                <Text as="p">{t.intro}</Text>
                <Text as="p" tone="subdued">
                  {allOrders ? t.allOrdersGranted : t.recentOnly(format.day(recentFrom))}
                </Text>
                <InlineStack gap="300" blockAlign="end">
                  <TextField
                    label={t.from}
                    type="date"
                    name="from"
                    value={from}
                    onChange={setFrom}
                    max={today}
                    autoComplete="off"
                    error={fields.from}
                  />
                  <TextField
                    label={t.to}
                    type="date"
                    name="to"
                    value={to}
                    onChange={setTo}
                    max={today}
                    autoComplete="off"
                    error={fields.to}
                  />
                  <input type="hidden" name="intent" value="start" />
                  <Button
                    submit
                    variant="primary"
                    disabled={Boolean(active)}
                    loading={fetcher.state !== "idle"}
                  >
                    {active ? t.running : t.start}
                  </Button>
                </InlineStack>
                {older && !allOrders && !declined ? <Banner tone="info">{t.olderAsks}</Banner> : null}
                {declined ? (
                  <Banner
                    tone="warning"
                    action={{
                      content: t.startRecent(format.day(recentFrom)),
                      onAction: () => setFrom(recentFrom),
                    }}
                  >
                    {t.declined(format.day(recentFrom))}
                  </Banner>
                ) : null}
                {fetcher.data && !fetcher.data.ok && !fields.from && !fields.to ? (
                  <Banner tone="critical">{fetcher.data.error}</Banner>
                ) : null}
              </BlockStack>
            </fetcher.Form>
          </Card>
        </Layout.Section>
        {active ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {active.from} – {active.to}
                    </Text>
                    <Badge tone="attention">{active.reading ? t.reading : t.status[active.status]}</Badge>
                  </InlineStack>
                  <fetcher.Form method="post">
                    <input type="hidden" name="intent" value="cancel" />
                    <input type="hidden" name="runId" value={active.id} />
                    <Button submit tone="critical" disabled={active.cancelRequested}>
                      {t.cancel}
                    </Button>
                  </fetcher.Form>
                </InlineStack>
                <ProgressBar progress={percent} size="small" />
                <Text as="p">
                  {active.reading
                    ? t.read(active.ordersRead, active.ordersTotal)
                    : t.progress(active.ordersDone, active.ordersTotal)}
                </Text>
                <Text as="p" tone="subdued">
                  {t.credited(active.ordersCredited, active.pointsAwarded)}
                </Text>
                {active.error ? <Banner tone="warning">{active.error}</Banner> : null}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <TableCard
            title={t.history}
            empty={t.historyEmpty}
            rows={runs.filter((run) => !run.active)}
            rowId={(run) => run.id}
            headings={[
              { title: t.columns.range },
              { title: t.columns.status },
              { title: t.columns.orders },
              { title: t.columns.points },
            ]}
            cells={(run) => [
              `${format.day(run.from)} – ${format.day(run.to)}`,
              <BlockStack key="status" gap="100">
                <Badge tone={tone[run.status as keyof typeof tone]}>{t.status[run.status]}</Badge>
                {run.error ? (
                  <Text as="span" tone="subdued" variant="bodySm">
                    {run.error}
                  </Text>
                ) : null}
              </BlockStack>,
              t.progress(run.ordersDone, run.ordersTotal),
              t.credited(run.ordersCredited, run.pointsAwarded),
            ]}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
