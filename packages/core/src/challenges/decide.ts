import type {
  CaptureFacts,
  Decision,
  FaceMatch,
  FrameClaim,
  ReasonCode,
  ResultTokenClaims,
} from "@lumen/protocol";
import type { IlluminationResult } from "../illumination/evaluate-illumination.ts";
import {
  MIN_FRAME_INTERVAL_MS,
  MIN_FRAME_INTERVAL_STD_MS,
  type DecisionThresholds,
} from "./decision-thresholds.ts";
import type { FaceConsistencyResult } from "./evaluate-face-consistency.ts";
import type { PoseSequenceResult } from "./evaluate-pose-sequence.ts";
import type { FrameEvidence } from "./frame-evidence.ts";
import { median } from "./median.ts";
import { fusePassive, passiveFeatures, type PassiveFusion } from "../passive/passive-fusion.ts";
import { PASSIVE_FUSION } from "../passive/pinned-passive-fusion.ts";

/** Everything {@link decide} weighs, already evaluated. Pure data. */
export interface DecisionInput {
  /** The server's own view of each frame, in upload order. */
  readonly frames: readonly FrameEvidence[];
  /** The SDK's self-reported scores, aligned with `frames`. */
  readonly claimedScores: readonly FrameClaim["scores"][];
  readonly pose: PoseSequenceResult;
  /** `null` when the challenge had no illumination sequence (`no-flash`). */
  readonly illumination: IlluminationResult | null;
  readonly consistency: FaceConsistencyResult;
  /** The live face against the session's reference image; `null` without one. */
  readonly match: FaceMatch | null;
  readonly capture: CaptureFacts;
  readonly signals: ResultTokenClaims["signals"];
}

/** Result of {@link decide}. Pure data; `scores` are for the relying party only. */
export interface DecisionResult {
  readonly decision: Decision;
  /** Every reason found, in `REASON_CODES` order of discovery, without duplicates. */
  readonly reasons: readonly ReasonCode[];
  readonly scores: Readonly<Record<string, number>>;
}

/**
 * The decision policy: turns evaluated evidence into `pass` / `fail` / `review` with typed
 * reasons, using the named thresholds of one policy (`DECISION_THRESHOLDS[policy]`). Any
 * failing reason fails; reasons the policy only doubts (a weak deepfake score or a
 * virtual-camera label under `standard`) ask for review; no reason passes.
 *
 * `fusion` scores the passive models together against `thresholds.passiveFusion`: the pinned
 * `PASSIVE_FUSION`, or it extended with an operator's models (`extendPassiveFusion`).
 *
 * @example
 * ```ts
 * const { decision, reasons } = decide(input, DECISION_THRESHOLDS.standard);
 * ```
 */
