import type { PassiveFusion } from "./passive-fusion.ts";

/**
 * One more feature of the passive fusion, declared rather than fitted (an operator's own
 * model): the session median `x` of model `feature` adds `weight · (x − mean) / std` to the
 * fused log-odds. Pure data.
 */
export interface PassiveFusionTerm {
  /** The passive model's id, as it keys `FrameEvidence.face.passive`. */
  readonly feature: string;
  readonly weight: number;
  readonly mean: number;
  /** Positive. */
  readonly std: number;
}

/**
 * The fusion with `terms` appended to its features, means, stds and weights. The intercept,
 * the operating points and the provenance stay the fitted fusion's: whoever declares a term
 * answers for its weight, which moves scores against thresholds chosen without it.
 *
 * @throws {TypeError} when a term's feature is already in the fusion or repeated, or its
 * numbers are not finite or its `std` not positive.
 * @example
 * ```ts
 * const fusion = extendPassiveFusion(PASSIVE_FUSION, [
 *   { feature: "bank-pad", weight: 0.8, mean: 2.1, std: 3.4 },
 * ]);
 * fusion.features.at(-1); // "bank-pad"
 * ```
 */
export function extendPassiveFusion(
  fusion: PassiveFusion,
  terms: readonly PassiveFusionTerm[],
): PassiveFusion {
  const features = [...fusion.features];
  for (const term of terms) {
    if (features.includes(term.feature)) {
      throw new TypeError(`The passive fusion already has a feature "${term.feature}"`);
    }
    if (![term.weight, term.mean, term.std].every(Number.isFinite) || !(term.std > 0)) {
      throw new TypeError(
        `The fusion term of "${term.feature}" needs a finite weight and mean and a positive std`,
      );
    }
    features.push(term.feature);
  }
  return {
    ...fusion,
    features,
    means: [...fusion.means, ...terms.map((term) => term.mean)],
    stds: [...fusion.stds, ...terms.map((term) => term.std)],
    weights: [...fusion.weights, ...terms.map((term) => term.weight)],
  };
}
