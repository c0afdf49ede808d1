import { createHash } from "node:crypto";
import { fusePassive } from "@lumen/core";
import { fitLogistic } from "./fit-logistic.ts";

/** One labelled row of the fit: features, class, and the group that decides its fold. */
export interface FusionRow {
  /**
   * Rows of one group (one source: one person, one video) always share a fold, so a fit is never
   * scored on near-copies of its own training rows.
   */
  readonly group: string;
  readonly features: readonly number[];
  /** 1 for bona fide, 0 for an attack. */
  readonly label: 0 | 1;
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/**
 * Grouped k-fold assignment without a random generator: groups taken in the order of the
 * SHA-256 of their name, each dealt to the fold holding the fewest rows so far. Reproducible,
 * independent of the order files were listed in, and no group spans two folds.
 *
 * @example
 * ```ts
 * assignFolds(rows, 5); // [0, 3, 1, …], one fold per row
 * ```
 */
export function assignFolds(rows: readonly FusionRow[], folds: number): number[] {
  const sizes = new Map<string, number>();
  for (const row of rows) sizes.set(row.group, (sizes.get(row.group) ?? 0) + 1);
  const load = new Array<number>(folds).fill(0);
  const foldOf = new Map<string, number>();
  const groups = [...sizes.keys()].sort((a, b) => (sha256(a) < sha256(b) ? -1 : 1));
  for (const group of groups) {
    const fold = load.indexOf(Math.min(...load));
    foldOf.set(group, fold);
    load[fold] = (load[fold] ?? 0) + (sizes.get(group) ?? 0);
  }
  return rows.map((row) => foldOf.get(row.group) ?? 0);
}

/**
 * Out-of-fold scores: each row scored by a fusion fitted on the other folds only, so no row is
 * scored by a fit it took part in. `null` when the rows outside some fold lack a class: too few
 * groups (sources) for `folds`, or one class from a single group, as when every file's name
 * starts alike (`IMG_…`).
 *
 * @example
 * ```ts
 * const scores = crossValidatedScores(rows, 5, 1); // one per row; null: too few sources
 * ```
 */
export function crossValidatedScores(
  rows: readonly FusionRow[],
  folds: number,
  l2: number,
): number[] | null {
  const fold = assignFolds(rows, folds);
  const trainOf = (k: number): FusionRow[] => rows.filter((_, i) => fold[i] !== k);
  const bothClasses = (train: readonly FusionRow[]): boolean =>
    train.some((row) => row.label === 1) && train.some((row) => row.label === 0);
  if (!Array.from({ length: folds }, (_, k) => trainOf(k)).every(bothClasses)) return null;
  const scores = new Array<number>(rows.length).fill(Number.NaN);
  for (let k = 0; k < folds; k++) {
    const train = trainOf(k);
    const fit = fitLogistic(
      train.map((row) => row.features),
      train.map((row) => row.label),
      l2,
    );
    rows.forEach((row, i) => {
      if (fold[i] === k) scores[i] = fusePassive(row.features, fit);
    });
  }
  return scores;
}
