/**
 * CSV as merchants' tools write it (RFC 4180): comma-separated, fields may be
 * quoted with "" for a quote inside, CRLF or LF line ends, an optional BOM.
 * Rows keep their line numbers (1 = the header) so errors can point at them.
 */

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    /** What is wrong, as a field error code (./field-error.ts). */
    readonly code: "csvQuote" | "csvUnclosed",
  ) {
    super(
      `line ${line}: ${code === "csvQuote" ? "a quote inside an unquoted field" : "a quoted field is not closed"}`,
    );
    this.name = "CsvSyntaxError";
  }
}

export interface CsvRow {
  line: number;
  fields: string[];
}

export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) rows.push({ line: rowLine, fields });
    fields = [];
    field = "";
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== "") throw new CsvSyntaxError(line, "csvQuote");
      quoted = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted) throw new CsvSyntaxError(rowLine, "csvUnclosed");
  endRow();
  return rows;
}

/**
 * Whether a spreadsheet opening this cell might run it as a formula (CSV
 * injection, CWE-1236; OWASP ASVS 5.0 requirement 1.2.10 lists = + - @, tab
 * and NUL as first characters to escape, and carriage return is one too).
 * Spreadsheets skip leading blanks before they look, and some read
 * the full-width and small forms of those signs (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫) as
 * the ASCII ones, so those count too. The one rule for every CSV Regulars
 * writes (csvField).
 */
export function startsLikeFormula(text: string): boolean {
  return (
    /^[\s\u200B-\u200D\u2060]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B]/.test(text) ||
    /^[\t\r\0]/.test(text)
  );
}

/** One field for a CSV file: quoted when it holds a comma, quote or line break; formula-like text is defused. */
export function csvField(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  // Text (not numbers: a negative balance stays a number) that could run as a formula gets a leading quote.
  if (typeof value === "string" && startsLikeFormula(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (values: (string | number | null | undefined)[]) =>
  `${values.map(csvField).join(",")}\r\n`;