export function decide(
  input: DecisionInput,
  thresholds: DecisionThresholds,
  fusion: PassiveFusion = PASSIVE_FUSION,
): DecisionResult {
  const fail = new Set<ReasonCode>();
  const review = new Set<ReasonCode>();
  const scores: Record<string, number> = {};
  const { frames, consistency } = input;
  const faces = frames.flatMap((frame) => (frame.face ? [frame.face] : []));

  // Presence: no face at all ends the assessment, nothing else can be judged.
  scores.framesWithoutFace = consistency.framesWithoutFace;
  scores.framesWithSeveralFaces = consistency.framesWithSeveralFaces;
  if (faces.length === 0) fail.add("NO_FACE");
  else if (consistency.framesWithoutFace / frames.length > thresholds.maxNoFaceFraction) {
    fail.add("NO_FACE");
  }
  if (consistency.framesWithSeveralFaces > 0) fail.add("MULTIPLE_FACES");

  if (faces.length > 0) {
    const liveness = median(faces.map((face) => face.liveness));
    const realness = median(faces.map((face) => face.realness));
    scores.livenessMedian = liveness;
    scores.realnessMedian = realness;
    if (!(liveness >= thresholds.minMedianLiveness)) fail.add("SPOOF_SUSPECTED");
    // Every passive model in one calibrated score; a model that scored no frame fails closed.
    const features = passiveFeatures(frames, fusion.features);
    const fused = features ? fusePassive(features, fusion) : Number.NaN;
    if (Number.isFinite(fused)) scores.passiveFused = fused;
    if (!(fused >= thresholds.passiveFusion.threshold)) fail.add("SPOOF_SUSPECTED");
    if (!(realness >= thresholds.minMedianRealness)) {
      (thresholds.deepfakeFails ? fail : review).add("DEEPFAKE_SUSPECTED");
    }
    const luma = median(faces.map((face) => face.luma));
    const sharpness = median(faces.map((face) => face.sharpness));
    const faceSize = median(faces.map((face) => face.faceSize));
    scores.lumaMedian = luma;
    scores.sharpnessMedian = sharpness;
    scores.faceSizeMedian = faceSize;
    if (
      !(luma >= thresholds.minLuma && luma <= thresholds.maxLuma) ||
      !(sharpness >= thresholds.minSharpness) ||
      !(faceSize >= thresholds.minFaceSize)
    ) {
      fail.add("LOW_QUALITY");
    }
    if (Number.isFinite(consistency.identityStep)) scores.identityStep = consistency.identityStep;
    scores.boxJump = consistency.boxJump;
    scores.boxScale = consistency.boxScale;
    if (!consistency.sameFace) fail.add("FACE_CHANGED");
  }
  if (input.match) {
    if (input.match.similarity !== null) scores.faceMatchSimilarity = input.match.similarity;
    if (input.match.decision !== "match") fail.add("FACE_MISMATCH");
  }

  scores.poseScore = input.pose.score;
  if (!input.pose.passed) fail.add("CHALLENGE_FAILED");
  const light = input.illumination;
  if (light) {
    const measured: [string, number][] = [
      ["illuminationLagMs", light.lagMs],
      ["illuminationCorrelation", light.correlation],
      ["illuminationResponse", light.meanResponse],
      ["shapeAgreement", light.shapeAgreement],
      ["backgroundRatio", light.backgroundRatio],
    ];
    for (const [name, value] of measured) if (Number.isFinite(value)) scores[name] = value;
    for (const reason of light.reasons) fail.add(reason);
    if (!light.passed && light.reasons.length === 0) fail.add("FLASH_RESPONSE_MISSING");
  }

  if (clientTampered(input, thresholds, scores)) fail.add("CLIENT_TAMPERED");

  const minInterval = smallestInterval(frames);
  if (Number.isFinite(minInterval)) scores.minFrameIntervalMs = minInterval;
  const std = input.signals.frameIntervalStdMs;
  if (
    minInterval < MIN_FRAME_INTERVAL_MS ||
    (std !== null && std < MIN_FRAME_INTERVAL_STD_MS) ||
    ((input.signals.customSource || input.capture.customSource) &&
      thresholds.customSourceIsInjection)
  ) {
    fail.add("INJECTION_SUSPECTED");
  } else if (input.signals.virtualCameraLabel) {
    (thresholds.virtualCamera === "fail" ? fail : review).add("INJECTION_SUSPECTED");
  }

  const reasons = [...fail, ...[...review].filter((code) => !fail.has(code))];
  const decision: Decision = fail.size > 0 ? "fail" : review.size > 0 ? "review" : "pass";
  return { decision, reasons, scores };
}

function smallestInterval(frames: readonly FrameEvidence[]): number {
  let smallest = Infinity;
  for (let i = 1; i < frames.length; i++) {
    const gap = (frames[i]?.capturedAt ?? Number.NaN) - (frames[i - 1]?.capturedAt ?? Number.NaN);
    // A non-monotonic pair is also impossible timing; the token check should have caught it.
    if (!(gap >= smallest)) smallest = Number.isNaN(gap) ? smallest : gap;
  }
  return smallest;
}

// The SDK runs the same models on the same frames: its self-reported numbers must agree with
// the server's. A client that lies to pass its own checks shows up here.
function clientTampered(
  input: DecisionInput,
  thresholds: DecisionThresholds,
  scores: Record<string, number>,
): boolean {
  const livenessDeltas: number[] = [];
  const realnessDeltas: number[] = [];
  let compared = 0;
  let phantomFaces = 0;
  input.frames.forEach((frame, i) => {
    const claimed = input.claimedScores[i];
    if (!claimed) return;
    compared++;
    if (claimed.faces > 0 && frame.faceCount === 0) phantomFaces++;
    if (frame.face && claimed.liveness !== null) {
      livenessDeltas.push(Math.abs(claimed.liveness - frame.face.liveness));
    }
    if (frame.face && claimed.realness !== null) {
      realnessDeltas.push(Math.abs(claimed.realness - frame.face.realness));
    }
  });
  if (compared === 0) return false;
  const liveness = median(livenessDeltas);
  const realness = median(realnessDeltas);
  if (!Number.isNaN(liveness)) scores.clientLivenessDelta = liveness;
  if (!Number.isNaN(realness)) scores.clientRealnessDelta = realness;
  return (
    phantomFaces / compared > thresholds.maxFaceClaimMismatchFraction ||
    liveness > thresholds.livenessTolerance ||
    realness > thresholds.realnessTolerance
  );
}
