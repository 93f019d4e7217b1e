import { useEffect } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  EmptyState,
  IndexTable,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { strings } from "../admin/strings";
import { prisma } from "../db.server";
import { recentDeliveries } from "../db/deliveries.server";
import { jobs } from "../jobs.server";
import { authenticate } from "../shopify.server";

const t = strings.activity;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [failed, deliveries] = await Promise.all([
    jobs.listFailed(session.shop),
    recentDeliveries(prisma, session.shop),
  ]);
  return {
    failed: failed.map((job) => ({
      ...job,
      createdAt: job.createdAt.toISOString(),
      failedAt: job.failedAt?.toISOString() ?? null,
    })),
    deliveries: deliveries.map((d) => ({ ...d, receivedAt: d.receivedAt.toISOString() })),
  };
};

const retrySchema = z.object({ intent: z.literal("retry"), jobId: z.string().min(1).max(64) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = retrySchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    return Response.json(
      { ok: false, error: "Invalid request", fields: z.flattenError(parsed.error).fieldErrors },
      { status: 422 },
    );
  }
  const retried = await jobs.retryFailed(session.shop, parsed.data.jobId);
  if (!retried) return Response.json({ ok: false, error: t.notFound }, { status: 404 });
  return Response.json({ ok: true });
};

const outcomeTone = {
  processed: "success",
  ignored: "info",
  failed: "critical",
  received: "attention",
} as const;

export default function ActivityPage() {
  const { failed, deliveries } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<{ ok: boolean; error?: string }>();
  const shopify = useAppBridge();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data) {
      shopify.toast.show(fetcher.data.ok ? t.retried : (fetcher.data.error ?? t.notFound), {
        isError: !fetcher.data.ok,
      });
    }
  }, [fetcher.state, fetcher.data, shopify]);

  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <BlockStack gap="200">
              <div style={{ padding: "1rem 1rem 0" }}>
                <Text as="h2" variant="headingMd">
                  {t.deadJobs}
                </Text>
              </div>
              {failed.length === 0 ? (
                <EmptyState heading={t.deadJobsEmpty} image="">
                  <span />
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: "job", plural: "jobs" }}
                  itemCount={failed.length}
                  selectable={false}
                  headings={[
                    { title: "Job" },
                    { title: "Error" },
                    { title: "Attempts" },
                    { title: "Failed" },
                    { title: "" },
                  ]}
                >
                  {failed.map((job, index) => (
                    <IndexTable.Row id={job.id} key={job.id} position={index}>
                      <IndexTable.Cell>{job.queue}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" tone="critical">
                          {job.error ?? ""}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{job.attempts}</IndexTable.Cell>
                      <IndexTable.Cell>
                        {job.failedAt ? new Date(job.failedAt).toLocaleString() : ""}
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <fetcher.Form method="post">
                          <input type="hidden" name="intent" value="retry" />
                          <input type="hidden" name="jobId" value={job.id} />
                          <Button submit size="slim" loading={fetcher.state !== "idle"}>
                            {t.retry}
                          </Button>
                        </fetcher.Form>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <div style={{ padding: "1rem 1rem 0" }}>
              <Text as="h2" variant="headingMd">
                {t.deliveries}
              </Text>
            </div>
            {deliveries.length === 0 ? (
              <EmptyState heading={t.deliveriesEmpty} image="">
                <span />
              </EmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "delivery", plural: "deliveries" }}
                itemCount={deliveries.length}
                selectable={false}
                headings={[
                  { title: "Topic" },
                  { title: "Outcome" },
                  { title: "Detail" },
                  { title: "Attempts" },
                  { title: "Received" },
                ]}
              >
                {deliveries.map((delivery, index) => (
                  <IndexTable.Row id={delivery.id} key={delivery.id} position={index}>
                    <IndexTable.Cell>{delivery.topic}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={outcomeTone[delivery.outcome as keyof typeof outcomeTone]}>
                        {delivery.outcome}
                      </Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{delivery.detail ?? ""}</IndexTable.Cell>
                    <IndexTable.Cell>{delivery.attempts}</IndexTable.Cell>
                    <IndexTable.Cell>{new Date(delivery.receivedAt).toLocaleString()}</IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
