/** @jsxImportSource preact */
/**
 * The Rewards page in customer accounts (customer-account.page.render,
 * https://shopify.dev/docs/api/customer-account-ui-extensions/latest/targets/full-page/customer-account-page-render):
 * balance and pending points, tier and progress to the next, the rewards with redeem (the code
 * shown and copyable), the member's live codes with their expiry, their referral link with a copy
 * button (while referrals are on), how to earn, and the recent history with the order named. Polaris web components (`s-*`), words from locales/ through
 * `shopify.i18n` (https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/localization-api).
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/customer-account.page.render";
import {
  regularsClient,
  type ErrorCode,
  type MemberState,
  type ProgramExplainer,
  type RegularsClient,
  type Status,
} from "../../shared/regulars-client";

export default async () => {
  render(
    <RewardsPage api={shopify} client={regularsClient("customer-account", shopify.sessionToken)} />,
    document.body,
  );
};

type I18n = Api["i18n"];

interface Props {
  api: Pick<Api, "i18n">;
  client: RegularsClient;
}

type View = { state: "loading" } | { state: "failed"; error: ErrorCode } | { state: "ready"; status: Status };

/** The last redemption's outcome, shown above the rewards. */
type Outcome =
  | { kind: "issued"; code: string; endsAt: string | null }
  | { kind: "pending" }
  | { kind: "refused"; error: ErrorCode };

function RewardsPage({ api, client }: Props) {
  const { i18n } = api;
  const [view, setView] = useState<View>({ state: "loading" });

  const load = () => {
    setView({ state: "loading" });
    void client
      .status()
      .then((answer) =>
        setView(
          answer.ok ? { state: "ready", status: answer.data } : { state: "failed", error: answer.error },
        ),
      );
  };
  useEffect(load, [client]);

  const heading = i18n.translate("title");
  if (view.state === "loading") {
    return (
      <s-page heading={heading}>
        <s-stack direction="inline" gap="base" alignItems="center">
          <s-spinner accessibilityLabel={i18n.translate("loading")} />
          <s-text>{i18n.translate("loading")}</s-text>
        </s-stack>
      </s-page>
    );
  }
  if (view.state === "failed") {
    return (
      <s-page heading={heading}>
        <s-banner tone="critical" heading={i18n.translate(`errors.${view.error}`)}>
          <s-button onClick={load}>{i18n.translate("retry")}</s-button>
        </s-banner>
      </s-page>
    );
  }
  const { status } = view;
  return (
    <s-page heading={heading}>
      <s-stack gap="large">
        {status.loggedIn ? (
          <Member i18n={i18n} client={client} program={status.program} initial={status} key="member" />
        ) : (
          <s-banner tone="info" heading={i18n.translate("no_customer.heading")}>
            <s-paragraph>{i18n.translate("no_customer.body")}</s-paragraph>
          </s-banner>
        )}
        <HowToEarn i18n={i18n} program={status.program} />
      </s-stack>
    </s-page>
  );
}

