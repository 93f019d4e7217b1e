import { useEffect, useState } from "react";
import { useFetcher, useLoaderData, type MetaFunction } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineGrid,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { DataRequestsCard } from "../admin/DataRequestsCard";
import { ProtectedDataNotice } from "../admin/ProtectedDataNotice";
import { documentTitle } from "../admin/document-title";
import { strings } from "../admin/strings";
import { StatCard } from "../admin/StatCard";
import { TableCard } from "../admin/TableCard";
import { prisma } from "../db.server";
import { findMember } from "../db/members.server";
import { findMemberRedemption } from "../db/redemptions.server";
import { adjustPoints } from "../services/members/adjust-points.server";
import { memberPage } from "../services/members/member-pages.server";
import { waitingDataRequestOf } from "../services/privacy/data-requests.server";
import { SettingsError } from "../services/program/program-settings.server";
import { RedeemError, redeemReward } from "../services/rewards/redeem-reward.server";
import { RevokeError, revokeCode } from "../services/rewards/reward-lifecycle.server";
import { AdminTransientError } from "../shopify/admin-api/admin-client.server";
import { adminRoute } from "../http/request-context.server";
import { REFUSAL_STATUSES, statusOf } from "../http/error-statuses";

const t = strings.customer;
const notFound = () => new Response(t.notFound, { status: 404 });

export const loader = adminRoute(async ({ shop, now: clock }, { params }) => {
  const now = clock();
  const page = await memberPage(prisma, shop, params.memberId ?? "", now);
  if (!page) throw notFound();
  const dataRequest = await waitingDataRequestOf(prisma, shop, page.member.customerGid, now);
  return { ...page, dataRequest };
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: documentTitle(data?.member.label ?? strings.customers.title) },
];

const key = z.string().regex(/^[\w-]{8,100}$/, "is missing or malformed");
const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("adjust"),
    points: z.coerce.number().int("must be a whole number"),
    reason: z.string().trim().min(3, "is required").max(500),
    idempotencyKey: key,
  }),
  z.object({ intent: z.literal("issue"), rewardKey: z.string().min(1).max(40), idempotencyKey: key }),
  z.object({ intent: z.literal("revoke"), redemptionId: z.string().min(1).max(40) }),
]);

type ActionResult =
  { ok: true; message: string } | { ok: false; error: string; fieldErrors?: Record<string, string> };
const fail = (status: number, error: string, fieldErrors?: Record<string, string>) =>
  Response.json({ ok: false, error, fieldErrors } satisfies ActionResult, { status });

export const action = adminRoute(async ({ shop, admin, staffId, now: clock }, { request, params }) => {
  const member = await findMember(prisma, shop, params.memberId ?? "");
  if (!member) return fail(404, t.notFound);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const fieldErrors = Object.fromEntries(
      Object.entries(z.flattenError(parsed.error).fieldErrors).map(([field, messages]) => [
        field,
        messages?.[0] ?? "",
      ]),
    );
    return fail(422, "Invalid request", fieldErrors);
  }
  const now = clock();
  const input = parsed.data;
  try {
    if (input.intent === "adjust") {
      await adjustPoints(
        prisma,
        shop,
        {
          customerGid: member.customerGid,
          points: input.points,
          reason: input.reason,
          staffId,
          idempotencyKey: input.idempotencyKey,
        },
        now,
      );
      return Response.json({ ok: true, message: t.adjusted } satisfies ActionResult);
    }
    if (input.intent === "issue") {
      const redemption = await redeemReward(
        prisma,
        admin,
        shop,
        {
          customerGid: member.customerGid,
          rewardKey: input.rewardKey,
          idempotencyKey: input.idempotencyKey,
          staffId,
        },
        now,
      );
      if (redemption.status === "FAILED")
        return fail(REFUSAL_STATUSES.code_not_created, redemption.error ?? "Shopify refused the code");
      return Response.json({ ok: true, message: t.issued(redemption.code) } satisfies ActionResult);
    }
    const redemption = await findMemberRedemption(prisma, shop, member.id, input.redemptionId);
    if (!redemption) return fail(404, "No such code for this customer");
    await revokeCode(prisma, admin, shop, { redemptionId: redemption.id, staffId }, now);
    return Response.json({ ok: true, message: t.revoked } satisfies ActionResult);
  } catch (error) {
    if (error instanceof SettingsError) return fail(statusOf(error), "Invalid request", error.fieldErrors);
    if (error instanceof RedeemError) return fail(statusOf(error), error.reason);
    if (error instanceof RevokeError) return fail(statusOf(error), error.message);
    if (error instanceof AdminTransientError) return fail(statusOf(error), t.pendingCode);
    throw error;
  }
});

