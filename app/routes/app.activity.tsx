import { useEffect, useState } from "react";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  Collapsible,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { TableCard } from "../admin/TableCard";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { titleMeta } from "../admin/document-title";
import { useFormat, useStrings } from "../admin/i18n";
import { prisma } from "../db.server";
import { inboxDepth, recentDeliveries, retryFailedDelivery } from "../db/deliveries.server";
import { nudgeInbox } from "../jobs/inbox-worker.server";
import { adminRoute } from "../http/request-context.server";

export const meta = titleMeta((s) => s.activity.title);

export const loader = adminRoute(async ({ shop, jobs }) => {
  const [failed, deliveries, waiting] = await Promise.all([
    jobs.listFailed(shop),
    recentDeliveries(prisma, shop),
    inboxDepth(prisma, shop),
  ]);
  return {
    waiting,
    failed: failed.map((job) => ({
      ...job,
      createdAt: job.createdAt.toISOString(),
      failedAt: job.failedAt?.toISOString() ?? null,
    })),
    deliveries: deliveries.map((d) => ({ ...d, receivedAt: d.receivedAt.toISOString() })),
  };
});

const retrySchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("retry"), jobId: z.string().min(1).max(64) }),
  z.object({ intent: z.literal("retry-delivery"), deliveryId: z.string().min(1).max(64) }),
]);

export const action = adminRoute(async ({ shop, jobs, strings }, { request }) => {
  const t = (await strings()).activity;
  const parsed = retrySchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return Response.json({ ok: false, error: t.notUnderstood }, { status: 422 });
  }
  if (parsed.data.intent === "retry-delivery") {
    const retried = await retryFailedDelivery(prisma, shop, parsed.data.deliveryId);
    if (!retried) return Response.json({ ok: false, error: t.deliveryNotFound }, { status: 404 });
    nudgeInbox();
    return Response.json({ ok: true, message: t.retriedDelivery });
  }
  const retried = await jobs.retryFailed(shop, parsed.data.jobId);
  if (!retried) return Response.json({ ok: false, error: t.notFound }, { status: 404 });
  return Response.json({ ok: true, message: t.retried });
});

const outcomeTone = {
  processed: "success",
  ignored: "info",
  failed: "critical",
  received: "attention",
} as const;

export default function ActivityPage() {
  const t = useStrings().activity;
  const { failed, deliveries, waiting } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<{ ok: boolean; error?: string; message?: string }>();
  const shopify = useAppBridge();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) {
      shopify.toast.show(
        fetcher.data.ok ? (fetcher.data.message ?? t.retried) : (fetcher.data.error ?? t.notFound),
        {
          isError: !fetcher.data.ok,
        },
      );
    }
  }, [fetcher.state, fetcher.data, shopify, t]);

  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      <Layout>
        {failed.length === 0 && deliveries.length === 0 ? (
          <Layout.Section>
            <Card>
              <EmptyState heading={t.emptyHeading} image="">
                <p>{t.empty}</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <ActivityTables failed={failed} deliveries={deliveries} waiting={waiting} fetcher={fetcher} />
        )}
      </Layout>
    </Page>
  );
}

type RetryFetcher = ReturnType<typeof useFetcher<{ ok: boolean; error?: string; message?: string }>>;

