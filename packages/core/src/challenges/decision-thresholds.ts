import type { Policy } from "@lumen/protocol";
import type { FusionOperatingPoint } from "../passive/passive-fusion.ts";
import { PASSIVE_FUSION } from "../passive/pinned-passive-fusion.ts";
import {
  FACE_MATCH_AT_FMR_0_1_PERCENT,
  FACE_MATCH_AT_FMR_1_PERCENT,
  type FaceMatchThreshold,
} from "./evaluate-face-match.ts";
import {
  ILLUMINATION_LAG_MS,
  ILLUMINATION_MAX_BACKGROUND_RATIO,
  ILLUMINATION_MIN_CORRELATION,
  ILLUMINATION_MIN_RESPONSE,
  ILLUMINATION_MIN_SHAPE_AGREEMENT,
  type IlluminationThresholds,
} from "../illumination/evaluate-illumination.ts";

/** The named thresholds of one decision policy. Pure data. */
export interface DecisionThresholds {
  /**
   * SPOOF_SUSPECTED below this median MiniFASNet margin over face frames. Measured medians:
   * genuine videos d9 ≈ 6, d12 ≈ 12, d19 ≈ 14.5, d3 ≈ 17 (single frames down to 1.4 on d9);
   * the spoof stills silentface F1 −6.4, F2 −8.1; the live still T1 +5.8.
   */
  readonly minMedianLiveness: number;
  /**
   * DEEPFAKE_SUSPECTED below this median MesoNet realness. Genuine video medians: d3 ≈ 0.55
   * (frames at 0.13–0.3 when the head tilts down), d9/d12/d19 0.8–0.99; a genuine d3 session
   * built from its most turned frames reads 0.30–0.66 depending on the frames picked, so the bar sits at 0.2. MesoNet is weak on webcam
   * faces, so a low score alone only asks for review under `standard`.
   */
  readonly minMedianRealness: number;
  /**
   * SPOOF_SUSPECTED below this fused passive score (`PASSIVE_FUSION`, every passive model's
   * median in one logistic regression): the policy's operating point, chosen by
   * `pnpm calibrate` at a stated BPCER of cross-validated scores.
   */
  readonly passiveFusion: FusionOperatingPoint;
  /** Whether DEEPFAKE_SUSPECTED fails (`true`) or asks for review. */
  readonly deepfakeFails: boolean;
  /** Fraction of frames without a face above which NO_FACE is raised. */
  readonly maxNoFaceFraction: number;
  /** Pose prompts: minimum frames turned past the threshold inside each window. */
  readonly minTurnedFrames: number;
  /** The illumination challenge's bounds (see `evaluateIllumination` and its named constants). */
  readonly illumination: IlluminationThresholds;
  /**
   * CLIENT_TAMPERED when the median |SDK − server| liveness margin exceeds this. Re-encoding the
   * same d9 frames at JPEG quality 1 vs 5 moves the margin by 0.7–0.9; the SDK scores the
   * pre-JPEG pixels, so allow several times that.
   */
  readonly livenessTolerance: number;
  /** As {@link livenessTolerance} for MesoNet realness (JPEG re-encoding moved it by ≤ 0.01). */
  readonly realnessTolerance: number;
  /** CLIENT_TAMPERED when more than this fraction of frames claim a face the server cannot find. */
  readonly maxFaceClaimMismatchFraction: number;
  /** What a virtual-camera label leads to. */
  readonly virtualCamera: "fail" | "review";
  /** Whether an integrator-supplied video source counts as INJECTION_SUSPECTED. */
  readonly customSourceIsInjection: boolean;
  /** LOW_QUALITY below this median face luma (0..255). Genuine videos: 71–125. */
  readonly minLuma: number;
  /** LOW_QUALITY above this median face luma (0..255). */
  readonly maxLuma: number;
  /** LOW_QUALITY below this median sharpness (`faceQuality`). Genuine videos: 3.9–11.8. */
  readonly minSharpness: number;
  /** LOW_QUALITY below this median face width / frame side. Genuine videos: 0.38–0.53. */
  readonly minFaceSize: number;
  /** FACE_MISMATCH beyond this distance from the session's reference image, if it has one. */
  readonly faceMatch: FaceMatchThreshold;
}

/**
 * Two real frames cannot be captured less than this apart: no consumer camera exceeds
 * 200 fps. Shorter intervals in the token mean frames were fabricated (INJECTION_SUSPECTED).
 */
export const MIN_FRAME_INTERVAL_MS = 5;
/**
 * A camera stream whose frame intervals (the SDK's `frameIntervalStdMs`) vary by less than this
 * is "perfectly regular": real capture pipelines jitter by far more than 0.05 ms, a file or a
 * synthetic source played by a timer does not. A design value, not measured in this repository
 * (no live browser capture is available to the server tests).
 */
export const MIN_FRAME_INTERVAL_STD_MS = 0.05;

const standard: DecisionThresholds = {
  minMedianLiveness: 0,
  minMedianRealness: 0.2,
  passiveFusion: PASSIVE_FUSION.operatingPoints.standard,
  deepfakeFails: false,
  maxNoFaceFraction: 0.15,
  minTurnedFrames: 1,
  illumination: {
    minResponse: ILLUMINATION_MIN_RESPONSE,
    minCorrelation: ILLUMINATION_MIN_CORRELATION,
    lagMs: ILLUMINATION_LAG_MS,
    minShapeAgreement: ILLUMINATION_MIN_SHAPE_AGREEMENT,
    maxBackgroundRatio: ILLUMINATION_MAX_BACKGROUND_RATIO,
  },
  livenessTolerance: 4,
  realnessTolerance: 0.25,
  maxFaceClaimMismatchFraction: 0.2,
  virtualCamera: "review",
  customSourceIsInjection: false,
  minLuma: 40,
  maxLuma: 220,
  minSharpness: 1.5,
  minFaceSize: 0.2,
  faceMatch: FACE_MATCH_AT_FMR_1_PERCENT,
};

/**
 * The thresholds of each policy. `high` tightens liveness (2: still below the lowest genuine
 * median, 6), fails on deepfake suspicion, tolerates no faceless frame, needs two turned
 * frames per prompt, a closer match of the face's light to the sequence (correlation 0.7,
 * shape agreement 0.5, background ratio 0.35: still far from the genuine renders' 0.98, 0.9
 * and 0.08), treats a custom video source as injection, and matches a reference image at
 * FMR 0.1 % instead of 1 %. `no-flash` has no illumination
 * challenge, so it leans harder on liveness (1) and the pose (two turned frames per prompt).
 *
 * @example
 * ```ts
 * DECISION_THRESHOLDS.high.minMedianLiveness; // 2
 * ```
 */
export const DECISION_THRESHOLDS: Readonly<Record<Policy, DecisionThresholds>> = {
  standard,
  high: {
    ...standard,
    minMedianLiveness: 2,
    passiveFusion: PASSIVE_FUSION.operatingPoints.high,
    deepfakeFails: true,
    maxNoFaceFraction: 0,
    minTurnedFrames: 2,
    illumination: {
      ...standard.illumination,
      minCorrelation: 0.7,
      maxBackgroundRatio: 0.35,
    },
    virtualCamera: "fail",
    customSourceIsInjection: true,
    faceMatch: FACE_MATCH_AT_FMR_0_1_PERCENT,
  },
  "no-flash": {
    ...standard,
    minMedianLiveness: 1,
    passiveFusion: PASSIVE_FUSION.operatingPoints["no-flash"],
    minTurnedFrames: 2,
  },
};
