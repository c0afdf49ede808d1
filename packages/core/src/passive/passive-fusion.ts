import type { Policy } from "@lumen/protocol";
import type { FrameEvidence } from "../challenges/frame-evidence.ts";
import { median } from "../challenges/median.ts";

/** Where the fused score's threshold sits for one policy, and what it costs on the fit data. */
export interface FusionOperatingPoint {
  /** SPOOF_SUSPECTED below this fused log-odds. */
  readonly threshold: number;
  /** The BPCER it was chosen at (cross-validated scores of the fit data). */
  readonly targetBpcer: number;
  /** BPCER and APCER of the cross-validated scores of the fit data at `threshold`. */
  readonly bpcer: number;
  readonly apcer: number;
}

/** A logistic regression's coefficients on standardised features. Pure data. */
export interface LogisticCoefficients {
  /** Each feature is standardised, `(x − mean) / std`, before the weights apply. */
  readonly means: readonly number[];
  readonly stds: readonly number[];
  readonly weights: readonly number[];
  readonly intercept: number;
}

/**
 * A logistic regression over per-session passive features, fitted by `pnpm calibrate` and pinned
 * in `passive-fusion.json` with the data it was fitted on. Pure data.
 */
export interface PassiveFusion extends LogisticCoefficients {
  /**
   * Its features, in weight order: the median score of each of these passive models over the
   * session's face frames (a still is a one-frame session).
   */
  readonly features: readonly string[];
  readonly operatingPoints: Readonly<Record<Policy, FusionOperatingPoint>>;
  /** Provenance of the fit, for the report and the audit. */
  readonly fit: {
    /** SHA-256 over the sorted `<label path> <sha256>` lines of the fitting data's files. */
    readonly dataSha256: string;
    readonly bonaFide: number;
    readonly attacks: number;
    /** L2 penalty on the weights (not the intercept), for standardised features. */
    readonly l2: number;
    readonly folds: number;
    /** Cross-validated ROC AUC and EER of the fused score on the fitting data. */
    readonly cvAuc: number;
    readonly cvEer: number;
  };
}

/**
 * A session's passive features: the median score of each model over the frames with a face,
 * or `null` when a model scored no frame (the fusion cannot judge; fail closed).
 *
 * @example
 * ```ts
 * passiveFeatures(frames, PASSIVE_FUSION.features); // [3.1, 0.8, …] or null
 * ```
 */
export function passiveFeatures(
  frames: readonly FrameEvidence[],
  models: readonly string[],
): number[] | null {
  const values: number[] = [];
  for (const model of models) {
    const scores = frames.flatMap((frame) => {
      const score = frame.face?.passive[model];
      return score !== undefined && Number.isFinite(score) ? [score] : [];
    });
    if (scores.length === 0) return null;
    values.push(median(scores));
  }
  return values;
}

/**
 * The fused passive score of a feature vector: log-odds that the session is bona fide.
 *
 * @throws {RangeError} when the vector's length is not the fusion's.
 * @example
 * ```ts
 * fusePassive(passiveFeatures(frames, PASSIVE_FUSION.features)!, PASSIVE_FUSION); // e.g. 1.7
 * ```
 */
export function fusePassive(features: readonly number[], fusion: LogisticCoefficients): number {
  if (features.length !== fusion.weights.length) {
    throw new RangeError(
      `The fusion takes ${fusion.weights.length} features, got ${features.length}`,
    );
  }
  let z = fusion.intercept;
  for (const [i, x] of features.entries()) {
    z += ((fusion.weights[i] ?? 0) * (x - (fusion.means[i] ?? 0))) / (fusion.stds[i] ?? 1);
  }
  return z;
}
