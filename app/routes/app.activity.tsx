import { useEffect } from "react";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Button, Card, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import { TableCard } from "../admin/TableCard";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { titleMeta } from "../admin/document-title";
import { strings } from "../admin/strings";
import { prisma } from "../db.server";
import { inboxDepth, recentDeliveries, retryFailedDelivery } from "../db/deliveries.server";
import { nudgeInbox } from "../jobs/inbox-worker.server";
import { adminRoute } from "../http/request-context.server";

const t = strings.activity;

export const meta = titleMeta(t.title);

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

export const action = adminRoute(async ({ shop, jobs }, { request }) => {
  const parsed = retrySchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return Response.json(
      { ok: false, error: "Invalid request", fields: z.flattenError(parsed.error).fieldErrors },
      { status: 422 },
    );
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
  }, [fetcher.state, fetcher.data, shopify]);

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

function ActivityTables({
  failed,
  deliveries,
  waiting,
  fetcher,
}: {
  failed: ReturnType<typeof useLoaderData<typeof loader>>["failed"];
  deliveries: ReturnType<typeof useLoaderData<typeof loader>>["deliveries"];
  waiting: number;
  fetcher: RetryFetcher;
}) {
  return (
    <>
      <Layout.Section>
        <TableCard
          title={t.deadJobs}
          empty={t.deadJobsEmpty}
          rows={failed}
          rowId={(job) => job.id}
          headings={[
            { title: "Job" },
            { title: "Error" },
            { title: "Attempts" },
            { title: "Failed" },
            { title: "" },
          ]}
          cells={(job) => [
            job.queue,
            <Text key="error" as="span" tone="critical">
              {job.error ?? ""}
            </Text>,
            job.attempts,
            job.failedAt ? new Date(job.failedAt).toLocaleString() : "",
            <RetryButton key="retry" fetcher={fetcher} fields={{ intent: "retry", jobId: job.id }} />,
          ]}
        />
      </Layout.Section>
      <Layout.Section>
        <TableCard
          title={t.deliveries}
          subtitle={t.waiting(waiting)}
          empty={t.deliveriesEmpty}
          rows={deliveries}
          rowId={(delivery) => delivery.id}
          headings={[
            { title: "Topic" },
            { title: "Outcome" },
            { title: "Detail" },
            { title: "Copies" },
            { title: "Received" },
            { title: "" },
          ]}
          cells={(delivery) => [
            delivery.topic,
            <Badge key="outcome" tone={outcomeTone[delivery.outcome as keyof typeof outcomeTone]}>
              {t.outcomes[delivery.outcome as keyof typeof t.outcomes] ?? delivery.outcome}
            </Badge>,
            delivery.detail ?? "",
            delivery.attempts,
            new Date(delivery.receivedAt).toLocaleString(),
            delivery.outcome === "failed" ? (
              <RetryButton
                key="retry"
                fetcher={fetcher}
                fields={{ intent: "retry-delivery", deliveryId: delivery.id }}
              />
            ) : (
              ""
            ),
          ]}
        />
      </Layout.Section>
    </>
  );
}