const newKey = () => `staff-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export default function CustomerPage() {
  const { member, entries, codes, rewards, dataRequest } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const fetcher = useFetcher<ActionResult>();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [rewardKey, setRewardKey] = useState(rewards[0]?.key ?? "");
  const [adjustKey, setAdjustKey] = useState(newKey);
  const [issueKey, setIssueKey] = useState(newKey);
  const errors = fetcher.data && !fetcher.data.ok ? (fetcher.data.fieldErrors ?? {}) : {};

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    shopify.toast.show(fetcher.data.ok ? fetcher.data.message : fetcher.data.error, {
      isError: !fetcher.data.ok,
    });
  }, [fetcher.state, fetcher.data, shopify]);

  const submit = (data: Record<string, string>, after: () => void) => {
    fetcher.submit(data, { method: "post" });
    after();
  };

  return (
    <Page title={member.label} backAction={{ content: strings.customers.title, url: "/app/customers" }}>
      <TitleBar title={member.label} />
      {member.contactHidden ? <ProtectedDataNotice /> : null}
      <Layout>
        {dataRequest ? (
          <Layout.Section>
            <DataRequestsCard requests={[dataRequest]} total={1} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={3} gap="400">
            <StatCard label={t.balance} value={member.balance} />
            <StatCard label={t.pending} value={member.pending} />
            <StatCard
              label={t.tier}
              value={member.tier ?? "—"}
              note={member.nextTier ? t.progress(member.nextTier.remaining, member.nextTier.name) : null}
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t.adjust}
                </Text>
                <TextField
                  label={t.adjustPoints}
                  value={points}
                  onChange={setPoints}
                  error={errors.points}
                  autoComplete="off"
                  inputMode="numeric"
                />
                <TextField
                  label={t.adjustReason}
                  value={reason}
                  onChange={setReason}
                  error={errors.reason}
                  autoComplete="off"
                />
                <Button
                  loading={fetcher.state !== "idle"}
                  onClick={() =>
                    submit({ intent: "adjust", points, reason, idempotencyKey: adjustKey }, () =>
                      setAdjustKey(newKey()),
                    )
                  }
                >
                  {t.adjustSubmit}
                </Button>
              </FormLayout>
            </Card>
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t.issue}
                </Text>
                <Select
                  label={t.issue}
                  labelHidden
                  options={rewards.map((reward) => ({
                    value: reward.key,
                    label: `${reward.title} (${reward.pointsCost} points)`,
                  }))}
                  value={rewardKey}
                  onChange={setRewardKey}
                />
                <Button
                  loading={fetcher.state !== "idle"}
                  onClick={() =>
                    submit({ intent: "issue", rewardKey, idempotencyKey: issueKey }, () =>
                      setIssueKey(newKey()),
                    )
                  }
                >
                  {t.issueSubmit}
                </Button>
              </FormLayout>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <TableCard
            title={t.codes}
            empty={t.noCodes}
            rows={codes}
            rowId={(code) => code.id}
            headings={[
              { title: "Code" },
              { title: "Reward" },
              { title: "Status" },
              { title: "Until" },
              { title: "" },
            ]}
            cells={(code) => [
              code.code,
              code.title,
              <Badge key="status">{code.status}</Badge>,
              new Date(code.endsAt).toLocaleDateString(),
              code.status === "ISSUED" ? (
                <Button
                  key="revoke"
                  tone="critical"
                  variant="plain"
                  onClick={() => submit({ intent: "revoke", redemptionId: code.id }, () => {})}
                >
                  {t.revoke}
                </Button>
              ) : null,
            ]}
          />
        </Layout.Section>
        <Layout.Section>
          <TableCard
            title={t.history}
            empty={t.noHistory}
            rows={entries}
            rowId={(entry) => entry.id}
            headings={[
              { title: "When" },
              { title: "What" },
              { title: "Points", alignment: "end" },
              { title: "Balance", alignment: "end" },
              { title: "Note" },
            ]}
            cells={(entry) => [
              new Date(entry.createdAt).toLocaleString(),
              entry.kind,
              `${entry.points !== 0 ? entry.points : ""}${entry.pendingPoints !== 0 ? ` (${entry.pendingPoints} pending)` : ""}`,
              entry.balanceAfter,
              entry.note ?? "",
            ]}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
