import { describe, expect, it } from "vitest";
import { csvLine, CsvSyntaxError, parseCsv } from "./csv";

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
});
