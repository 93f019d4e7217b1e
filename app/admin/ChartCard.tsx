/**
 * A chart with a title and its numbers as a table. The chart is drawn in the
 * browser only (Polaris Viz needs the DOM; the module is loaded lazily, which
 * keeps it out of every other page's bundle); until then a skeleton holds its
 * place. The table is the accessible alternative: one button away, and the
 * same figures the chart draws. Polaris Viz's SVG is not accessible on its own
 * (roles without the children they require, focusable points with no name,
 * axe-core finds critical and serious violations), so assistive technology
 * gets one named figure for the chart and reads the figures from the table,
 * which is in the page (visually hidden) even while it is closed; the chart's
 * points leave the keyboard's tab order, the table's figures being the same.
 */
import { lazy, Suspense, useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
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
import { KeyboardScrollable } from "./KeyboardScrollable";
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

/** Keeps Polaris Viz's focusable parts (its points, its legend's buttons) out of the tab order, however often it redraws them. */
function useNoTabStops() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const untab = () => {
      // Only where it changes something: setting it again would be a mutation, observed, forever.
      for (const element of root.querySelectorAll<HTMLElement | SVGElement>(
        '[tabindex]:not([tabindex="-1"]), a[href]:not([tabindex="-1"]), button:not([tabindex="-1"]), input:not([tabindex="-1"]), select:not([tabindex="-1"]), textarea:not([tabindex="-1"])',
      ))
        element.setAttribute("tabindex", "-1");
    };
    untab();
    const observer = new MutationObserver(untab);
    observer.observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["tabindex"],
    });
    return () => observer.disconnect();
  }, []);
  return ref;
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
  const chartRef = useNoTabStops();
  const headings = [rowHeading, ...series.map((s) => s.name ?? "")];
  const rows = keys.map((key, i) => [label(key), ...series.map((s) => format.number(s.data[i]?.value ?? 0))]);

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
        {/* A figure, not role="img": an image's parts are presentational, and axe then counts the
            chart's untabbed points as controls nested in it. */}
        <figure aria-label={strings.charts.label(title)} style={{ margin: 0 }}>
          <div ref={chartRef} aria-hidden="true">
            {mounted ? (
              <Suspense fallback={<ChartSkeleton height={height} />}>
                <Chart series={series} label={label} number={format.number} kind={kind} height={height} />
              </Suspense>
            ) : (
              <ChartSkeleton height={height} />
            )}
          </div>
        </figure>
        {table ? (
          <Box id={tableId}>
            <KeyboardScrollable label={title}>
              <DataTable
                columnContentTypes={["text", ...series.map(() => "numeric" as const)]}
                headings={headings}
                rows={rows}
              />
            </KeyboardScrollable>
          </Box>
        ) : (
          // Closed, the figures stay readable by a screen reader: a plain table (Polaris's
          // DataTable would scroll inside the hidden box, a region the keyboard cannot reach).
          <Box id={tableId} visuallyHidden>
            <table>
              <caption>{title}</caption>
              <thead>
                <tr>
                  {headings.map((heading, i) => (
                    <th key={i} scope="col">
                      {heading}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row, i) => (
                  <tr key={i}>
                    {row.map((cell, j) =>
                      j === 0 ? (
                        <th key={j} scope="row">
                          {cell}
                        </th>
                      ) : (
                        <td key={j}>{cell}</td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </Box>
        )}
      </BlockStack>
    </Card>
  );
}
