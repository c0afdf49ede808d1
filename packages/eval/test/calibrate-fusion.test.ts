import { createSeededRandom } from "@lumen/relight";
import { describe, expect, it } from "vitest";
import { fusePassive } from "@lumen/core";
import { calibrateFusion } from "../src/fusion/calibrate-fusion.ts";
import { crossValidatedScores } from "../src/fusion/cross-validate.ts";
import { FUSION_RECIPE } from "../src/fusion/fusion-recipe.ts";
import { fusionRows } from "../src/fusion/fusion-rows.ts";
import { bpcer } from "../src/metrics.ts";
import type { ItemResult } from "../src/report.ts";

import { scoredItem } from "./support/scored-item.ts";

const DATA = { dataSha256: "ab".repeat(32) };
const [SEPARATING = "", ...NOISE] = FUSION_RECIPE.features;

// `n` items of each class from 3n/2 sources; only the first feature's model separates them.
function items(n: number, seed = 1): ItemResult[] {
  const next = createSeededRandom(seed);
  const item = (bona: boolean, i: number): ItemResult => {
    const scores: Record<string, number> = {
      [SEPARATING]: (bona ? 2 : -2) + 2 * (next() - 0.5),
    };
    for (const id of NOISE) scores[id] = 4 * (next() - 0.5);
    const source = `s${bona ? i % n : (i + n / 2) % (1.5 * n)}`;
    return scoredItem(`${bona ? "bona-fide/still" : "attack/print"}/${source}-${i}.jpg`, scores);
  };
  return [
    ...Array.from({ length: n }, (_, i) => item(true, i)),
    ...Array.from({ length: n }, (_, i) => item(false, i)),
  ];
}

describe("calibrateFusion", () => {
  const fusion = calibrateFusion(items(60), FUSION_RECIPE, DATA);

  it("pins every policy's threshold at a cross-validated BPCER within its target", () => {
    const { rows } = fusionRows(items(60), FUSION_RECIPE.features);
    const cv = crossValidatedScores(rows, FUSION_RECIPE.folds, FUSION_RECIPE.l2) ?? [];
    const bona = cv.filter((_, i) => rows[i]?.label === 1);
    for (const [policy, target] of Object.entries(FUSION_RECIPE.targetBpcer)) {
      const point = fusion.operatingPoints[policy as keyof typeof fusion.operatingPoints];
      expect(point.targetBpcer).toBe(target);
      expect(point.bpcer).toBeLessThanOrEqual(target);
      expect(bpcer(bona, point.threshold)).toBe(point.bpcer);
    }
    expect(fusion.fit.cvAuc).toBeGreaterThan(0.95);
    expect(fusion.fit.cvEer).toBeLessThan(0.1);
  });

  it("weighs the separating model most, and positively", () => {
    const [first = 0, ...rest] = fusion.weights;
    expect(first).toBeGreaterThan(0);
    for (const w of rest) expect(Math.abs(w)).toBeLessThan(first / 3);
    // Scores on the fit data: bona fide above attacks.
    expect(fusePassive([2, ...NOISE.map(() => 0)], fusion)).toBeGreaterThan(
      fusePassive([-2, ...NOISE.map(() => 0)], fusion),
    );
  });

  it("records the recipe, the counts and the data's SHA-256", () => {
    expect(fusion.features).toEqual(FUSION_RECIPE.features);
    expect(fusion.fit).toMatchObject({
      dataSha256: DATA.dataSha256,
      bonaFide: 60,
      attacks: 60,
      l2: FUSION_RECIPE.l2,
      folds: FUSION_RECIPE.folds,
    });
    expect(fusion.means).toHaveLength(FUSION_RECIPE.features.length);
  });

  it("refuses too few items of a class with every model's score", () => {
    const some = items(10);
    const four = [...some.filter((i) => i.class === "bona-fide").slice(0, 4), ...some.slice(10)];
    expect(() => calibrateFusion(four, FUSION_RECIPE, DATA)).toThrow(
      new RangeError(
        "Calibration needs at least 5 bona fide and 5 attack items with every model's score; got 4 and 10",
      ),
    );
    const lacking = some.map((i) =>
      i.class === "attack" ? { ...i, modelScores: { [SEPARATING]: 0 } } : i,
    );
    expect(() => calibrateFusion(lacking, FUSION_RECIPE, DATA)).toThrow(/got 10 and 0$/);
  });

  it("refuses items from too few sources to leave both classes outside every fold", () => {
    const oneSource = items(10).map((i) => ({ ...i, path: i.path.replace(/\/s\d+-/, "/IMG_") }));
    expect(() => calibrateFusion(oneSource, FUSION_RECIPE, DATA)).toThrow(
      /needs bona fide and attack items from more sources/,
    );
  });
});
