/** @jsxImportSource preact */
/**
 * In checkout, after the discount field (purchase.checkout.reductions.render-after, Shopify
 * Plus: https://shopify.dev/docs/api/checkout-ui-extensions/latest/targets/block/purchase-checkout-reductions-render-after):
 * a signed-in member's balance and the rewards they can afford. Applying one redeems it through
 * the app (the same redemption as everywhere: /surfaces/checkout/redeem), then adds the code to
 * the checkout with `applyDiscountCodeChange`
 * (https://shopify.dev/docs/api/checkout-ui-extensions/latest/apis/discounts). The member's live
 * codes are listed with Apply too: a code removed from the checkout stays theirs until it ends.
 * A code already in the checkout (`shopify.discountCodes`, the same page) says so instead of
 * offering Apply again.
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/purchase.checkout.reductions.render-after";
import {
  regularsClient,
  type Answer,
  type ErrorCode,
  type MemberState,
  type RegularsClient,
  type Status,
} from "../../shared/regulars-client";

export default async () => {
  render(
    <CheckoutRewards api={shopify} client={regularsClient("checkout", shopify.sessionToken)} />,
    document.body,
  );
};

type Notice =
  | { kind: "applied"; code: string }
  | { kind: "not_applied"; code: string; endsAt: string | null; message: string | null }
  | { kind: "pending" }
  | { kind: "refused"; error: ErrorCode };

function CheckoutRewards({
  api,
  client,
}: {
  api: Pick<Api, "i18n" | "applyDiscountCodeChange" | "discountCodes">;
  client: RegularsClient;
}) {
  const { i18n } = api;
  const [status, setStatus] = useState<Answer<Status> | null>(null);
  const [member, setMember] = useState<MemberState | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  useEffect(() => {
    void client.status().then((answer) => {
      setStatus(answer);
      if (answer.ok && answer.data.loggedIn) setMember(answer.data);
    });
  }, [client]);

  const apply = async (code: string, endsAt: string | null) => {
    const result = await api.applyDiscountCodeChange({ type: "addDiscountCode", code });
    setNotice(
      result.type === "success"
        ? { kind: "applied", code }
        : { kind: "not_applied", code, endsAt, message: result.message ?? null },
    );
  };

  const redeem = async (rewardKey: string) => {
    setBusy(rewardKey);
    setNotice(null);
    const answer = await client.redeem(rewardKey);
    if (!answer.ok) {
      setBusy(null);
      setNotice({ kind: "refused", error: answer.error });
      return;
    }
    setMember(answer.data.member);
    if (answer.data.status === "issued" && answer.data.code)
      await apply(answer.data.code, answer.data.endsAt ?? null);
    else setNotice({ kind: "pending" });
    setBusy(null);
  };

  if (status === null) return <s-spinner accessibilityLabel={i18n.translate("loading")} />;
  if (!status.ok) return <s-text tone="critical">{i18n.translate(`errors.${status.error}`)}</s-text>;
  // A guest, or a shop that has not approved the app's protected customer data: nothing personal.
  if (!status.data.loggedIn || !member) return null;
  const active = status.data.program.active;
  const affordable = member.rewards.filter((reward) => reward.affordable);
  const number = (value: number) => i18n.formatNumber(value);
  const date = (iso: string) => i18n.formatDate(new Date(iso), { dateStyle: "medium" });
  // The codes in the checkout now (read on each render: a change made here re-renders with it).
  const inCheckout = new Set(api.discountCodes.value.map((applied) => applied.code.toUpperCase()));
  return (
    <s-section heading={i18n.translate("checkout.heading")}>
      <s-stack gap="base">
        <s-text>
          {i18n.translate("checkout.balance", { count: member.points, points: number(member.points) })}
        </s-text>
        {active ? null : <s-text color="subdued">{i18n.translate("paused")}</s-text>}
        {notice ? <NoticeBanner i18n={i18n} notice={notice} date={date} /> : null}
        {active && affordable.length === 0 && member.codes.length === 0 ? (
          <s-text color="subdued">{i18n.translate("checkout.none")}</s-text>
        ) : null}
        {active
          ? affordable.map((reward) => (
              <s-stack
                key={reward.key}
                direction="inline"
                gap="base"
                alignItems="center"
                justifyContent="space-between"
              >
                <s-text>
                  {i18n.translate("checkout.reward", {
                    reward: reward.title,
                    count: reward.pointsCost,
                    points: number(reward.pointsCost),
                  })}
                </s-text>
                <s-button
                  variant="secondary"
                  loading={busy === reward.key}
                  disabled={busy !== null && busy !== reward.key}
                  accessibilityLabel={i18n.translate("checkout.redeem_label", { reward: reward.title })}
                  onClick={() => void redeem(reward.key)}
                >
                  {i18n.translate("checkout.redeem")}
                </s-button>
              </s-stack>
            ))
          : null}
        {member.codes.map((code) => (
          <s-stack
            key={code.code}
            direction="inline"
            gap="base"
            alignItems="center"
            justifyContent="space-between"
          >
            <s-text>
              {i18n.translate("checkout.code", {
                code: code.code,
                reward: code.title,
                date: date(code.endsAt),
              })}
            </s-text>
            {inCheckout.has(code.code.toUpperCase()) ? (
              <s-badge>{i18n.translate("checkout.in_checkout")}</s-badge>
            ) : (
              <s-button
                variant="secondary"
                disabled={busy !== null}
                accessibilityLabel={i18n.translate("checkout.apply_label", { code: code.code })}
                onClick={() => void apply(code.code, code.endsAt)}
              >
                {i18n.translate("checkout.apply")}
              </s-button>
            )}
          </s-stack>
        ))}
      </s-stack>
    </s-section>
  );
}

function NoticeBanner({
  i18n,
  notice,
  date,
}: {
  i18n: Api["i18n"];
  notice: Notice;
  date: (iso: string) => string;
}) {
  if (notice.kind === "applied") {
    return <s-banner tone="success" heading={i18n.translate("checkout.applied", { code: notice.code })} />;
  }
  if (notice.kind === "pending") return <s-banner tone="info" heading={i18n.translate("checkout.pending")} />;
  if (notice.kind === "refused")
    return <s-banner tone="critical" heading={i18n.translate(`errors.${notice.error}`)} />;
  return (
    <s-banner tone="warning" heading={i18n.translate("checkout.not_applied", { code: notice.code })}>
      {notice.message ? <s-paragraph>{notice.message}</s-paragraph> : null}
      <s-paragraph>
        {notice.endsAt
          ? i18n.translate("checkout.kept_until", { date: date(notice.endsAt) })
          : i18n.translate("checkout.kept")}
      </s-paragraph>
    </s-banner>
  );
}
