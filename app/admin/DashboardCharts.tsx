/**
 * The dashboard's charts, drawn with @shopify/polaris-viz. Polaris Viz reads
 * `navigator` and measures the DOM while rendering, so this module is only
 * loaded in the browser (React.lazy from ChartCard); the server renders a
 * skeleton and the data table.
 *
 * Every label the chart draws is written by the page (the staff member's
 * locale, the shop's calendar), never by Polaris Viz's English defaults: its
 * axes' `labelFormatter` (xAxisOptions/yAxisOptions, whose value axis is x
 * when the bars are horizontal) and its tooltip's formatters
 * (https://github.com/Shopify/polaris-viz; the options' types are XAxisOptions and YAxisOptions
 * in @shopify/polaris-viz-core's types.d.ts, TooltipFormatters in @shopify/polaris-viz's).
 */
import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import type { DataSeries } from "@shopify/polaris-viz";

export interface ChartProps {
  series: DataSeries[];
  /** A point's label from its key. */
  label: (key: string) => string;
  /** A value as the staff member's locale writes it ("1 500" in French). */
  number: (value: number) => string;
  /** line: a series over time; bar: categories, drawn horizontally. */
  kind: "line" | "bar";
  height: number;
}

export default function Chart({ series, label, number, kind, height }: ChartProps) {
  const key = (value: string | number | null) => label(String(value));
  const figure = (value: string | number | null) => number(Number(value));
  const tooltip = { keyFormatter: key, titleFormatter: key, valueFormatter: figure };
  return (
    <PolarisVizProvider defaultTheme="Light">
      <div style={{ height }}>
        {kind === "line" ? (
          <LineChart
            data={series}
            theme="Light"
            xAxisOptions={{ labelFormatter: key }}
            yAxisOptions={{ integersOnly: true, labelFormatter: figure }}
            tooltipOptions={tooltip}
          />
        ) : (
          <BarChart
            data={series}
            theme="Light"
            direction="horizontal"
            showLegend={series.length > 1}
            xAxisOptions={{ labelFormatter: figure }}
            yAxisOptions={{ labelFormatter: key }}
            tooltipOptions={tooltip}
          />
        )}
      </div>
    </PolarisVizProvider>
  );
}
