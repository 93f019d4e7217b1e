import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Button,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { z } from "zod";
import { ChartCard } from "../admin/ChartCard";
import { DataRequestsCard } from "../admin/DataRequestsCard";
import { KeyboardScrollable } from "../admin/KeyboardScrollable";
import { OnboardingChecklist } from "../admin/OnboardingChecklist";
import { StatCard } from "../admin/StatCard";
import { titleMeta } from "../admin/document-title";
import { useFormat, useStrings } from "../admin/i18n";
import { prisma } from "../db.server";
import { findShop } from "../db/shops.server";
import { env } from "../env.server";
import { onboardingChecklist } from "../services/program/onboarding.server";
import { noteFollowUp } from "../jobs/follow-ups.server";
import { dashboardFigures } from "../services/dashboard/dashboard.server";
import { ActionPointsCard } from "../admin/ActionPointsCard";
import { waitingDataRequests } from "../services/privacy/data-requests.server";
import { PERIODS, type GroupMeasures } from "../services/dashboard/retention.server";
import { adminRoute } from "../http/request-context.server";
import { ReferralFigures } from "../admin/ReferralFigures";
import { referralHomeCard } from "../services/referrals/referrals.server";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const meta = titleMeta((s) => s.nav.home);

const days = z.coerce.number().int().min(7).max(730);
const querySchema = z.object({
  period: z.enum(["30", "90", "365"]).catch("30"),
  churn: days.catch(90),
  atRisk: days.catch(180),
});

export const loader = adminRoute(async ({ shop: shopDomain, admin, now: clock }, { request }) => {
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const now = clock();
  const shop = await findShop(prisma, shopDomain);
  const { chart, program, retention, byAction } = await dashboardFigures(prisma, shopDomain, {
    period: query.period,
    now,
    timeZone: shop?.ianaTimezone ?? null,
    churnDays: query.churn,
    atRiskDays: query.atRisk,
  });
  // The job folds what this view read unfolded; a shop's first view (or the first since an
  // upgrade) read the sources, and the job builds the rollups.
  noteFollowUp({ queue: "dashboard-rollups", shop: shopDomain });
  // Until every step is done or dismissed; the theme check is cached and never fails the page.
  const onboarding = await onboardingChecklist(prisma, shopDomain, admin, {
    apiKey: env.SHOPIFY_API_KEY,
    adminOrigin: env.SHOPIFY_ADMIN_ORIGIN,
    now,
  });
  // Customers' data requests waiting for the merchant: the first thing on Home (Shopify's 30 days).
  const dataRequests = await waitingDataRequests(prisma, shopDomain, now);
  // Referrals' figures, from the Referrals page's own service, while they are on.
  const referrals = await referralHomeCard(prisma, shopDomain, now);
  return {
    dataRequests,
    referrals,
    onboarding,
    program,
    retention,
    chart: { unit: PERIODS[query.period].unit, timeZone: chart.timeZone, buckets: chart.buckets },
    byAction,
    currency: shop?.currencyCode ?? "",
    query,
  };
});

