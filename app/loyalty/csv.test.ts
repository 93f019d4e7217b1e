import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvLine, CsvSyntaxError, parseCsv, startsLikeFormula } from "./csv";

/** What a spreadsheet may take as the start of a formula: = + - @ in ASCII, full width and small forms. */
const TRIGGERS = [
  "=",
  "+",
  "-",
  "@",
  "\uFF1D",
  "\uFF0B",
  "\uFF0D",
  "\uFF20",
  "\uFE66",
  "\uFE62",
  "\uFE63",
  "\uFE6B",
];
/** Characters a spreadsheet skips before it looks for one (tab and CR are triggers on their own too). */
const BLANKS = [" ", "\t", "\r", "\n", "\u00A0", "\u3000", "\u2003", "\u200B", "\uFEFF"];

const formulaLike = fc
  .tuple(
    fc.array(fc.constantFrom(...BLANKS), { maxLength: 4 }),
    fc.constantFrom(...TRIGGERS),
    fc.string({ maxLength: 20 }),
  )
  .map(([blanks, trigger, rest]) => `${blanks.join("")}${trigger}${rest}`);
const anyText = fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), formulaLike);

describe("csv", () => {
  it("reads quoted fields, doubled quotes, CRLF, a BOM and keeps line numbers", () => {
    const text = '\uFEFFemail,points\r\n"a,b@example.com",10\r\n\r\n"say ""hi""\nthere",-5\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ["email", "points"] },
      { line: 2, fields: ["a,b@example.com", "10"] },
      { line: 4, fields: ['say "hi"\nthere', "-5"] },
    ]);
  });

  it("refuses an unclosed quote or a stray one, naming the line", () => {
    expect(() => parseCsv('email,points\n"oops,1\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('email,points\nab"c,1\n')).toThrow(/line 2/);
  });

  it("writes fields so that any spreadsheet reads them back and runs no formula", () => {
    expect(csvLine(["a,b", 'q"', "=SUM(A1)", -5, null])).toBe('"a,b","q""",\'=SUM(A1),-5,\r\n');
    expect(parseCsv(csvLine(["x\ny", "plain"]))[0]!.fields).toEqual(["x\ny", "plain"]);
  });

  it("defuses formulas behind leading whitespace and in full-width forms", () => {
    expect(csvField(" =HYPERLINK(1)")).toBe("' =HYPERLINK(1)");
    expect(csvField("\u00A0\u3000+1")).toBe("'\u00A0\u3000+1");
    expect(csvField("\uFF1DSUM(A1)")).toBe("'\uFF1DSUM(A1)");
    expect(csvField("\n@cmd")).toBe('"\'\n@cmd"');
    expect(csvField("\tplain")).toBe("'\tplain");
    expect(csvField("\0x")).toBe("'\0x");
    // Text that merely contains a sign, and numbers, are left alone.
    expect(csvField("Ana-Maria")).toBe("Ana-Maria");
    expect(csvField("  plain")).toBe("  plain");
    expect(csvField(-5)).toBe("-5");
  });

  it("property: no string field is read back starting like a formula, and each reads back as written but for the defusing quote", () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 5 }), (values) => {
        const [row] = parseCsv(`${csvLine(["header"])}${csvLine(values)}`).slice(1);
        const fields = row?.fields ?? [""];
        expect(fields).toHaveLength(values.length);
        fields.forEach((field, i) => {
          const written = values[i]!;
          expect(startsLikeFormula(field)).toBe(false);
          expect(field).toBe(startsLikeFormula(written) ? `'${written}` : written);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("property: every formula-like string is one that startsLikeFormula names", () => {
    fc.assert(fc.property(formulaLike, (text) => startsLikeFormula(text)));
  });
});
