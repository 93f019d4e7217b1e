/**
 * The dashboard's charts, drawn with @shopify/polaris-viz. Polaris Viz reads
 * `navigator` and measures the DOM while rendering, so this module is only
 * loaded in the browser (React.lazy from ChartCard); the server renders a
 * skeleton and the data table.
 */
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { DataSeries } from "@shopify/polaris-viz";

export interface ChartProps {
  series: DataSeries[];
  /** The label under each bar (or beside it, horizontal). */
  label: (key: string) => string;
  horizontal?: boolean;
}

export default function Chart({ series, label, horizontal = false }: ChartProps) {
  return (
    <PolarisVizProvider defaultTheme="Light">
      <div style={{ height: horizontal ? `${Math.max(160, series[0]!.data.length * 44)}px` : "280px" }}>
        <BarChart
          data={series}
          theme="Light"
          direction={horizontal ? "horizontal" : "vertical"}
          showLegend={series.length > 1}
          xAxisOptions={{ labelFormatter: (value) => label(String(value)) }}
          yAxisOptions={{ integersOnly: true }}
        />
      </div>
    </PolarisVizProvider>
  );
}
