/**
 * The referral figures of the last 30 days (visits, referees, first orders, revenue from referred
 * customers, rewards paid, fraud holds): one rendering for the Referrals page and Home's card.
 */
import { InlineGrid } from "@shopify/polaris";
import type { ReferralFiguresView } from "../services/referrals/referrals.server";
import { useFormat, useStrings } from "./i18n";
import { StatCard } from "./StatCard";

export function ReferralFigures({
  figures,
  currency,
}: {
  figures: ReferralFiguresView;
  currency: string | null;
}) {
  const t = useStrings().referrals;
  const format = useFormat();
  return (
    <InlineGrid columns={{ xs: 2, md: 3 }} gap="300">
      <StatCard label={t.visits} value={format.number(figures.visits)} />
      <StatCard label={t.referees} value={format.number(figures.referees)} />
      <StatCard label={t.firstOrders} value={format.number(figures.firstOrders)} />
      <StatCard label={t.revenue} value={format.money(figures.revenue, currency)} />
      <StatCard
        label={t.rewardsPaid}
        value={format.number(figures.rewardsPaid)}
        note={t.pointsPaid(format.number(figures.pointsPaid))}
      />
      <StatCard label={t.held} value={format.number(figures.held)} />
    </InlineGrid>
  );
}
