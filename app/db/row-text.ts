/**
 * Many rows as one SQL parameter: one line per row, fields separated by tabs,
 * read back in SQL by splitting (string_to_table, string_to_array). For a
 * batch of thousands of rows this is five times cheaper for PostgreSQL than
 * json_to_recordset and eight times cheaper to build than JSON (measured on
 * 5,000 order rows). Timestamps travel as epoch milliseconds, free text as a
 * JSON string (so a tab or newline in it is escaped), identifiers as they are.
 */

/** How a column travels, and the SQL type it is read as. */
export type FieldKind =
  /** Identifiers and GIDs: no tab, newline or backslash (checked); NULL as empty. */
  | "key"
  /** Any text, NULL allowed. */
  | "text"
  | "int"
  | "bigint"
  | "bool"
  /** A timestamp(3) (stored as UTC), NULL allowed. */
  | "time"
  /** A text[] (never NULL). */
  | "texts";

type FieldValue = string | number | bigint | boolean | Date | null | readonly string[];

export interface RowText<Row> {
  /** The rows as one parameter (at least one row). */
  encode(rows: readonly Row[]): string;
  /** A subquery over the rows of parameter `$param`: the columns by name, and `n`, the row's number from 1. */
  from(param: number, alias: string): string;
}

const UNSAFE_KEY = /[\t\n\\]/;

function encodeField(kind: FieldKind, value: FieldValue, column: string): string {
  if (value === null) {
    if (kind === "bool" || kind === "texts") throw new Error(`row text: ${column} cannot be NULL`);
    return "";
  }
  switch (kind) {
    case "key": {
      const key = value as string;
      if (UNSAFE_KEY.test(key)) throw new Error(`row text: ${column} has a tab, newline or backslash`);
      return key;
    }
    case "text":
      return JSON.stringify(value);
    case "int":
    case "bigint":
      return String(value as number | bigint);
    case "bool":
      return value ? "t" : "f";
    case "time":
      return String((value as Date).getTime());
    case "texts":
      return (value as readonly string[]).length === 0 ? "[]" : JSON.stringify(value);
  }
}

function readField(kind: FieldKind, n: number): string {
  const f = `f[${n}]`;
  switch (kind) {
    case "key":
      return `NULLIF(${f}, '')`;
    case "text":
      return `(NULLIF(${f}, '')::json #>> '{}')`;
    case "int":
      return `NULLIF(${f}, '')::int`;
    case "bigint":
      return `NULLIF(${f}, '')::bigint`;
    case "bool":
      return `${f}::boolean`;
    case "time":
      return `('epoch'::timestamp + NULLIF(${f}, '')::bigint * interval '1 millisecond')::timestamp(3)`;
    case "texts":
      return `(CASE WHEN ${f} = '[]' THEN '{}'::text[] ELSE ARRAY(SELECT json_array_elements_text(${f}::json)) END)`;
  }
}

/** Rows of `Row` with these columns, each read from a row by its function. */
export function rowText<Row>(columns: Record<string, [FieldKind, (row: Row) => FieldValue]>): RowText<Row> {
  const names = Object.keys(columns);
  const kinds = names.map((name) => columns[name]![0]);
  const reads = names.map((name) => columns[name]![1]);
  const select = names.map((name, i) => `${readField(kinds[i]!, i + 1)} AS ${name}`).join(", ");
  return {
    encode(rows) {
      if (rows.length === 0) throw new Error("row text: no rows");
      const lines: string[] = new Array<string>(rows.length);
      const fields: string[] = new Array<string>(names.length);
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        for (let c = 0; c < names.length; c++) fields[c] = encodeField(kinds[c]!, reads[c]!(row), names[c]!);
        lines[r] = fields.join("\t");
      }
      return lines.join("\n");
    },
    from(param, alias) {
      return (
        `(SELECT ${select}, n FROM (SELECT string_to_array(line, E'\\t') AS f, n` +
        // OFFSET 0 keeps the split from being inlined into (and repeated for) every column.
        ` FROM string_to_table($${param}, E'\\n') WITH ORDINALITY AS t(line, n) OFFSET 0) AS lines) AS ${alias}`
      );
    },
  };
}

/** A list of keys (no tab, newline or backslash) as one parameter, for `= ANY(string_to_array($n, E'\n'))`. */
export function keyList(keys: readonly string[]): string {
  for (const key of keys)
    if (UNSAFE_KEY.test(key)) throw new Error("key list: a key has a tab, newline or backslash");
  return keys.join("\n");
}
