import type { Policy } from "@lumen/protocol";
import { bpcerAtApcer, separation, thresholdAtBpcer, type BpcerAtApcer } from "../metrics.ts";
import type { ItemResult } from "../report.ts";
import { crossValidatedScores } from "./cross-validate.ts";
import type { FusionRecipe } from "./calibrate-fusion.ts";
import { fusionRows } from "./fusion-rows.ts";

/** How well one score separates bona fide from attack items, overall and per attack species. */
export interface ScoreSummary {
  readonly items: number;
  readonly auc: number | null;
  readonly eer: number | null;
  /** BPCER at APCER ≤ 5 % (ISO/IEC 30107-3's BPCER20). */
  readonly bpcerAtApcer5: BpcerAtApcer | null;
  /** AUC of each attack species against all bona fide items. */
  readonly aucBySpecies: Readonly<Record<string, number | null>>;
}

/** The fusion's cross-validated scores at each policy's target BPCER. */
export interface FusionOperatingReport {
  readonly targetBpcer: number;
  readonly threshold: number;
  readonly bpcer: number;
  readonly apcer: number;
  readonly apcerBySpecies: Readonly<Record<string, number>>;
}

/** Per-model and fused separation on one set of items. */
export interface PassiveScoreReport {
  readonly models: Readonly<Record<string, ScoreSummary>>;
  /**
   * The fusion recipe cross-validated on these items (each scored by a fit on other sources
   * only); `null` when too few items, or too few sources, have every model's score.
   */
  readonly fusion:
    | (ScoreSummary & { readonly operatingPoints: Readonly<Record<Policy, FusionOperatingReport>> })
    | null;
}

function summarise(
  scored: readonly { readonly item: ItemResult; readonly score: number }[],
): ScoreSummary {
  const bona = scored.filter((s) => s.item.class === "bona-fide").map((s) => s.score);
  const attacks = scored.filter((s) => s.item.class === "attack");
  const species = [...new Set(attacks.map((s) => s.item.species))].sort();
  const aucBySpecies: Record<string, number | null> = {};
  for (const name of species) {
    const scores = attacks.filter((s) => s.item.species === name).map((s) => s.score);
    aucBySpecies[name] = separation(bona, scores).auc;
  }
  const attackScores = attacks.map((s) => s.score);
  return {
    items: scored.length,
    ...separation(bona, attackScores),
    bpcerAtApcer5: bpcerAtApcer(bona, attackScores, 0.05),
    aucBySpecies,
  };
}

/**
 * Every passive model's separation alone, and the fusion recipe's cross-validated separation
 * with APCER per species at each policy's target BPCER. Pure.
 *
 * @example
 * ```ts
 * const report = passiveScoreReport(items, FUSION_RECIPE);
 * ```
 */
export function passiveScoreReport(
  items: readonly ItemResult[],
  recipe: FusionRecipe,
): PassiveScoreReport {
  const ids = [...new Set(items.flatMap((item) => Object.keys(item.modelScores ?? {})))].sort();
  const models: Record<string, ScoreSummary> = {};
  for (const id of ids) {
    models[id] = summarise(
      items.flatMap((item) => {
        const score = item.modelScores?.[id];
        return score === undefined ? [] : [{ item, score }];
      }),
    );
  }
  const { rows, items: kept } = fusionRows(items, recipe.features);
  const bona = rows.filter((row) => row.label === 1).length;
  if (bona < recipe.folds || rows.length - bona < recipe.folds) return { models, fusion: null };
  const cv = crossValidatedScores(rows, recipe.folds, recipe.l2);
  if (!cv) return { models, fusion: null };
  const scored = kept.map((item, i) => ({ item, score: cv[i] ?? Number.NaN }));
  const bonaScores = scored.filter((s) => s.item.class === "bona-fide").map((s) => s.score);
  const attacks = scored.filter((s) => s.item.class === "attack");
  const operatingPoints = {} as Record<Policy, FusionOperatingReport>;
  for (const [policy, targetBpcer] of Object.entries(recipe.targetBpcer) as [Policy, number][]) {
    const point = thresholdAtBpcer(
      bonaScores,
      attacks.map((s) => s.score),
      targetBpcer,
    );
    if (!point) continue;
    const apcerBySpecies: Record<string, number> = {};
    for (const name of [...new Set(attacks.map((s) => s.item.species))].sort()) {
      const of = attacks.filter((s) => s.item.species === name);
      apcerBySpecies[name] = of.filter((s) => s.score >= point.threshold).length / of.length;
    }
    operatingPoints[policy] = { targetBpcer, ...point, apcerBySpecies };
  }
  return { models, fusion: { ...summarise(scored), operatingPoints } };
}
