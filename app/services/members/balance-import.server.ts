/**
 * Importing balances from another loyalty program: a CSV with `email` and
 * `points` columns, in "add" mode (points are added) or "set" mode (the
 * balance becomes the number). Every row is checked first and every bad row is
 * reported with its line number; if any row is bad, nothing is written. A dry
 * run reports what would happen and writes nothing. Each row's effect is keyed
 * on the file's content and the line, so importing the same file again
 * changes nothing.
 */
import { createHash } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { appendEntry, ledgerEntryExists, lockMember, membersByEmail } from "../../db/members.server";
import { inTransaction } from "../../db/tx.server";
import { CsvSyntaxError, parseCsv } from "../../loyalty/csv";
import type { FieldError } from "../../loyalty/field-error";

export type ImportMode = "add" | "set";

/**
 * A refused row: its line, what the error is about (the file, its first line, the line as a
 * whole, or a cell with the value as the file has it) and the error as a code the page words.
 */
export interface ImportError {
  line: number;
  about: "file" | "header" | "row" | "email" | "points";
  /** The cell's value, cut to its first 100 characters ("…" after), for `email` and `points`. */
  value?: string;
  error: FieldError;
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  errors: ImportError[];
  /** Rows that change (or would change) a balance. */
  changes: number;
  /** Rows with nothing to do: already imported, or the balance already matches. */
  unchanged: number;
  pointsAdded: number;
  pointsRemoved: number;
}

const MAX_POINTS = 10_000_000;
const MAX_IMPORT_ROWS = 50_000;
/** How much of a bad value the report echoes back: a 5 MB file could hold one 5 MB cell. */
const ECHO_LIMIT = 100;
const EMAIL = /^[^@\s]+@[^@\s]+$/;

/** A value from the file as an error message quotes it: its first ECHO_LIMIT characters, then "…". */
function echoed(value: string): string {
  let kept = "";
  let count = 0;
  for (const character of value) {
    if (count++ === ECHO_LIMIT) return `${kept}…`;
    kept += character;
  }
  return kept;
}

interface PlannedRow {
  line: number;
  memberId: string;
  points: number;
}

export async function importBalances(
  db: PrismaClient,
  shop: string,
  input: { csv: string; mode: ImportMode; dryRun: boolean; staffId: string; now: Date },
): Promise<ImportReport> {
  const report: ImportReport = {
    dryRun: input.dryRun,
    rows: 0,
    errors: [],
    changes: 0,
    unchanged: 0,
    pointsAdded: 0,
    pointsRemoved: 0,
  };
  let rows;
  try {
    rows = parseCsv(input.csv);
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    report.errors.push({ line: error.line, about: "row", error: { code: error.code } });
    return report;
  }
  const header = rows.shift();
  const columns = header?.fields.map((name) => name.trim().toLowerCase()) ?? [];
  const emailAt = columns.indexOf("email");
  const pointsAt = columns.indexOf("points");
  if (emailAt < 0 || pointsAt < 0) {
    report.errors.push({ line: 1, about: "header", error: { code: "header" } });
    return report;
  }
  if (rows.length > MAX_IMPORT_ROWS) {
    report.errors.push({ line: 1, about: "file", error: { code: "max", max: MAX_IMPORT_ROWS } });
    return report;
  }
  report.rows = rows.length;

  const emails = rows.map((row) => (row.fields[emailAt] ?? "").trim().toLowerCase());
  const members = await membersByEmail(db, shop, [...new Set(emails.filter((email) => EMAIL.test(email)))]);
  const byEmail = new Map<string, string[]>();
  for (const member of members) {
    const key = member.email!.toLowerCase();
    byEmail.set(key, [...(byEmail.get(key) ?? []), member.id]);
  }
  const seen = new Map<string, number>();
  const planned: PlannedRow[] = [];
  rows.forEach((row, i) => {
    const email = emails[i]!;
    const text = (row.fields[pointsAt] ?? "").trim();
    const fail = (about: ImportError["about"], error: FieldError) =>
      report.errors.push({
        line: row.line,
        about,
        ...(about === "email" ? { value: echoed(email) } : about === "points" ? { value: echoed(text) } : {}),
        error,
      });
    if (row.fields.length !== columns.length)
      return fail("row", { code: "columns", found: row.fields.length, expected: columns.length });
    if (!EMAIL.test(email)) return fail("email", { code: "email", example: "name@example.com" });
    if (!/^-?\d+$/.test(text)) return fail("points", { code: "wholeNumber" });
    if (Math.abs(Number(text)) > MAX_POINTS)
      return fail("points", { code: "range", min: -MAX_POINTS, max: MAX_POINTS, unit: "points" });
    const points = Number(text);
    if (input.mode === "set" && points < 0) return fail("points", { code: "notNegative" });
    if (seen.has(email)) return fail("email", { code: "repeated", line: seen.get(email)! });
    seen.set(email, row.line);
    const ids = byEmail.get(email) ?? [];
    if (ids.length === 0) return fail("email", { code: "unknownEmail" });
    if (ids.length > 1) return fail("email", { code: "sharedEmail", count: ids.length });
    planned.push({ line: row.line, memberId: ids[0]!, points });
  });
  if (report.errors.length > 0) return report;

  const fileKey = createHash("sha256").update(input.csv).digest("hex").slice(0, 24);
  const apply = async (tx: Parameters<Parameters<typeof inTransaction>[1]>[0]) => {
    for (const row of planned) {
      const sourceKey = `import:${fileKey}:${row.line}`;
      const member = await lockMember(tx, shop, row.memberId);
      const delta = input.mode === "add" ? row.points : row.points - member.balance;
      if (delta === 0 || (await ledgerEntryExists(tx, shop, sourceKey))) {
        report.unchanged++;
        continue;
      }
      if (member.balance + delta < 0) {
        report.errors.push({
          line: row.line,
          about: "points",
          value: String(row.points),
          error: { code: "belowZero", balance: member.balance },
        });
        continue;
      }
      report.changes++;
      if (delta > 0) report.pointsAdded += delta;
      else report.pointsRemoved -= delta;
      if (!input.dryRun) {
        await appendEntry(tx, shop, member, {
          kind: "ADJUST",
          points: delta,
          sourceKey,
          note: input.mode === "add" ? "Imported balance (added)" : "Imported balance (set)",
          staffId: input.staffId,
          ...(delta > 0 ? { activityAt: input.now } : {}),
        });
      }
    }
    // All or nothing: a row that fails here undoes the rows before it.
    if (report.errors.length > 0) throw new ImportAborted();
  };
  try {
    await inTransaction(db, apply);
  } catch (error) {
    if (!(error instanceof ImportAborted)) throw error;
    report.changes = 0;
    report.pointsAdded = 0;
    report.pointsRemoved = 0;
  }
  return report;
}

class ImportAborted extends Error {}
