/** @jsxImportSource preact */
/**
 * What staff see of a customer at POS, in the modal and on the customer details screen: balance,
 * tier and the rewards the customer can afford, each redeemed for the customer through the app
 * (/surfaces/pos/customers/{id}/redeem: the same redemption as every surface, recorded as the
 * staff member's) and its code added to the cart with the Cart API's addCartCodeDiscount
 * (https://shopify.dev/docs/api/pos-ui-extensions/latest/apis/cart-api).
 */
import { useEffect, useState } from "preact/hooks";
import type { Api as ModalApi } from "@shopify/ui-extensions/pos.home.modal.render";
import {
  regularsClient,
  type Answer,
  type ErrorCode,
  type MemberState,
  type Status,
} from "../../shared/regulars-client";

type PosApi = Pick<ModalApi, "i18n" | "session" | "cart" | "toast">;

/** The client for one customer: POS tokens name the staff member; the customer is in the path. */
export const posClient = (api: Pick<PosApi, "session">, customerId: number) =>
  regularsClient("pos", { get: () => api.session.getSessionToken() }, { prefix: `/customers/${customerId}` });

type Notice = { kind: "added"; code: string } | { kind: "pending" } | { kind: "refused"; error: ErrorCode };

export function StaffRewards({ api, customerId }: { api: PosApi; customerId: number }) {
  const { i18n } = api;
  const [client] = useState(() => posClient(api, customerId));
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

  const redeem = async (rewardKey: string) => {
    setBusy(rewardKey);
    setNotice(null);
    const answer = await client.redeem(rewardKey);
    if (!answer.ok) {
      setNotice({ kind: "refused", error: answer.error });
      setBusy(null);
      return;
    }
    setMember(answer.data.member);
    if (answer.data.status === "issued" && answer.data.code) {
      await api.cart.addCartCodeDiscount(answer.data.code);
      api.toast.show(i18n.translate("added", { code: answer.data.code }));
      setNotice({ kind: "added", code: answer.data.code });
    } else setNotice({ kind: "pending" });
    setBusy(null);
  };

  if (status === null) return <s-text>{i18n.translate("loading")}</s-text>;
  if (!status.ok) return <s-banner tone="critical" heading={i18n.translate(`errors.${status.error}`)} />;
  if (!member) return <s-text>{i18n.translate("not_a_member")}</s-text>;
  const active = status.data.program.active;
  const number = (value: number) => i18n.formatNumber(value);
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
      {notice?.kind === "refused" ? (
        <s-banner tone="critical" heading={i18n.translate(`errors.${notice.error}`)} />
      ) : null}
      {member.rewards.map((reward) => (
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
      ))}
    </s-stack>
  );
}
