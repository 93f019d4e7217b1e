/** A card with a heading and a read-only table of rows, or a line saying why it is empty. */
import type { ReactNode } from "react";
import { Card, IndexTable, Text } from "@shopify/polaris";
import { KeyboardScrollable } from "./KeyboardScrollable";

export interface TableCardProps<Row> {
  title: string;
  /** A line under the title. */
  subtitle?: string;
  empty: string;
  rows: Row[];
  rowId: (row: Row) => string;
  headings: { title: string; alignment?: "start" | "center" | "end" }[];
  cells: (row: Row) => ReactNode[];
  onRowClick?: (row: Row) => void;
}

export function TableCard<Row>({
  title,
  subtitle,
  empty,
  rows,
  rowId,
  headings,
  cells,
  onRowClick,
}: TableCardProps<Row>) {
  return (
    <Card padding="0">
      <div style={{ padding: "1rem 1rem 0" }}>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {subtitle ? (
          <Text as="p" tone="subdued">
            {subtitle}
          </Text>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <div style={{ padding: "1rem" }}>
          <Text as="p" tone="subdued">
            {empty}
          </Text>
        </div>
      ) : (
        <KeyboardScrollable label={title}>
          <IndexTable
            itemCount={rows.length}
            selectable={false}
            headings={headings as [{ title: string }, ...{ title: string }[]]}
          >
            {rows.map((row, index) => (
              <IndexTable.Row
                id={rowId(row)}
                key={rowId(row)}
                position={index}
                {...(onRowClick ? { onClick: () => onRowClick(row) } : {})}
              >
                {cells(row).map((cell, i) => (
                  <IndexTable.Cell key={i}>
                    {headings[i]?.alignment === "end" ? (
                      // A numeric column: its figures line up under its heading, at the end.
                      <Text as="span" alignment="end" numeric>
                        {cell}
                      </Text>
                    ) : (
                      cell
                    )}
                  </IndexTable.Cell>
                ))}
              </IndexTable.Row>
            ))}
          </IndexTable>
        </KeyboardScrollable>
      )}
    </Card>
  );
}