/** A Retry button posting `fields` to this page's action. */
function RetryButton({ fetcher, fields }: { fetcher: RetryFetcher; fields: Record<string, string> }) {
  const t = useStrings().activity;
  return (
    <fetcher.Form method="post">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button submit size="slim" loading={fetcher.state !== "idle"}>
        {t.retry}
      </Button>
    </fetcher.Form>
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
/** The page's words, and a webhook topic and a time written for the staff member. */
function useActivityWords() {
  const t = useStrings().activity;
  const format = useFormat();
  return {
    t,
    topicWords: (topic: string) => t.topics[topic] ?? t.topicFallback,
    when: (iso: string) => format.dateTime(iso),
  };
}

/**
 * For the merchant first: what needs their attention and what happened, in
 * words; the jobs and deliveries as recorded sit behind a "details" disclosure.
 */
function ActivityTables({
  failed,
  deliveries,
  waiting,
  fetcher,
}: {
  failed: LoaderData["failed"];
  deliveries: LoaderData["deliveries"];
  waiting: number;
  fetcher: RetryFetcher;
}) {
  const { t, topicWords, when } = useActivityWords();
  const [details, setDetails] = useState(false);
  const failedDeliveries = deliveries.filter((delivery) => delivery.outcome === "failed");
  const attention = [
    ...failed.map((job) => ({
      id: `job-${job.id}`,
      text: t.failedJobs[job.queue] ?? t.failedJobFallback,
      at: job.failedAt ?? job.createdAt,
      retry: { intent: "retry", jobId: job.id },
    })),
    ...failedDeliveries.map((delivery) => ({
      id: `delivery-${delivery.id}`,
      text: t.failedDelivery(topicWords(delivery.topic)),
      at: delivery.receivedAt,
      retry: { intent: "retry-delivery", deliveryId: delivery.id },
    })),
  ];
  return (
    <>
      <Layout.Section>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t.attention}
            </Text>
            {attention.length === 0 ? (
              <Text as="p" tone="subdued">
                {t.attentionNone}
              </Text>
            ) : (
              <>
                <Text as="p" tone="subdued">
                  {t.attentionHelp}
                </Text>
                <BlockStack gap="200" as="ul">
                  {attention.map((item) => (
                    <Box as="li" key={item.id}>
                      <InlineStack gap="300" align="space-between" blockAlign="center" wrap={false}>
                        <BlockStack gap="050">
                          <Text as="span">{item.text}</Text>
                          <Text as="span" tone="subdued" variant="bodySm">
                            {t.failedAt(when(item.at))}
                          </Text>
                        </BlockStack>
                        <RetryButton fetcher={fetcher} fields={item.retry} />
                      </InlineStack>
                    </Box>
                  ))}
                </BlockStack>
              </>
            )}
          </BlockStack>
        </Card>
      </Layout.Section>
      <Layout.Section>
        <TableCard
          title={t.happened}
          subtitle={`${t.happenedHelp} ${t.waiting(waiting)}`}
          empty={t.deliveriesEmpty}
          rows={deliveries}
          rowId={(delivery) => delivery.id}
          headings={[{ title: t.columns.what }, { title: t.columns.result }, { title: t.columns.when }]}
          cells={(delivery) => [
            topicWords(delivery.topic),
            <Badge key="outcome" tone={outcomeTone[delivery.outcome as keyof typeof outcomeTone]}>
              {t.outcomes[delivery.outcome as keyof typeof t.outcomes] ?? delivery.outcome}
            </Badge>,
            when(delivery.receivedAt),
          ]}
        />
      </Layout.Section>
      <Layout.Section>
        <BlockStack gap="300">
          <InlineStack>
            <Button
              variant="plain"
              disclosure={details ? "up" : "down"}
              ariaExpanded={details}
              ariaControls="activity-details"
              onClick={() => setDetails((open) => !open)}
            >
              {details ? t.hideDetails : t.showDetails}
            </Button>
          </InlineStack>
          <Collapsible id="activity-details" open={details}>
            <BlockStack gap="400">
              <Text as="p" tone="subdued">
                {t.detailsHelp}
              </Text>
              <TechnicalTables failed={failed} deliveries={deliveries} fetcher={fetcher} />
            </BlockStack>
          </Collapsible>
        </BlockStack>
      </Layout.Section>
    </>
  );
}

/** The dead letters and deliveries as recorded: queue names, errors, topics, copies. */
function TechnicalTables({
  failed,
  deliveries,
  fetcher,
}: {
  failed: LoaderData["failed"];
  deliveries: LoaderData["deliveries"];
  fetcher: RetryFetcher;
}) {
  const { t, when } = useActivityWords();
  const c = t.technicalColumns;
  return (
    <>
      <TableCard
        title={t.deadJobs}
        empty={t.deadJobsEmpty}
        rows={failed}
        rowId={(job) => job.id}
        headings={[
          { title: c.job },
          { title: c.error },
          { title: c.attempts, alignment: "end" },
          { title: c.failed },
          { title: "" },
        ]}
        cells={(job) => [
          job.queue,
          <Text key="error" as="span" tone="critical">
            {job.error ?? ""}
          </Text>,
          job.attempts,
          job.failedAt ? when(job.failedAt) : "",
          <RetryButton key="retry" fetcher={fetcher} fields={{ intent: "retry", jobId: job.id }} />,
        ]}
      />
      <TableCard
        title={t.deliveries}
        empty={t.deliveriesEmpty}
        rows={deliveries}
        rowId={(delivery) => delivery.id}
        headings={[
          { title: c.topic },
          { title: c.outcome },
          { title: c.detail },
          { title: c.copies, alignment: "end" },
          { title: c.received },
        ]}
        cells={(delivery) => [
          delivery.topic,
          t.outcomes[delivery.outcome as keyof typeof t.outcomes] ?? delivery.outcome,
          delivery.detail ?? "",
          delivery.attempts,
          when(delivery.receivedAt),
        ]}
      />
    </>
  );
}
