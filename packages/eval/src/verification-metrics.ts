// ISO/IEC 19795-1 verification error rates on comparison scores that are distances: a pair is
// declared a match when its distance is at or below the threshold. Distances are turned into
// similarity scores (their negatives) and measured with the presentation-attack metrics of
// metrics.ts, genuine pairs in the place of bona fide presentations and impostor pairs in that
// of attacks: FMR is then APCER and FNMR is BPCER, with one definition of each curve and
// crossing for both reports. Every function is pure.
import { apcer, bpcer, bpcerAtApcer, equalErrorRate, operatingPoints } from "./metrics.ts";

/** One operating point: the error rates when distances ≤ `threshold` are matches. */
export interface VerificationPoint {
  readonly threshold: number;
  /** Impostor pairs declared a match, over all impostor pairs. */
  readonly fmr: number;
  /** Genuine pairs declared a non-match, over all genuine pairs. */
  readonly fnmr: number;
}

const negate = (distances: readonly number[]): number[] => distances.map((d) => -d);

/**
 * False match rate: the fraction of impostor distances at or below `threshold`; `NaN` without
 * impostor pairs.
 *
 * @example
 * ```ts
 * falseMatchRate([0.4, 0.7, 0.9], 0.6); // 1 / 3
 * ```
 */
export function falseMatchRate(impostor: readonly number[], threshold: number): number {
  return apcer(negate(impostor), -threshold);
}

/**
 * False non-match rate: the fraction of genuine distances above `threshold`; `NaN` without
 * genuine pairs.
 *
 * @example
 * ```ts
 * falseNonMatchRate([0.3, 0.5, 0.8], 0.6); // 1 / 3
 * ```
 */
export function falseNonMatchRate(genuine: readonly number[], threshold: number): number {
  return bpcer(negate(genuine), -threshold);
}

/**
 * Every distinct operating point, from the strictest threshold (−∞, nothing matches) to the
 * most lenient (the largest distance, everything matches): FMR rises and FNMR falls along the
 * list. This is the DET curve.
 *
 * @example
 * ```ts
 * verificationPoints([0.2], [0.8]); // thresholds −∞, 0.2, 0.8
 * ```
 */
export function verificationPoints(
  genuine: readonly number[],
  impostor: readonly number[],
): VerificationPoint[] {
  return operatingPoints(negate(genuine), negate(impostor))
    .map(({ threshold, apcer: fmr, bpcer: fnmr }) => ({ threshold: -threshold, fmr, fnmr }))
    .reverse();
}

/**
 * Equal-error rate: where FMR and FNMR cross on the DET curve, linearly interpolated between
 * the two points that bracket the crossing (as `equalErrorRate` for presentation attacks).
 * `null` when either kind of pair is missing.
 *
 * @example
 * ```ts
 * verificationEer([0.1, 0.5], [0.3, 0.9]); // 0.5
 * ```
 */
export function verificationEer(
  genuine: readonly number[],
  impostor: readonly number[],
): number | null {
  return equalErrorRate(negate(genuine), negate(impostor));
}

/**
 * FNMR at a fixed FMR: the lowest FNMR of any operating point whose FMR is at most `target`,
 * with that point's FMR and threshold. `null` when either kind of pair is missing.
 *
 * @example
 * ```ts
 * fnmrAtFmr([0.2, 0.4, 0.8], [0.5, 0.9], 0); // { threshold: 0.4, fmr: 0, fnmr: 1 / 3 }
 * ```
 */
export function fnmrAtFmr(
  genuine: readonly number[],
  impostor: readonly number[],
  target: number,
): VerificationPoint | null {
  const point = bpcerAtApcer(negate(genuine), negate(impostor), target);
  return point && { threshold: -point.threshold, fmr: point.apcer, fnmr: point.bpcer };
}
