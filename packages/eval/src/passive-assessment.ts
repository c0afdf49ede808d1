import {
  assessEvidence,
  DECISION_THRESHOLDS,
  logOdds,
  PASSIVE_FUSION,
  type DecisionThresholds,
  type FrameEvidence,
  type PassiveFusion,
} from "@lumen/core";
import type {
  CaptureFacts,
  Challenge,
  Decision,
  Policy,
  ReasonCode,
  ResultTokenClaims,
} from "@lumen/protocol";

/** The two reasons the combined score stands for; any other reason rejects at every threshold. */
export const SCORED_REASONS: readonly ReasonCode[] = ["SPOOF_SUSPECTED", "DEEPFAKE_SUSPECTED"];

/** Result of {@link assessPassive}. Pure data. */
export interface PassiveAssessment {
  /** The server's decision; only `pass` counts as accepted (classified bona fide). */
  readonly outcome: Decision;
  readonly reasons: readonly ReasonCode[];
  /** Median MiniFASNet `real - spoof` margin over face frames, as `decide` computes it. */
  readonly liveness: number | null;
  /** Median MesoNet realness over face frames, as `decide` computes it. */
  readonly realness: number | null;
  /** See {@link combinedScore}; `null` without a face. */
  readonly combined: number | null;
  /** Reasons outside {@link SCORED_REASONS}: the item is rejected whatever the threshold. */
  readonly gatedBy: readonly ReasonCode[];
}

/**
 * The combined score (higher = more bona fide): the smaller of the two margins `decide` tests,
 * both in log-odds so they share a unit: `liveness − minMedianLiveness` (MiniFASNet's margin is
 * already a logit difference) and `logit(realness) − logit(minMedianRealness)`. It is ≥ 0
 * exactly when neither SPOOF_SUSPECTED nor DEEPFAKE_SUSPECTED is raised, so 0 is the
 * threshold in force for every policy.
 *
 * @example
 * ```ts
 * combinedScore(3, 0.9, DECISION_THRESHOLDS.standard); // min(3, logit(0.9) − logit(0.2)) ≈ 3
 * ```
 */
export function combinedScore(
  liveness: number,
  realness: number,
  thresholds: DecisionThresholds,
): number {
  return Math.min(
    liveness - thresholds.minMedianLiveness,
    logOdds(realness) - logOdds(thresholds.minMedianRealness),
  );
}

// A passive session: no pose prompt, no flash, neutral capture facts and no SDK self-reported
// scores, so only presence, liveness, realness, quality and face consistency are judged.
const PASSIVE_CHALLENGE: Challenge = {
  flashes: [],
  poses: [],
  oval: { centerX: 0.5, centerY: 0.5, width: 0.6, height: 0.8 },
};
const PASSIVE_CAPTURE: CaptureFacts = {
  cameraLabel: "",
  userAgent: "",
  trackSettings: {},
  customSource: false,
};

/**
 * Judges the frames of one item exactly as the server judges an upload, through the core's
 * `assessEvidence` with the policy's `DECISION_THRESHOLDS`, but passively: the challenge has no
 * prompt and no flash, and the claims carry no client scores (so no CLIENT_TAMPERED check) and
 * no injection signals.
 *
 * @example
 * ```ts
 * const { outcome, combined } = assessPassive(frames, "standard");
 * ```
 */
export function assessPassive(
  frames: readonly FrameEvidence[],
  policy: Policy,
  passiveFusion: PassiveFusion = PASSIVE_FUSION,
): PassiveAssessment {
  const claims: ResultTokenClaims = {
    sid: "ses_0000000000000000000000",
    nonce: "passive-evaluation",
    iat: 0,
    exp: 0,
    frames: frames.map((frame) => ({
      capturedAt: frame.capturedAt,
      sha256: "0".repeat(64),
      width: 1,
      height: 1,
      scores: null,
    })),
    flashesShownAt: [],
    posesShownAt: [],
    models: "0".repeat(64),
    signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: null },
  };
  const result = assessEvidence({
    policy,
    challenge: PASSIVE_CHALLENGE,
    claims,
    capture: PASSIVE_CAPTURE,
    frames,
    passiveFusion,
  });
  const liveness = result.scores.livenessMedian ?? null;
  const realness = result.scores.realnessMedian ?? null;
  return {
    outcome: result.decision,
    reasons: result.reasons,
    liveness,
    realness,
    combined:
      liveness === null || realness === null
        ? null
        : combinedScore(liveness, realness, DECISION_THRESHOLDS[policy]),
    gatedBy: result.reasons.filter((reason) => !SCORED_REASONS.includes(reason)),
  };
}
