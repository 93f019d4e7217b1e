import { useEffect } from "react";
import { useFetcher, useLoaderData, useRevalidator, type MetaFunction } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { offerText } from "../admin/campaign-form";
import { StatCard } from "../admin/StatCard";
import { documentTitle, stringsOfMatches } from "../admin/document-title";
import { useFormat, useStrings } from "../admin/i18n";
import { useDownload } from "../admin/useDownload";
import { TableCard } from "../admin/TableCard";
import { memberLabel } from "../admin/member-label";
import { prisma } from "../db.server";
import { findShop } from "../db/shops.server";
import {
  CampaignError,
  campaignPage,
  cancelCampaign,
  retryCampaignFailures,
} from "../services/campaigns/campaigns.server";
import { adminRoute } from "../http/request-context.server";
import { statusOf } from "../http/error-statuses";

const statusTone = { RUNNING: "attention", DONE: "success", CANCELLED: undefined } as const;

export const loader = adminRoute(async ({ shop, strings }, { params }) => {
  const [page, details] = await Promise.all([
    campaignPage(prisma, shop, params.campaignId ?? ""),
    findShop(prisma, shop),
  ]);
  if (!page) throw new Response((await strings()).campaigns.notFound, { status: 404 });
  return { ...page, currency: details?.currencyCode ?? "" };
});

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const s = stringsOfMatches(matches);
  return [{ title: documentTitle(s, data?.campaign.name ?? s.campaigns.title) }];
};

const actionSchema = z.object({ intent: z.enum(["cancel", "retry"]) });
type ActionResult = { ok: true; message: string } | { ok: false; error: string };
const fail = (status: number, error: string) =>
  Response.json({ ok: false, error } satisfies ActionResult, { status });

export const action = adminRoute(async ({ shop, now, strings }, { request, params }) => {
  const t = (await strings()).campaigns;
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return fail(422, t.notUnderstood);
  const campaignId = params.campaignId ?? "";
  try {
    if (parsed.data.intent === "cancel") {
      await cancelCampaign(prisma, shop, campaignId, now());
      return Response.json({ ok: true, message: t.cancelled } satisfies ActionResult);
    }
    const retried = await retryCampaignFailures(prisma, shop, campaignId);
    return Response.json({ ok: true, message: t.retried(retried) } satisfies ActionResult);
  } catch (error) {
    if (error instanceof CampaignError)
      return fail(statusOf(error), error.reason ? t.refusals[error.reason] : t.notFound);
    throw error;
  }
});

export default function CampaignPage() {
  const t = useStrings().campaigns;
  const format = useFormat();
  const percent = format.percent;
  const { campaign, measures, failures, currency } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const { download, busy } = useDownload();
  const codesPath = `/app/campaigns/${campaign.id}/codes`;
  const fetcher = useFetcher<ActionResult>();
  const revalidator = useRevalidator();
  const { progress } = campaign;
  const running = campaign.status === "RUNNING";
  const money = (value: string) => format.money(value, currency);

  // While codes are being created, the page follows the job.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    shopify.toast.show(fetcher.data.ok ? fetcher.data.message : fetcher.data.error, {
      isError: !fetcher.data.ok,
    });
  }, [fetcher.state, fetcher.data, shopify]);

  const done = progress.recipients > 0 ? (progress.codesCreated / progress.recipients) * 100 : 0;
  const cancel = () => {
    shopify.modal.hide("cancel-campaign");
    fetcher.submit({ intent: "cancel" }, { method: "post" });
  };

  return (
    <Page
      title={campaign.name}
      titleMetadata={<Badge tone={statusTone[campaign.status]}>{t.statuses[campaign.status]}</Badge>}
      subtitle={`${offerText(campaign.offer, t.offerWords, { money: (amount) => format.money(amount, currency), percent: format.percent })} · ${t.details(campaign.tag, format.date(campaign.endsAt))}`}
      backAction={{ content: t.title, url: "/app/campaigns" }}
      secondaryActions={[
        {
          content: t.exportCodes,
          onAction: () => download(codesPath),
          loading: busy === codesPath,
        },
        ...(running
          ? [{ content: t.cancel, destructive: true, onAction: () => shopify.modal.show("cancel-campaign") }]
          : []),
      ]}
    >
      <TitleBar title={campaign.name} />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t.progress}
              </Text>
              <ProgressBar progress={done} tone={progress.failed > 0 ? "critical" : "primary"} />
              <InlineStack gap="400" align="space-between">
                <Text as="p">{t.progressLine(progress.codesCreated, progress.recipients)}</Text>
                <Text as="p" tone="subdued">
                  {t.taggedLine(progress.tagged)}
                </Text>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              {t.results}
            </Text>
            <Text as="p" tone="subdued">
              {t.resultsHelp}
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
              <StatCard label={t.measures.segment} value={format.number(measures.segment)} />
              <StatCard
                label={t.measures.codesUsed}
                value={format.number(measures.codesUsed)}
                note={t.ofSegment(percent(measures.codeUseRate))}
              />
              <StatCard
                label={t.measures.cameBack}
                value={format.number(measures.cameBack)}
                note={t.ofSegment(percent(measures.comeBackRate))}
              />
              <StatCard
                label={t.measures.revenue}
                value={money(measures.revenue)}
                note={`${t.orders(measures.orders)} · ${t.measures.codeRevenue}: ${money(measures.codeRevenue)}`}
              />
            </InlineGrid>
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <TableCard
            title={t.failures}
            empty={t.failuresEmpty}
            rows={failures}
            rowId={(failure) => failure.id}
            headings={[
              { title: "Customer" },
              { title: "Status" },
              { title: "Attempts", alignment: "end" },
              { title: "Error" },
            ]}
            cells={(failure) => [
              failure.email ?? memberLabel({ ...failure, firstName: null, lastName: null }),
              failure.status,
              failure.attempts,
              failure.error ?? "",
            ]}
          />
          {failures.length > 0 && campaign.status !== "CANCELLED" ? (
            <div style={{ marginTop: "1rem" }}>
              <Button
                loading={fetcher.state !== "idle"}
                onClick={() => fetcher.submit({ intent: "retry" }, { method: "post" })}
              >
                {t.retry}
              </Button>
            </div>
          ) : null}
        </Layout.Section>
      </Layout>
      <Modal id="cancel-campaign">
        <p style={{ padding: "1rem" }}>{t.cancelConfirm}</p>
        <TitleBar title={t.cancel}>
          <button variant="primary" tone="critical" onClick={cancel}>
            {t.cancel}
          </button>
          <button onClick={() => shopify.modal.hide("cancel-campaign")}>{t.back}</button>
        </TitleBar>
      </Modal>
    </Page>
  );
}
