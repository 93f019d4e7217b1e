import { useEffect, useRef, useState } from "react";
import { useFetcher, useLoaderData, type MetaFunction } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineGrid,
  Layout,
  Link,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { errorSentence } from "../admin/field-error-words";
import { fieldErrorsOf, issue, type FieldErrors } from "../loyalty/field-error";
import { adminOrderUrl, orderNumberOf } from "../admin/admin-links";
import { DataRequestsCard } from "../admin/DataRequestsCard";
import { ProtectedDataNotice } from "../admin/ProtectedDataNotice";
import { documentTitle, stringsOfMatches } from "../admin/document-title";
import { useErrorWriter, useFormat, useStrings } from "../admin/i18n";
import { StatCard } from "../admin/StatCard";
import { TableCard } from "../admin/TableCard";
import { prisma } from "../db.server";
import { findMember } from "../db/members.server";
import { findMemberRedemption } from "../db/redemptions.server";
import { adjustPoints } from "../services/members/adjust-points.server";
import { memberPage, memberStoreCredit } from "../services/members/member-pages.server";
import { waitingDataRequestOf } from "../services/privacy/data-requests.server";
import { SettingsError } from "../services/program/program-settings.server";
import { RedeemError, redeemReward } from "../services/rewards/redeem-reward.server";
import { RevokeError, revokeCode } from "../services/rewards/reward-lifecycle.server";
import { AdminTransientError } from "../shopify/admin-api/admin-client.server";
import { adminRoute } from "../http/request-context.server";
import { REFUSAL_STATUSES, statusOf } from "../http/error-statuses";

export const loader = adminRoute(async ({ shop, admin, now: clock, strings }, { params }) => {
  const now = clock();
  const page = await memberPage(prisma, shop, params.memberId ?? "", now);
  if (!page) throw new Response((await strings()).customer.notFound, { status: 404 });
  const [dataRequest, storeCredit] = await Promise.all([
    waitingDataRequestOf(prisma, shop, page.member.customerGid, now),
    memberStoreCredit(prisma, admin, shop, page.member.customerGid),
  ]);
  return { ...page, dataRequest, storeCredit };
});

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const s = stringsOfMatches(matches);
  return [{ title: documentTitle(s, data?.member.label ?? s.customers.title) }];
};

const key = z.string().regex(/^[\w-]{8,100}$/, issue({ code: "stale" }));
const actionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("adjust"),
    points: z.coerce
      .number(issue({ code: "wholeNumber" }))
      .int(issue({ code: "wholeNumber" }))
      .refine((points) => points !== 0, issue({ code: "notZero" })),
    reason: z
      .string()
      .trim()
      .min(3, issue({ code: "required" }))
      .max(500, issue({ code: "max", max: 500, unit: "characters" })),
    idempotencyKey: key,
  }),
  z.object({ intent: z.literal("issue"), rewardKey: z.string().min(1).max(40), idempotencyKey: key }),
  z.object({ intent: z.literal("revoke"), redemptionId: z.string().min(1).max(40) }),
]);

type ActionResult = { ok: true; message: string } | { ok: false; error: string; fieldErrors?: FieldErrors };
const fail = (status: number, error: string, fieldErrors?: FieldErrors) =>
  Response.json({ ok: false, error, fieldErrors } satisfies ActionResult, { status });

export const action = adminRoute(
  async ({ shop, admin, staffId, now: clock, strings }, { request, params }) => {
    const t = (await strings()).customer;
    const member = await findMember(prisma, shop, params.memberId ?? "");
    if (!member) return fail(404, t.notFound);
    const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
    if (!parsed.success) return fail(422, t.fixErrors, fieldErrorsOf(parsed.error.issues));
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
        if (redemption.status === "FAILED") return fail(REFUSAL_STATUSES.code_not_created, t.codeRefused);
        return Response.json({ ok: true, message: t.issued(redemption.code) } satisfies ActionResult);
      }
      const redemption = await findMemberRedemption(prisma, shop, member.id, input.redemptionId);
      if (!redemption) return fail(404, t.noSuchCode);
      await revokeCode(prisma, admin, shop, { redemptionId: redemption.id, staffId }, now);
      return Response.json({ ok: true, message: t.revoked } satisfies ActionResult);
    } catch (error) {
      if (error instanceof SettingsError) return fail(statusOf(error), t.fixErrors, error.fieldErrors);
      if (error instanceof RedeemError) return fail(statusOf(error), t.refusals[error.reason]);
      if (error instanceof RevokeError) return fail(statusOf(error), t.refusals[error.reason]);
      if (error instanceof AdminTransientError) return fail(statusOf(error), t.pendingCode);
      throw error;
    }
  },
);

const ISSUE_MODAL = "issue-code";
const codeTone = {
  RESERVED: "attention",
  ISSUED: "success",
  FAILED: "critical",
  USED: undefined,
  REVOKED: undefined,
  EXPIRED: undefined,
  CREDITED: undefined,
} as const;

/**
 * The order an entry is for, by its name in Shopify's admin ("Order #1001"; an order recorded
 * before names were kept, by its id), linked to its page there (app/admin/admin-links.ts).
 */
function OrderLink({ orderGid, orderName }: { orderGid: string | null; orderName: string | null }) {
  const t = useStrings().customer;
  const url = adminOrderUrl(orderGid);
  const id = orderNumberOf(orderGid);
  if (!url || !id) return null;
  return (
    <Link url={url} target="_top">
      {t.order(orderName ?? id)}
    </Link>
  );
}

