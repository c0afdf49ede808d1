import type { FusionOperatingPoint, PassiveFusion } from "@lumen/core";
import type { Policy } from "@lumen/protocol";
import { equalErrorRate, rocAuc, thresholdAtBpcer } from "../metrics.ts";
import type { ItemResult } from "../report.ts";
import { crossValidatedScores } from "./cross-validate.ts";
import { fitLogistic } from "./fit-logistic.ts";
import { fusionRows } from "./fusion-rows.ts";

/** The recipe of a fit: which features, how many folds, how much penalty, which BPCER. */
export interface FusionRecipe {
  /** Passive model ids whose medians are the features. */
  readonly features: readonly string[];
  readonly folds: number;
  readonly l2: number;
  /** The BPCER each policy's threshold is chosen at, on the cross-validated scores. */
  readonly targetBpcer: Readonly<Record<Policy, number>>;
}

/** The fitting data's identity, recorded in the fusion. */
export interface FitData {
  readonly dataSha256: string;
}

/**
 * Fits the passive fusion on evaluated items: cross-validated scores (grouped folds, see
 * `assignFolds`) give its AUC, EER and each policy's threshold at the policy's target BPCER;
 * the coefficients then come from one fit on all items. Pure.
 *
 * @throws {RangeError} when too few items have every feature, a class is missing, or the items
 * come from too few sources to leave both classes outside every fold.
 * @example
 * ```ts
 * const fusion = calibrateFusion(items, recipe, { dataSha256 });
 * ```
 */
export function calibrateFusion(
  items: readonly ItemResult[],
  recipe: FusionRecipe,
  data: FitData,
): PassiveFusion {
  const { rows } = fusionRows(items, recipe.features);
  const bona = rows.filter((row) => row.label === 1).length;
  const attacks = rows.length - bona;
  if (bona < recipe.folds || attacks < recipe.folds) {
    throw new RangeError(
      `Calibration needs at least ${recipe.folds} bona fide and ${recipe.folds} attack items with every model's score; got ${bona} and ${attacks}`,
    );
  }
  const cv = crossValidatedScores(rows, recipe.folds, recipe.l2);
  if (!cv) {
    throw new RangeError(
      `Calibration needs bona fide and attack items from more sources: with ${recipe.folds} folds, the items outside some fold lack a class (a source is a file name's prefix up to "-" or "_")`,
    );
  }
  const bonaScores = cv.filter((_, i) => rows[i]?.label === 1);
  const attackScores = cv.filter((_, i) => rows[i]?.label === 0);
  const operatingPoints = {} as Record<Policy, FusionOperatingPoint>;
  for (const [policy, targetBpcer] of Object.entries(recipe.targetBpcer) as [Policy, number][]) {
    const point = thresholdAtBpcer(bonaScores, attackScores, targetBpcer);
    if (!point) throw new RangeError("No bona fide score to set an operating point on");
    operatingPoints[policy] = {
      threshold: point.threshold,
      targetBpcer,
      bpcer: point.bpcer,
      apcer: point.apcer,
    };
  }
  const fit = fitLogistic(
    rows.map((row) => row.features),
    rows.map((row) => row.label),
    recipe.l2,
  );
  return {
    features: [...recipe.features],
    ...fit,
    operatingPoints,
    fit: {
      dataSha256: data.dataSha256,
      bonaFide: bona,
      attacks,
      l2: recipe.l2,
      folds: recipe.folds,
      cvAuc: rocAuc(bonaScores, attackScores) ?? Number.NaN,
      cvEer: equalErrorRate(bonaScores, attackScores) ?? Number.NaN,
    },
  };
}
