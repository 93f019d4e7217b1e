/**
 * A chart with a title and its numbers as a table. The chart is drawn in the
 * browser only (Polaris Viz needs the DOM; the module is loaded lazily, which
 * keeps it out of every other page's bundle); until then a skeleton holds its
 * place. The table is the accessible alternative: one button away, and the
 * same figures the chart draws.
 */
import { lazy, Suspense, useId, useState, useSyncExternalStore } from "react";
import {
  BlockStack,
  Box,
  Button,
  Card,
  DataTable,
  InlineStack,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import type { DataSeries } from "@shopify/polaris-viz";
import { useFormat, useStrings } from "./i18n";

const Chart = lazy(() => import("./DashboardCharts"));

export interface ChartCardProps {
  title: string;
  description?: string;
  series: DataSeries[];
  /** Heading of the table's first column (what each row is). */
  rowHeading: string;
  label: (key: string) => string;
  /** line: a series over time; bar: categories (horizontal bars). */
  kind: "line" | "bar";
}

const noSubscription = () => () => {};
const browser = () => true;
const server = () => false;

function ChartSkeleton({ height }: { height: number }) {
  const strings = useStrings();
  return (
    <div style={{ height }} aria-busy="true" aria-label={strings.dashboard.chartLoading}>
      <SkeletonBodyText lines={Math.max(3, Math.floor(height / 40))} />
    </div>
  );
}

export function ChartCard({ title, description, series, rowHeading, label, kind }: ChartCardProps) {
  const strings = useStrings();
  const format = useFormat();
  // false on the server and while hydrating, true in the browser after.
  const mounted = useSyncExternalStore(noSubscription, browser, server);
  const [table, setTable] = useState(false);
  const tableId = useId();
  const keys = series[0]?.data.map((point) => String(point.key)) ?? [];
  const height = kind === "bar" ? Math.max(160, keys.length * 56) : 300;

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          <Button
            variant="plain"
            onClick={() => setTable((open) => !open)}
            ariaExpanded={table}
            ariaControls={tableId}
          >
            {table ? strings.dashboard.hideTable : strings.dashboard.showTable}
          </Button>
        </InlineStack>
        {description ? (
          <Text as="p" tone="subdued">
            {description}
          </Text>
        ) : null}
        <div>
          {mounted ? (
            <Suspense fallback={<ChartSkeleton height={height} />}>
              <Chart series={series} label={label} kind={kind} height={height} />
            </Suspense>
          ) : (
            <ChartSkeleton height={height} />
          )}
        </div>
        <Box id={tableId} visuallyHidden={!table}>
          <DataTable
            columnContentTypes={["text", ...series.map(() => "numeric" as const)]}
            headings={[rowHeading, ...series.map((s) => s.name ?? "")]}
            rows={keys.map((key, i) => [
              label(key),
              ...series.map((s) => format.number(s.data[i]?.value ?? 0)),
            ])}
          />
        </Box>
      </BlockStack>
    </Card>
  );
}