const newKey = () => `staff-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export default function CustomerPage() {
  const strings = useStrings();
  const t = strings.customer;
  const format = useFormat();
  const signed = (n: number) => (n > 0 ? `+${format.number(n)}` : format.number(n));
  const { member, entries, codes, rewards, dataRequest, storeCredit } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const fetcher = useFetcher<ActionResult>();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [rewardKey, setRewardKey] = useState(rewards[0]?.key ?? "");
  const [adjustKey, setAdjustKey] = useState(newKey);
  const [issueKey, setIssueKey] = useState(newKey);
  // Each refused field's error as a sentence naming it, in the staff member's language.
  const writer = useErrorWriter();
  const errors: Record<string, string> = Object.fromEntries(
    Object.entries(fetcher.data && !fetcher.data.ok ? (fetcher.data.fieldErrors ?? {}) : {}).map(
      ([field, error]) => [
        field,
        errorSentence((t.errorFields as Record<string, string>)[field] ?? field, error, writer),
      ],
    ),
  );
  /** What the last submission was, so its success clears the right form. */
  const submitted = useRef<string | null>(null);
  const reward = rewards.find((r) => r.key === rewardKey);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    shopify.toast.show(fetcher.data.ok ? fetcher.data.message : fetcher.data.error, {
      isError: !fetcher.data.ok,
    });
    // A done adjustment empties its form, so a second click cannot apply it twice by accident.
    if (fetcher.data.ok && submitted.current === "adjust") {
      setPoints("");
      setReason("");
    }
    submitted.current = null;
  }, [fetcher.state, fetcher.data, shopify]);

  const submit = (data: Record<string, string>, after: () => void) => {
    submitted.current = data.intent ?? null;
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
        <Layout.Section variant="fullWidth">
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <StatCard
              label={t.balance}
              value={format.number(member.balance)}
              note={
                storeCredit
                  ? t.storeCredit(
                      storeCredit.length
                        ? storeCredit
                            .map((credit) => format.money(credit.amount, credit.currencyCode))
                            .join(", ")
                        : format.money(0, null),
                    )
                  : null
              }
            />
            <StatCard label={t.pending} value={format.number(member.pending)} />
            <StatCard
              label={t.tier}
              value={member.tier ?? "—"}
              note={
                member.nextTier
                  ? t.progress(
                      // What is left: an amount of spend ("700.00") or a count, written the locale's way.
                      member.nextTier.remaining.includes(".")
                        ? format.number(member.nextTier.remaining, { minimum: 2, maximum: 2 })
                        : format.number(member.nextTier.remaining),
                      member.nextTier.name,
                    )
                  : null
              }
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            <TableCard
              title={t.codes}
              empty={t.noCodes}
              rows={codes}
              rowId={(code) => code.id}
              headings={[
                { title: t.codeColumns.code },
                { title: t.codeColumns.reward },
                { title: t.codeColumns.status },
                { title: t.codeColumns.until },
                { title: "" },
              ]}
              cells={(code) => [
                code.code,
                code.title,
                <Badge key="status" tone={codeTone[code.status]}>
                  {t.codeStatuses[code.status]}
                </Badge>,
                format.date(code.endsAt),
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
            <TableCard
              title={t.history}
              empty={t.noHistory}
              rows={entries}
              rowId={(entry) => entry.id}
              headings={[
                { title: t.historyColumns.when },
                { title: t.historyColumns.what },
                { title: t.historyColumns.order },
                { title: t.historyColumns.points, alignment: "end" },
                { title: t.historyColumns.balance, alignment: "end" },
                { title: t.historyColumns.note },
              ]}
              cells={(entry) => [
                format.dateTime(entry.occurredAt),
                entry.kind === "FLOW"
                  ? (entry.points < 0 ? t.flowDeducted : t.flowAwarded)(entry.note)
                  : t.kinds[entry.kind],
                <OrderLink key="order" orderGid={entry.orderGid} orderName={entry.orderName} />,
                [
                  entry.points !== 0 ? signed(entry.points) : "",
                  entry.pendingPoints !== 0 ? `(${t.pendingNote(entry.pendingPoints)})` : "",
                ]
                  .filter(Boolean)
                  .join(" "),
                format.number(entry.balanceAfter),
                // A Flow entry's reason is in its "what" already.
                entry.kind === "FLOW" ? "" : (entry.note ?? ""),
              ]}
            />
          </BlockStack>
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
                  disabled={!reward}
                  onClick={() => shopify.modal.show(ISSUE_MODAL)}
                >
                  {t.issueSubmit}
                </Button>
              </FormLayout>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <Modal id={ISSUE_MODAL}>
        <p style={{ padding: "1rem" }}>
          {reward ? t.issueConfirm(reward.title, reward.pointsCost, member.label) : ""}
        </p>
        <TitleBar title={t.issueConfirmTitle}>
          <button
            variant="primary"
            disabled={fetcher.state !== "idle"}
            onClick={() => {
              shopify.modal.hide(ISSUE_MODAL);
              submit({ intent: "issue", rewardKey, idempotencyKey: issueKey }, () => setIssueKey(newKey()));
            }}
          >
            {t.issueSubmit}
          </button>
          <button onClick={() => shopify.modal.hide(ISSUE_MODAL)}>{t.issueCancel}</button>
        </TitleBar>
      </Modal>
    </Page>
  );
}
