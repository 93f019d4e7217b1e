/** @jsxImportSource preact */
/**
 * What staff see of a customer at POS, in the modal and on the customer details screen: balance,
 * tier and the rewards the customer can afford, each redeemed for the customer through the app
 * (/surfaces/pos/customers/{id}/redeem: the same redemption as every surface, recorded as the
 * staff member's) and its code added to the cart with the Cart API's addCartCodeDiscount
 * (https://shopify.dev/docs/api/pos-ui-extensions/latest/apis/cart-api). A spend-any-amount reward
 * takes the points staff type for the customer (s-number-field, whose POS version has no step:
 * https://shopify.dev/docs/api/pos-ui-extensions/latest/polaris-web-components/forms/numberfield),
 * checked here and again by the app; store credit lands in the customer's account (no code).
 */
import { useEffect, useState } from "preact/hooks";
import type { Api as ModalApi } from "@shopify/ui-extensions/pos.home.modal.render";
import {
  amountAllowed,
  amountWorth,
  mostPoints,
  regularsClient,
  type AmountLimits,
  type Answer,
  type ErrorCode,
  type MemberState,
  type Status,
} from "../../shared/regulars-client";

type PosApi = Pick<ModalApi, "i18n" | "session" | "cart" | "toast">;

/** The client for one customer: POS tokens name the staff member; the customer is in the path. */
export const posClient = (api: Pick<PosApi, "session">, customerId: number) =>
  regularsClient("pos", { get: () => api.session.getSessionToken() }, { prefix: `/customers/${customerId}` });

type Notice =
  | { kind: "added"; code: string }
  | { kind: "pending" }
  | { kind: "credited" }
  | { kind: "refused"; error: ErrorCode; limits?: AmountLimits };

export function StaffRewards({ api, customerId }: { api: PosApi; customerId: number }) {
  const { i18n } = api;
  const [client] = useState(() => posClient(api, customerId));
  const [status, setStatus] = useState<Answer<Status> | null>(null);
  const [member, setMember] = useState<MemberState | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  useEffect(() => {
    void client.status().then((answer) => {
      setStatus(answer);
      if (answer.ok && answer.data.loggedIn) setMember(answer.data);
    });
  }, [client]);

  const redeem = async (rewardKey: string, points?: number) => {
    setBusy(rewardKey);
    setNotice(null);
    const answer = await client.redeem(rewardKey, points);
    if (!answer.ok) {
      setNotice({
        kind: "refused",
        error: answer.error,
        ...(answer.limits ? { limits: answer.limits } : {}),
      });
      setBusy(null);
      return;
    }
    setMember(answer.data.member);
    if (answer.data.status === "issued" && answer.data.code) {
      await api.cart.addCartCodeDiscount(answer.data.code);
      api.toast.show(i18n.translate("added", { code: answer.data.code }));
      setNotice({ kind: "added", code: answer.data.code });
    } else setNotice({ kind: answer.data.status === "credited" ? "credited" : "pending" });
    setBusy(null);
  };

  if (status === null) return <s-text>{i18n.translate("loading")}</s-text>;
  if (!status.ok) return <s-banner tone="critical" heading={i18n.translate(`errors.${status.error}`)} />;
  if (!member) return <s-text>{i18n.translate("not_a_member")}</s-text>;
  const { active, currencyCode } = status.data.program;
  const number = (value: number) => i18n.formatNumber(value);
  const money = (amount: number) =>
    currencyCode
      ? i18n.formatCurrency(amount, { currency: currencyCode })
      : i18n.formatNumber(amount, { minimumFractionDigits: 2 });
  const limitsText = (limits: AmountLimits) =>
    i18n.translate("errors.amount_not_allowed", {
      step: number(limits.step),
      min: number(limits.minPoints),
      max: number(limits.maxPoints),
    });
  return (
    <s-stack gap="base">
      <s-heading>
        {i18n.translate("points", { count: member.points, points: number(member.points) })}
      </s-heading>
      {member.tier ? <s-badge>{member.tier}</s-badge> : null}
      {active ? null : <s-text>{i18n.translate("paused")}</s-text>}
      {notice?.kind === "added" ? (
        <s-banner tone="success" heading={i18n.translate("added", { code: notice.code })} />
      ) : null}
      {notice?.kind === "pending" ? <s-banner tone="auto" heading={i18n.translate("pending")} /> : null}
      {notice?.kind === "credited" ? <s-banner tone="success" heading={i18n.translate("credited")} /> : null}
      {notice?.kind === "refused" ? (
        <s-banner
          tone="critical"
          heading={notice.limits ? limitsText(notice.limits) : i18n.translate(`errors.${notice.error}`)}
        />
      ) : null}
      {member.rewards.map((reward) => {
        const any = reward.anyAmount;
        if (!any)
          return (
            <s-button
              key={reward.key}
              disabled={!active || !reward.affordable || (busy !== null && busy !== reward.key)}
              loading={busy === reward.key}
              onClick={() => void redeem(reward.key)}
            >
              {i18n.translate("redeem", {
                reward: reward.title,
                count: reward.pointsCost,
                points: number(reward.pointsCost),
              })}
            </s-button>
          );
        const value = amounts[reward.key] ?? String(any.minPoints);
        const points = Number(value);
        const most = mostPoints(any, member.points);
        const allowed = value.trim() !== "" && amountAllowed(any, member.points, points);
        return (
          <s-stack key={reward.key} gap="small">
            <s-number-field
              label={i18n.translate("any_label", { reward: reward.title })}
              value={value}
              min={any.minPoints}
              max={Math.max(most, any.minPoints)}
              disabled={!active || most < any.minPoints}
              error={
                allowed || most < any.minPoints
                  ? undefined
                  : limitsText({ step: any.step, minPoints: any.minPoints, maxPoints: most })
              }
              onInput={(event: Event) => {
                const field = event.currentTarget as { value?: string } | null;
                setAmounts({ ...amounts, [reward.key]: field?.value ?? "" });
              }}
            />
            {allowed ? (
              <s-text>{i18n.translate("any_worth", { amount: money(amountWorth(any, points)) })}</s-text>
            ) : null}
            <s-button
              disabled={!active || !allowed || (busy !== null && busy !== reward.key)}
              loading={busy === reward.key}
              onClick={() => void redeem(reward.key, points)}
            >
              {i18n.translate("redeem", {
                reward: reward.title,
                count: allowed ? points : any.minPoints,
                points: number(allowed ? points : any.minPoints),
              })}
            </s-button>
          </s-stack>
        );
      })}
    </s-stack>
  );
}