function Member(props: {
  i18n: I18n;
  client: RegularsClient;
  program: ProgramExplainer;
  initial: MemberState;
}) {
  const { i18n, client, program } = props;
  const [member, setMember] = useState<MemberState>(props.initial);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const redeem = async (rewardKey: string) => {
    setBusy(rewardKey);
    setOutcome(null);
    const answer = await client.redeem(rewardKey);
    setBusy(null);
    if (!answer.ok) {
      setOutcome({ kind: "refused", error: answer.error });
      return;
    }
    setMember(answer.data.member);
    setOutcome(
      answer.data.status === "issued" && answer.data.code
        ? { kind: "issued", code: answer.data.code, endsAt: answer.data.endsAt ?? null }
        : { kind: "pending" },
    );
  };

  const number = (value: number) => i18n.formatNumber(value);
  const date = (iso: string) => i18n.formatDate(new Date(iso), { dateStyle: "medium" });
  return (
    <s-stack gap="large">
      {program.active ? null : <s-banner tone="warning" heading={i18n.translate("paused")} />}
      <s-section heading={i18n.translate("balance.heading")}>
        <s-stack gap="small-200">
          <s-heading>
            {i18n.translate("points", { count: member.points, points: number(member.points) })}
          </s-heading>
          {member.pending > 0 ? (
            <s-text color="subdued">
              {i18n.translate("balance.pending", { count: member.pending, points: number(member.pending) })}
            </s-text>
          ) : null}
          {member.tier ? (
            <s-stack direction="inline" gap="small-200" alignItems="center">
              <s-text>{i18n.translate("tier.label")}</s-text>
              <s-badge>{member.tier}</s-badge>
            </s-stack>
          ) : null}
          {member.nextTier ? (
            <s-stack gap="small-300">
              <s-progress
                value={member.nextTier.percent}
                max={100}
                accessibilityLabel={i18n.translate("tier.progress_label", { tier: member.nextTier.name })}
              />
              <s-text color="subdued">
                {i18n.translate("tier.next", {
                  remaining: remainingText(i18n, program, member.nextTier.remaining),
                  tier: member.nextTier.name,
                })}
              </s-text>
            </s-stack>
          ) : member.tier ? (
            <s-text color="subdued">{i18n.translate("tier.top")}</s-text>
          ) : null}
        </s-stack>
      </s-section>

      {outcome ? <OutcomeBanner i18n={i18n} outcome={outcome} date={date} /> : null}

      <s-section heading={i18n.translate("rewards.heading")}>
        {member.rewards.length === 0 ? (
          <s-paragraph>{i18n.translate("rewards.none")}</s-paragraph>
        ) : (
          <s-stack gap="base">
            {member.rewards.map((reward) => (
              <s-stack
                key={reward.key}
                direction="inline"
                gap="base"
                alignItems="center"
                justifyContent="space-between"
              >
                <s-stack gap="small-300">
                  <s-text type="strong">{reward.title}</s-text>
                  <s-text color="subdued">
                    {reward.affordable
                      ? i18n.translate("points", {
                          count: reward.pointsCost,
                          points: number(reward.pointsCost),
                        })
                      : i18n.translate("rewards.more", {
                          count: reward.pointsCost - member.points,
                          points: number(reward.pointsCost - member.points),
                        })}
                  </s-text>
                </s-stack>
                <s-button
                  variant="secondary"
                  disabled={!reward.affordable || !program.active || (busy !== null && busy !== reward.key)}
                  loading={busy === reward.key}
                  accessibilityLabel={i18n.translate("rewards.redeem_label", {
                    reward: reward.title,
                    points: number(reward.pointsCost),
                  })}
                  onClick={() => void redeem(reward.key)}
                >
                  {i18n.translate("rewards.redeem")}
                </s-button>
              </s-stack>
            ))}
          </s-stack>
        )}
      </s-section>

      <s-section heading={i18n.translate("codes.heading")}>
        {member.codes.length === 0 ? (
          <s-paragraph>{i18n.translate("codes.none")}</s-paragraph>
        ) : (
          <s-stack gap="base">
            {member.codes.map((code, index) => (
              <s-stack key={code.code} direction="inline" gap="base" alignItems="center">
                <s-stack gap="small-300">
                  <s-text type="strong">{code.code}</s-text>
                  <s-text color="subdued">
                    {i18n.translate("codes.expires", { reward: code.title, date: date(code.endsAt) })}
                  </s-text>
                </s-stack>
                <CopyButton i18n={i18n} id={`regulars-code-${index}`} code={code.code} />
              </s-stack>
            ))}
          </s-stack>
        )}
      </s-section>

      {program.referrals && member.referral?.url ? (
        <s-section heading={i18n.translate("referral.heading")}>
          <s-stack gap="small-200">
            <s-paragraph>
              {/* A catalog reward's title when the merchant chose one for referrers, else the points. */}
              {program.referrals.referrerReward
                ? i18n.translate("referral.offer_reward", {
                    percent: number(program.referrals.refereePercent),
                    reward: program.referrals.referrerReward,
                  })
                : i18n.translate("referral.offer", {
                    percent: number(program.referrals.refereePercent),
                    count: program.referrals.referrerPoints,
                    points: number(program.referrals.referrerPoints),
                  })}
            </s-paragraph>
            <s-stack direction="inline" gap="base" alignItems="center">
              <s-text type="strong">{member.referral.url}</s-text>
              <CopyButton
                i18n={i18n}
                id="regulars-referral-link"
                code={member.referral.url}
                label={i18n.translate("referral.copy_label")}
              />
            </s-stack>
          </s-stack>
        </s-section>
      ) : null}

      <s-section heading={i18n.translate("history.heading")}>
        {member.history.length === 0 ? (
          <s-paragraph>{i18n.translate("history.none")}</s-paragraph>
        ) : (
          <s-unordered-list>
            {member.history.map((entry, index) => (
              <s-list-item key={`${entry.at}-${index}`}>
                {i18n.translate("history.entry", {
                  what: entry.orderName
                    ? i18n.translate(`history.order_kinds.${entry.kind.toLowerCase()}`, {
                        order: entry.orderName,
                      })
                    : i18n.translate(`history.kinds.${entry.kind.toLowerCase()}`),
                  points: `${entry.points > 0 ? "+" : ""}${number(entry.points)}`,
                  date: date(entry.at),
                })}
              </s-list-item>
            ))}
          </s-unordered-list>
        )}
      </s-section>
    </s-stack>
  );
}

