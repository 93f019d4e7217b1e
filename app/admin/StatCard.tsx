/** One figure with its label (and an optional line under it), for summaries and the dashboard. */
import type { ReactNode } from "react";
import { Card, Text } from "@shopify/polaris";

export function StatCard({ label, value, note }: { label: string; value: ReactNode; note?: string | null }) {
  return (
    <Card>
      <Text as="p" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {value}
      </Text>
      {note ? (
        <Text as="p" tone="subdued">
          {note}
        </Text>
      ) : null}
    </Card>
  );
}
