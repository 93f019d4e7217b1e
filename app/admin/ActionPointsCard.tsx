/** Home's points per way to earn besides orders in the period (decision 0023); nothing when none. */
import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { useFormat, useStrings } from "./i18n";

export function ActionPointsCard({ rows }: { rows: { action: string; points: number; awards: number }[] }) {
  const t = useStrings().earn;
  const format = useFormat();
  if (rows.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t.dashboardTitle}
        </Text>
        <Text as="p" tone="subdued">
          {t.dashboardHelp}
        </Text>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric"]}
          headings={[t.title, t.points, ""]}
          rows={rows.map((row) => [
            t.rules[row.action] ?? row.action,
            format.number(row.points),
            t.awards(format.number(row.awards)),
          ])}
        />
      </BlockStack>
    </Card>
  );
}