function OutcomeBanner({
  i18n,
  outcome,
  date,
}: {
  i18n: I18n;
  outcome: Outcome;
  date: (iso: string) => string;
}) {
  if (outcome.kind === "refused") {
    return <s-banner tone="critical" heading={i18n.translate(`errors.${outcome.error}`)} />;
  }
  if (outcome.kind === "pending")
    return <s-banner tone="info" heading={i18n.translate("redeemed.pending")} />;
  return (
    <s-banner tone="success" heading={i18n.translate("redeemed.heading")}>
      <s-stack direction="inline" gap="base" alignItems="center">
        <s-text type="strong">{outcome.code}</s-text>
        <CopyButton i18n={i18n} id="regulars-new-code" code={outcome.code} />
      </s-stack>
      {outcome.endsAt ? (
        <s-paragraph>{i18n.translate("redeemed.use", { date: date(outcome.endsAt) })}</s-paragraph>
      ) : null}
    </s-banner>
  );
}

/** A button that copies the code: s-clipboard-item with the button's `--copy` command. */
function CopyButton({ i18n, id, code, label }: { i18n: I18n; id: string; code: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <>
      <s-clipboard-item id={id} text={code} onCopy={() => setCopied(true)} />
      <s-button
        variant="secondary"
        command="--copy"
        commandFor={id}
        accessibilityLabel={label ?? i18n.translate("codes.copy_label", { code })}
      >
        {copied ? i18n.translate("codes.copied") : i18n.translate("codes.copy")}
      </s-button>
    </>
  );
}

/**
 * Money in the shopper's locale and the shop's currency: shopify.i18n.formatCurrency "behaves like
 * the standard Intl.NumberFormat() with a style of currency applied" and uses the buyer's locale
 * (https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/localization-api;
 * @shopify/ui-extensions' customer-account/api/shared.d.ts types it
 * `(number, options?: { inExtensionLocale?: boolean } & Intl.NumberFormatOptions) => string`). The
 * currency is passed, not assumed: the shop's, as the status names it. null when the shop's
 * currency is not known yet (the caller then words the amount without one).
 */
function formatMoney(
  i18n: I18n,
  program: ProgramExplainer,
  amount: number,
  options: Intl.NumberFormatOptions = {},
): string | null {
  if (!program.currencyCode) return null;
  return i18n.formatCurrency(amount, { currency: program.currencyCode, ...options });
}

/** What is left to the next tier: money when tiers count spend ("$10.00"), else a number. */
function remainingText(i18n: I18n, program: ProgramExplainer, remaining: string): string {
  const value = Number(remaining);
  if (program.tierBasis !== "SPEND") return i18n.formatNumber(value);
  return formatMoney(i18n, program, value) ?? i18n.formatNumber(value, { minimumFractionDigits: 2 });
}

function HowToEarn({ i18n, program }: { i18n: I18n; program: ProgramExplainer }) {
  // "for every $1": one whole unit of the shop's currency, without decimals.
  const unit = formatMoney(i18n, program, 1, { minimumFractionDigits: 0, maximumFractionDigits: 0 });
  return (
    <s-section heading={i18n.translate("earn.heading")}>
      <s-unordered-list>
        <s-list-item>
          {unit
            ? i18n.translate("earn.purchase", { rate: program.earnRate, amount: unit })
            : i18n.translate("earn.purchase_any_currency", { rate: program.earnRate })}
        </s-list-item>
        {program.signupBonus > 0 ? (
          <s-list-item>
            {i18n.translate("earn.signup", {
              count: program.signupBonus,
              points: i18n.formatNumber(program.signupBonus),
            })}
          </s-list-item>
        ) : null}
        {program.birthdayBonus > 0 ? (
          <s-list-item>
            {i18n.translate("earn.birthday", {
              count: program.birthdayBonus,
              points: i18n.formatNumber(program.birthdayBonus),
            })}
          </s-list-item>
        ) : null}
        {program.tiers.map((tier) => (
          <s-list-item key={tier.name}>
            {i18n.translate("earn.tier", { tier: tier.name, multiplier: tier.multiplier })}
          </s-list-item>
        ))}
      </s-unordered-list>
    </s-section>
  );
}