export default function Dashboard() {
  const strings = useStrings();
  const t = strings.dashboard;
  const format = useFormat();
  const percent = format.percent;
  const decimal = (value: number | null) =>
    value === null ? "—" : format.number(value, { minimum: 2, maximum: 2 });
  const { dataRequests, onboarding, program, retention, chart, currency, query, byAction, referrals } =
    useLoaderData<typeof loader>();
  const r = useStrings().referrals;
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const noOrders = retention.members.customers + retention.nonMembers.customers === 0;
  const flowSeries = (["issued", "redeemed", "expired"] as const).map((key) => ({
    name: t[key],
    data: chart.buckets.map((bucket) => ({ key: bucket.start, value: bucket[key] })),
  }));
  const tierSeries = [
    { name: t.members, data: program.tiers.map((tier) => ({ key: tier.name, value: tier.members })) },
  ];
  const money = (value: string) => format.money(value, currency);
  const daysOf: Partial<Record<keyof GroupMeasures, number>> = {
    churnRate: query.churn,
    atRisk: query.atRisk,
  };
  const row = (key: keyof GroupMeasures, format: (g: GroupMeasures) => string) => {
    const [label, definition] = t.measures[key];
    return [
      <BlockStack key="label" gap="050">
        <Text as="span">{label}</Text>
        <Text as="span" tone="subdued" variant="bodySm">
          {definition.replace("{days}", String(daysOf[key] ?? ""))}
        </Text>
      </BlockStack>,
      format(retention.members),
      format(retention.nonMembers),
    ];
  };

  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      <Layout>
        {dataRequests.total > 0 ? (
          <Layout.Section>
            <DataRequestsCard requests={dataRequests.requests} total={dataRequests.total} />
          </Layout.Section>
        ) : null}
        {onboarding.show ? (
          <Layout.Section>
            <OnboardingChecklist onboarding={onboarding} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <div style={{ maxWidth: "16rem" }}>
            <Select
              label={t.period}
              options={Object.entries(t.periods).map(([value, label]) => ({ value, label }))}
              value={query.period}
              onChange={(period) => {
                const next = new URLSearchParams(params);
                next.set("period", period);
                setParams(next);
              }}
            />
          </div>
        </Layout.Section>
        {noOrders ? (
          <Layout.Section>
            <Card>
              <EmptyState
                heading={t.noOrdersHeading}
                image=""
                action={{ content: t.noOrdersAction, onAction: () => navigate("/app/program") }}
                secondaryAction={{ content: t.noOrdersSecondary, onAction: () => navigate("/app/import") }}
              >
                <p>{t.noOrders}</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <StatCard
              label={t.members}
              value={format.number(retention.members.customers)}
              note={t.membersHelp}
            />
            <StatCard label={t.liability} value={money(program.liability)} note={t.liabilityHelp} />
            <StatCard
              label={t.redemptionRate}
              value={percent(program.redemptionRate)}
              note={t.redemptionHelp}
            />
            <StatCard
              label={t.codeRevenue}
              value={money(program.codeRevenue)}
              note={t.codeOrders(program.codeOrders)}
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <StatCard
              label={t.issued}
              value={format.number(program.pointsIssued)}
              note={
                program.bonusEventPoints > 0
                  ? `${strings.bonusEvents.dashboard}: ${format.number(program.bonusEventPoints)}`
                  : undefined
              }
            />
            <StatCard label={t.redeemed} value={format.number(program.pointsRedeemed)} />
            <StatCard label={t.expired} value={format.number(program.pointsExpired)} />
          </InlineGrid>
        </Layout.Section>
        {byAction.length > 0 ? (
          <Layout.Section>
            <ActionPointsCard rows={byAction} />
          </Layout.Section>
        ) : null}
        {referrals ? (
          <Layout.Section>
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {r.title} · {r.figures}
                </Text>
                <Button variant="plain" onClick={() => navigate("/app/referrals")}>
                  {r.title}
                </Button>
              </InlineStack>
              <ReferralFigures figures={referrals.figures} currency={currency} />
            </BlockStack>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <ChartCard
            title={t.overTime}
            description={t.overTimeHelp(chart.timeZone)}
            series={flowSeries}
            rowHeading={t.bucketRow[chart.unit]}
            label={(start) => format.bucket(chart.unit, start)}
            kind="line"
          />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t.retention}
              </Text>
              <Text as="p" tone="subdued">
                {t.membersHelp} {t.retentionHelp}
              </Text>
              <KeyboardScrollable label={t.retention}>
                <DataTable
                  columnContentTypes={["text", "numeric", "numeric"]}
                  headings={["", t.group.members, t.group.nonMembers]}
                  rows={[
                    row("customers", (g) => format.number(g.customers)),
                    row("repeatPurchaseRate", (g) => percent(g.repeatPurchaseRate)),
                    row("averageLifetimeValue", (g) =>
                      g.averageLifetimeValue ? money(g.averageLifetimeValue) : "—",
                    ),
                    row("purchaseFrequency", (g) => decimal(g.purchaseFrequency)),
                    row("churnRate", (g) => percent(g.churnRate)),
                    row("atRisk", (g) => format.number(g.atRisk)),
                  ]}
                />
              </KeyboardScrollable>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <ChartCard
            title={t.tiers}
            series={tierSeries}
            rowHeading={t.tierRow}
            label={(name) => name}
            kind="bar"
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
