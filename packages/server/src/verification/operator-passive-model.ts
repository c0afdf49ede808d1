import {
  extendPassiveFusion,
  PASSIVE_FUSION,
  type PassiveFusion,
  type PassiveFusionTerm,
} from "@lumen/core";
import type { PassiveModelFile } from "./onnx-frame-analyzer.ts";

/**
 * A passive model the operator declared (`LUMEN_PASSIVE_MODELS`): its pinned file, how to feed
 * and read it, and its term in the passive fusion. Pure data, so it crosses to the workers.
 */
export interface OperatorPassiveModel extends PassiveModelFile {
  /** Its term in the fusion; the feature is `model.id`. */
  readonly fusion: Omit<PassiveFusionTerm, "feature">;
}

/**
 * The pinned passive fusion with the operator's declared terms appended: what the decision
 * applies when those models run.
 *
 * @throws {TypeError} for a declared id the fusion already has, or twice.
 * @example
 * ```ts
 * const fusion = operatorPassiveFusion(await loadPassiveModelDeclarations(path));
 * ```
 */
export function operatorPassiveFusion(models: readonly OperatorPassiveModel[]): PassiveFusion {
  return extendPassiveFusion(
    PASSIVE_FUSION,
    models.map(({ model, fusion }) => ({ feature: model.id, ...fusion })),
  );
}
