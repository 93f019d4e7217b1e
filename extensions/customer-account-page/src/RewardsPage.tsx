/** @jsxImportSource preact */
/**
 * The Rewards page in customer accounts (customer-account.page.render,
 * https://shopify.dev/docs/api/customer-account-ui-extensions/latest/targets/full-page/customer-account-page-render):
 * balance and pending points, tier and progress to the next, the rewards with redeem (the code
 * shown and copyable), the member's live codes with their expiry, their referral link with a copy
 * button (while referrals are on), how to earn (a social follow's link as a button that also claims
 * its points once), and the recent history with the order named. Polaris web components (`s-*`), words from locales/ through
 * `shopify.i18n` (https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/localization-api).
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/customer-account.page.render";
import {
  amountAllowed,
  amountWorth,
  mostPoints,
  regularsClient,
  type AmountLimits,
  type AnyAmount,
  type EarnAction,
  type ErrorCode,
  type Followed,
  type Answer,
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
  | { kind: "credited" }
  | { kind: "refused"; error: ErrorCode; limits?: AmountLimits };

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
          <>
            <s-banner tone="info" heading={i18n.translate("no_customer.heading")}>
              <s-paragraph>{i18n.translate("no_customer.body")}</s-paragraph>
            </s-banner>
            {/* Nobody to credit: a follow's button only opens the link. */}
            <HowToEarn i18n={i18n} program={status.program} />
          </>
        )}
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
  // "Spend any amount": the points chosen for each such reward (its minimum until changed).
  const [amounts, setAmounts] = useState<Record<string, string>>({});
  const redeem = async (rewardKey: string, points?: number) => {
    setBusy(rewardKey);
    setOutcome(null);
    const answer = await client.redeem(rewardKey, points);
    setBusy(null);
    if (!answer.ok) {
      setOutcome({
        kind: "refused",
        error: answer.error,
        ...(answer.limits ? { limits: answer.limits } : {}),
      });
      return;
    }
    setMember(answer.data.member);
    setOutcome(
      answer.data.status === "issued" && answer.data.code
        ? { kind: "issued", code: answer.data.code, endsAt: answer.data.endsAt ?? null }
        : answer.data.status === "credited"
          ? { kind: "credited" }
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
          {member.storeCredit && Number(member.storeCredit.amount) > 0 ? (
            <s-text>
              {i18n.translate("balance.store_credit", {
                amount: i18n.formatCurrency(Number(member.storeCredit.amount), {
                  currency: member.storeCredit.currencyCode,
                }),
              })}
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
            {member.rewards.map((reward) =>
              reward.anyAmount ? (
                <AmountReward
                  key={reward.key}
                  i18n={i18n}
                  program={program}
                  reward={{ ...reward, anyAmount: reward.anyAmount }}
                  balance={member.points}
                  value={amounts[reward.key] ?? String(reward.anyAmount.minPoints)}
                  onValue={(value) => setAmounts({ ...amounts, [reward.key]: value })}
                  disabled={!program.active || (busy !== null && busy !== reward.key)}
                  loading={busy === reward.key}
                  onRedeem={(points) => void redeem(reward.key, points)}
                />
              ) : (
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
              ),
            )}
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

      <HowToEarn
        i18n={i18n}
        program={program}
        follow={async (rule) => {
          const answer = await client.follow(rule);
          // A follow's points are the member's at once (a bonus, never pending): the balance follows.
          if (answer.ok) setMember((now) => ({ ...now, points: answer.data.balance }));
          return answer;
        }}
      />
    </s-stack>
  );
}

/**
 * A spend-any-amount reward: a number field with a stepper (s-number-field, `controls="stepper"`:
 * https://shopify.dev/docs/api/customer-account-ui-extensions/latest/polaris-web-components/forms/numberfield)
 * from the reward's minimum to what the member can spend, in steps, with what the points chosen
 * are worth in the shop's currency; outside those limits the field says what it takes and Redeem
 * waits. The app checks the amount again (its refusal names its own limits).
 */
function AmountReward(props: {
  i18n: I18n;
  program: ProgramExplainer;
  reward: { key: string; title: string; affordable: boolean; anyAmount: AnyAmount };
  balance: number;
  value: string;
  onValue: (value: string) => void;
  disabled: boolean;
  loading: boolean;
  onRedeem: (points: number) => void;
}) {
  const { i18n, program, reward, balance, value } = props;
  const any = reward.anyAmount;
  const number = (n: number) => i18n.formatNumber(n);
  const money = (amount: number) =>
    formatMoney(i18n, program, amount) ?? i18n.formatNumber(amount, { minimumFractionDigits: 2 });
  const most = mostPoints(any, balance);
  const points = Number(value);
  const allowed = value.trim() !== "" && amountAllowed(any, balance, points);
  const short = any.minPoints - balance;
  return (
    <s-stack gap="small-200">
      <s-stack gap="small-300">
        <s-text type="strong">{reward.title}</s-text>
        <s-text color="subdued">
          {i18n.translate("rewards.any_rate", {
            count: any.step,
            points: number(any.step),
            amount: money(Number(any.stepAmount)),
          })}
        </s-text>
        <s-text color="subdued">
          {short > 0
            ? i18n.translate("rewards.more", { count: short, points: number(short) })
            : i18n.translate("rewards.any_range", { min: number(any.minPoints), max: number(any.maxPoints) })}
        </s-text>
      </s-stack>
      {short > 0 ? null : (
        <s-stack direction="inline" gap="base" alignItems="end" justifyContent="space-between">
          <s-number-field
            label={i18n.translate("rewards.any_label")}
            controls="stepper"
            inputMode="numeric"
            min={any.minPoints}
            max={most}
            step={any.step}
            value={value}
            error={
              allowed
                ? undefined
                : i18n.translate("errors.amount_not_allowed", {
                    step: number(any.step),
                    min: number(any.minPoints),
                    max: number(most),
                  })
            }
            onInput={(event) => props.onValue(fieldValue(event))}
            onChange={(event) => props.onValue(fieldValue(event))}
          />
          <s-stack gap="small-300">
            <s-text type="strong">
              {allowed
                ? i18n.translate("rewards.any_worth", { amount: money(amountWorth(any, points)) })
                : ""}
            </s-text>
            <s-button
              variant="secondary"
              disabled={!allowed || props.disabled}
              loading={props.loading}
              accessibilityLabel={
                allowed
                  ? i18n.translate("rewards.any_redeem_label", {
                      reward: reward.title,
                      count: points,
                      points: number(points),
                    })
                  : undefined
              }
              onClick={() => props.onRedeem(points)}
            >
              {i18n.translate("rewards.redeem")}
            </s-button>
          </s-stack>
        </s-stack>
      )}
    </s-stack>
  );
}

/** The value of the s-number-field an event came from. */
const fieldValue = (event: Event) => (event.currentTarget as { value?: string } | null)?.value ?? "";

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
    const limits = outcome.limits;
    const n = (value: number) => i18n.formatNumber(value);
    return (
      <s-banner
        tone="critical"
        heading={
          limits
            ? i18n.translate("errors.amount_not_allowed", {
                step: n(limits.step),
                min: n(limits.minPoints),
                max: n(limits.maxPoints),
              })
            : i18n.translate(`errors.${outcome.error}`)
        }
      />
    );
  }
  if (outcome.kind === "pending")
    return <s-banner tone="info" heading={i18n.translate("redeemed.pending")} />;
  if (outcome.kind === "credited")
    return <s-banner tone="success" heading={i18n.translate("redeemed.credited")} />;
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

type BonusEvent = NonNullable<ProgramExplainer["bonusEvents"]>[number];

/** The bonus events running by the shopper's clock (the app lists those not over yet). */
const runningEvents = (program: ProgramExplainer): BonusEvent[] => {
  const now = Date.now();
  return (program.bonusEvents ?? []).filter(
    (event) => Date.parse(event.startsAt) <= now && now < Date.parse(event.endsAt),
  );
};

/**
 * "Double points weekend: 2x points until Sunday, July 5": the last day is the instant before the
 * end; an event limited to collections names them ("(products in Warm layers)").
 */
function eventText(i18n: I18n, event: BonusEvent): string {
  const date = i18n.formatDate(new Date(Date.parse(event.endsAt) - 1), {
    weekday: "long",
    day: "numeric",
    month: "long",
  });
  const text =
    event.kind === "FIXED"
      ? i18n.translate("earn.event_fixed", {
          name: event.name,
          count: event.points ?? 0,
          points: i18n.formatNumber(event.points ?? 0),
          date,
        })
      : i18n.translate("earn.event_multiplier", {
          name: event.name,
          multiplier: event.multiplier ?? "",
          date,
        });
  const collections = event.collections ?? [];
  return collections.length > 0
    ? i18n.translate("earn.event_collections", { text, collections: collections.join(", ") })
    : text;
}

type Follow = (rule: string) => Promise<Answer<Followed>>;

function HowToEarn({ i18n, program, follow }: { i18n: I18n; program: ProgramExplainer; follow?: Follow }) {
  // "for every $1": one whole unit of the shop's currency, without decimals.
  const unit = formatMoney(i18n, program, 1, { minimumFractionDigits: 0, maximumFractionDigits: 0 });
  const points = (count: number) => ({ count, points: i18n.formatNumber(count) });
  return (
    <s-section heading={i18n.translate("earn.heading")}>
      <s-unordered-list>
        <s-list-item>
          {unit
            ? i18n.translate("earn.purchase", { rate: program.earnRate, amount: unit })
            : i18n.translate("earn.purchase_any_currency", { rate: program.earnRate })}
        </s-list-item>
        {runningEvents(program).map((event) => (
          <s-list-item key={`${event.name}-${event.startsAt}`}>
            <s-text type="strong">{eventText(i18n, event)}</s-text>
          </s-list-item>
        ))}
        {program.signupBonus > 0 ? (
          <s-list-item>{i18n.translate("earn.signup", points(program.signupBonus))}</s-list-item>
        ) : null}
        {program.birthdayBonus > 0 ? (
          <s-list-item>{i18n.translate("earn.birthday", points(program.birthdayBonus))}</s-list-item>
        ) : null}
        {(program.earnActions ?? []).map((action) =>
          action.key === "newsletter" || action.key === "review" ? (
            <s-list-item key={action.key}>
              {i18n.translate(
                action.key === "newsletter" ? "earn.newsletter" : "earn.review",
                points(action.points),
              )}
            </s-list-item>
          ) : action.key.startsWith("follow-") && action.network && action.url ? (
            <s-list-item key={action.key}>
              <FollowAction
                i18n={i18n}
                action={{ ...action, network: action.network, url: action.url }}
                follow={follow}
                active={program.active}
              />
            </s-list-item>
          ) : null,
        )}
        {program.tiers.map((tier) => (
          <s-list-item key={tier.name}>
            {i18n.translate("earn.tier", { tier: tier.name, multiplier: tier.multiplier })}
          </s-list-item>
        ))}
      </s-unordered-list>
    </s-section>
  );
}

/**
 * A social follow: its points, and a button that opens the shop's page on the network in a new tab
 * (s-button's `href` with `target="_blank"`; its click "fired when the link is activated, before
 * navigating": @shopify/ui-extensions' customer-account components-shared.d.ts, ButtonProps, and
 * https://shopify.dev/docs/api/customer-account-ui-extensions/latest/polaris-web-components/actions/button).
 * For a member the click also claims the points (honour system, decision 0023): once, by the app;
 * a second click says they were earned before. Without a member (`follow` absent) it only opens
 * the link, as while the program is paused.
 */
function FollowAction(props: {
  i18n: I18n;
  action: EarnAction & { network: string; url: string };
  follow: Follow | undefined;
  active: boolean;
}) {
  const { i18n, action, follow } = props;
  const [said, setSaid] = useState<{ tone: "success" | "critical"; text: string } | null>(null);
  const claim = async () => {
    if (!follow || !props.active) return;
    const answer = await follow(action.key);
    if (!answer.ok) return setSaid({ tone: "critical", text: i18n.translate(`errors.${answer.error}`) });
    setSaid({
      tone: "success",
      text:
        answer.data.status === "awarded"
          ? i18n.translate("earn.followed", {
              count: answer.data.points,
              points: i18n.formatNumber(answer.data.points),
            })
          : i18n.translate("earn.followed_before"),
    });
  };
  return (
    <s-stack gap="small-300">
      <s-stack direction="inline" gap="base" alignItems="center">
        <s-text>
          {i18n.translate("earn.follow", {
            network: action.network,
            count: action.points,
            points: i18n.formatNumber(action.points),
          })}
        </s-text>
        <s-button
          variant="secondary"
          href={action.url}
          target="_blank"
          accessibilityLabel={i18n.translate("earn.follow_label", { network: action.network })}
          onClick={() => void claim()}
        >
          {i18n.translate("earn.follow_button")}
        </s-button>
      </s-stack>
      {said ? <s-text tone={said.tone}>{said.text}</s-text> : null}
    </s-stack>
  );
}
