import { createSeededRandom } from "@lumen/relight";
import { describe, expect, it } from "vitest";
import { assignFolds, crossValidatedScores, type FusionRow } from "../src/fusion/cross-validate.ts";
import { logisticSample } from "./support/logistic-sample.ts";

// 40 sources of 1–8 rows each, labels and features from a known logistic model.
function groupedRows(seed: number): FusionRow[] {
  const next = createSeededRandom(seed);
  const sizes = Array.from({ length: 40 }, () => 1 + Math.floor(next() * 8));
  const { rows, labels } = logisticSample(
    sizes.reduce((a, b) => a + b, 0),
    { intercept: 0, coefficients: [1.5, -1], seed },
  );
  const groups = sizes.flatMap((size, g) => new Array<string>(size).fill(`source${g}`));
  return rows.map((features, i) => ({
    group: groups[i] ?? "",
    features,
    label: labels[i] ?? 0,
  }));
}

describe("assignFolds", () => {
  const rows = groupedRows(1);

  it("never puts one group in two folds", () => {
    const fold = assignFolds(rows, 5);
    const foldOf = new Map<string, Set<number>>();
    rows.forEach((row, i) => {
      foldOf.set(row.group, (foldOf.get(row.group) ?? new Set()).add(fold[i] ?? -1));
    });
    expect(foldOf.size).toBe(40);
    for (const folds of foldOf.values()) expect(folds.size).toBe(1);
    expect(new Set(fold)).toEqual(new Set([0, 1, 2, 3, 4]));
  });

  it("balances the folds' sizes to within one group's size", () => {
    for (const seed of [1, 2, 3]) {
      const some = groupedRows(seed);
      const fold = assignFolds(some, 5);
      const load = [0, 1, 2, 3, 4].map((k) => fold.filter((f) => f === k).length);
      const largest = Math.max(
        ...[...new Set(some.map((r) => r.group))].map(
          (g) => some.filter((r) => r.group === g).length,
        ),
      );
      expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(largest);
    }
  });

  it("gives each group the same fold whatever the rows' order", () => {
    const foldByGroup = (list: readonly FusionRow[]): Map<string, number> => {
      const fold = assignFolds(list, 5);
      return new Map(list.map((row, i) => [row.group, fold[i] ?? -1]));
    };
    const next = createSeededRandom(9);
    const shuffled = rows
      .map((row) => ({ row, key: next() }))
      .sort((a, b) => a.key - b.key)
      .map(({ row }) => row);
    expect(shuffled).not.toEqual(rows);
    expect(foldByGroup(shuffled)).toEqual(foldByGroup(rows));
    expect(foldByGroup([...rows].reverse())).toEqual(foldByGroup(rows));
  });
});

describe("crossValidatedScores", () => {
  const rows = groupedRows(7);

  it("gives every row a finite score that ranks the classes", () => {
    const scores = crossValidatedScores(rows, 5, 1);
    expect(scores).toHaveLength(rows.length);
    for (const s of scores ?? []) expect(Number.isFinite(s)).toBe(true);
    const mean = (label: 0 | 1): number => {
      const of = (scores ?? []).filter((_, i) => rows[i]?.label === label);
      return of.reduce((a, b) => a + b, 0) / of.length;
    };
    expect(mean(1)).toBeGreaterThan(mean(0));
  });

  it("scores a fold's rows by a fit that never saw them: flipping their labels moves only other folds", () => {
    const fold = assignFolds(rows, 5);
    const before = crossValidatedScores(rows, 5, 1) ?? [];
    const flipped = rows.map((row, i) =>
      fold[i] === 2 ? { ...row, label: row.label === 1 ? (0 as const) : (1 as const) } : row,
    );
    const after = crossValidatedScores(flipped, 5, 1) ?? [];
    expect(after).toHaveLength(rows.length);
    rows.forEach((_, i) => {
      // Fold 2 is scored by the fit on folds 0, 1, 3 and 4, which did not change; every other
      // fold's fit trained on fold 2's labels.
      if (fold[i] === 2) expect(after[i]).toBe(before[i]);
      else expect(after[i]).not.toBe(before[i]);
    });
  });

  it("is null when the rows outside a fold lack a class", () => {
    const oneSource = rows.map((row) => ({ ...row, group: "IMG" }));
    expect(crossValidatedScores(oneSource, 5, 1)).toBeNull();
    const bonaFromOneSource = rows.map((row) =>
      row.label === 1 ? { ...row, group: "alice" } : row,
    );
    expect(crossValidatedScores(bonaFromOneSource, 5, 1)).toBeNull();
  });
});
