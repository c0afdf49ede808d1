// A vitest reporter that ends the run by printing the attack suite's table, when the suite ran.
import { readFileSync, statSync } from "node:fs";
import type { Reporter } from "vitest/reporters";
import { ATTACK_TABLE_FILE, formatAttackTable, type AttackTableRow } from "./attack-table.ts";

/** Prints `test/artifacts/attack-table.json` after the run if this run wrote it. */
export default class AttackTableReporter implements Reporter {
  #startedAt = Date.now();

  onInit(): void {
    this.#startedAt = Date.now();
  }

  onTestRunEnd(): void {
    let written: number;
    try {
      written = statSync(ATTACK_TABLE_FILE).mtimeMs;
    } catch {
      return;
    }
    if (written < this.#startedAt) return;
    const rows = JSON.parse(readFileSync(ATTACK_TABLE_FILE, "utf8")) as AttackTableRow[];
    process.stdout.write(
      `\nAttack suite (test/src/attack-suite.test.ts):\n\n${formatAttackTable(rows)}\n\n`,
    );
  }
}
