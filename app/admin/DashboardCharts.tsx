/**
 * The dashboard's charts, drawn with @shopify/polaris-viz. Polaris Viz reads
 * `navigator` and measures the DOM while rendering, so this module is only
 * loaded in the browser (React.lazy from ChartCard); the server renders a
 * skeleton and the data table.
 */
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { DataSeries } from "@shopify/polaris-viz";

export interface ChartProps {
  series: DataSeries[];
  /** A point's label from its key. */
  label: (key: string) => string;
  /** line: a series over time; bar: categories, drawn horizontally. */
  kind: "line" | "bar";
  height: number;
}

export default function Chart({ series, label, kind, height }: ChartProps) {
  return (
    <PolarisVizProvider defaultTheme="Light">
      <div style={{ height }}>
        {kind === "line" ? (
          <LineChart
            data={series}
            theme="Light"
            xAxisOptions={{ labelFormatter: (value) => label(String(value)) }}
            yAxisOptions={{ integersOnly: true }}
          />
        ) : (
          <BarChart data={series} theme="Light" direction="horizontal" showLegend={series.length > 1} />
        )}
      </div>
    </PolarisVizProvider>
  );
}
