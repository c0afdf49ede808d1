// The attack suite's summary: written by test/src/attack-suite.test.ts, printed at the end of the
// run by the reporter in attack-table-reporter.ts.
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** One line of the table: every run of one attack (or of the genuine subject). */
export interface AttackTableRow {
  readonly attack: string;
  readonly genuine: boolean;
  /** Measured, not asserted: an adaptive attack beyond the suite's list, reported as it went. */
  readonly measured: boolean;
  readonly attempts: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Every reason or error code the server gave across the attempts. */
  readonly codes: readonly string[];
}

/** Where the suite writes its rows (git-ignored). */
export const ATTACK_TABLE_FILE = join(
  fileURLToPath(new URL("../..", import.meta.url)),
  "artifacts/attack-table.json",
);

/**
 * The rows as a Markdown table, with a closing line on what was accepted.
 *
 * @example
 * ```ts
 * console.log(formatAttackTable(rows));
 * ```
 */
export function formatAttackTable(rows: readonly AttackTableRow[]): string {
  const lines = [
    "| attack | attempts | accepted | rejected | reason codes |",
    "|---|---|---|---|---|",
    ...rows.map(
      (row) =>
        `| ${row.attack}${row.measured ? " *" : ""} | ${String(row.attempts)} | ${String(row.accepted)} | ${String(row.rejected)} | ${row.codes.join(", ") || "—"} |`,
    ),
  ];
  const attacks = rows.filter((row) => !row.genuine && !row.measured);
  const genuine = rows.filter((row) => row.genuine);
  const measured = rows.filter((row) => row.measured);
  const sum = (list: readonly AttackTableRow[], key: "attempts" | "accepted") =>
    list.reduce((total, row) => total + row[key], 0);
  const count = (list: readonly AttackTableRow[]) =>
    `${String(sum(list, "accepted"))} of ${String(sum(list, "attempts"))}`;
  lines.push(
    "",
    `Attacks accepted: ${count(attacks)}. Genuine accepted: ${count(genuine)}.`,
    ...(measured.length > 0
      ? [`Adaptive attacks (measured, not asserted; marked *) accepted: ${count(measured)}.`]
      : []),
  );
  return lines.join("\n");
}
