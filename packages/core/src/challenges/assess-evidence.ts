import {
  PROTOCOL_LIMITS,
  type CaptureFacts,
  type Challenge,
  type FaceMatch,
  type IlluminationStep,
  type Policy,
  type ResultTokenClaims,
  type SessionAnalysis,
} from "@lumen/protocol";
import {
  evaluateIllumination,
  ILLUMINATION_MAX_SHAPE_AGREEMENT,
  type IlluminationResult,
} from "../illumination/evaluate-illumination.ts";
import { buildSessionAnalysis } from "./build-session-analysis.ts";
import { decide, type DecisionResult } from "./decide.ts";
import { DECISION_THRESHOLDS } from "./decision-thresholds.ts";
import { evaluateFaceConsistency } from "./evaluate-face-consistency.ts";
import { evaluateFaceMatch } from "./evaluate-face-match.ts";
import {
  evaluatePoseSequence,
  POSE_PITCH_THRESHOLD_DEGREES,
  POSE_YAW_THRESHOLD_DEGREES,
} from "./evaluate-pose-sequence.ts";
import type { FrameEvidence } from "./frame-evidence.ts";
import type { PassiveFusion } from "../passive/passive-fusion.ts";

/** Inputs of {@link assessEvidence}: the session's facts and the server's frame evidence. */
export interface AssessEvidenceInput {
  readonly policy: Policy;
  readonly challenge: Challenge;
  readonly claims: ResultTokenClaims;
  readonly capture: CaptureFacts;
  /** One per uploaded frame, in upload order, `capturedAt` from the claims. */
  readonly frames: readonly FrameEvidence[];
  /**
   * The embedding of the session's reference image (`embedReferenceFace`), to match the live
   * face against; absent or `null` when the relying party attached none.
   */
  readonly reference?: Float32Array | null;
  /**
   * The passive fusion the decision applies: `PASSIVE_FUSION` by default, or it extended with
   * an operator's own models (`extendPassiveFusion`), whose scores `frames` must then carry.
   */
  readonly passiveFusion?: PassiveFusion;
}

/** Result of {@link assessEvidence}. Pure data. */
export interface AssessEvidenceResult extends DecisionResult {
  /** Up to 4 frame indices worth keeping for a human reviewer. */
  readonly auditFrames: readonly number[];
  /**
   * Per-frame numbers and the evaluators' illumination and per-prompt outcomes, for the relying
   * party; one entry per frame, so keep it out of tokens.
   */
  readonly analysis: SessionAnalysis;
  /** The live face against the reference image; `null` without one. */
  readonly match: FaceMatch | null;
}

/**
 * Runs every challenge evaluator with the thresholds of the session's policy, matches the live
 * face against the reference image if there is one, and decides.
 * The one place that wires evaluators to `decide`, shared by the server and by tests. The
 * `analysis` it returns is built from the same evaluator results the decision used.
 *
 * Audit frames: the most frontal frame before the first prompt, the frame of each pose
 * prompt's peak turn, then one frame inside a lit illumination step (a split one where there
 * is one), up to 4.
 *
 * @example
 * ```ts
 * const { decision, reasons, auditFrames, analysis } = assessEvidence({ policy, challenge, claims, capture, frames });
 * ```
 */
export function assessEvidence(input: AssessEvidenceInput): AssessEvidenceResult {
  const { challenge, claims, frames } = input;
  const thresholds = DECISION_THRESHOLDS[input.policy];
  const poseFrames = frames.map((frame) => ({
    capturedAt: frame.capturedAt,
    pose: frame.face?.pose ?? null,
  }));
  const poseOptions = {
    yawThresholdDegrees: POSE_YAW_THRESHOLD_DEGREES,
    pitchThresholdDegrees: POSE_PITCH_THRESHOLD_DEGREES,
    minTurnedFrames: thresholds.minTurnedFrames,
  };
  const pose = evaluatePoseSequence(challenge.poses, claims.posesShownAt, poseFrames, poseOptions);
  const steps = input.policy === "no-flash" ? [] : challenge.flashes;
  const illumination =
    steps.length === 0
      ? null
      : evaluateIllumination(
          steps,
          claims.flashesShownAt,
          frames.map((frame) => ({
            capturedAt: frame.capturedAt,
            light: frame.face?.light ?? null,
          })),
          { ...thresholds.illumination, maxShapeAgreement: ILLUMINATION_MAX_SHAPE_AGREEMENT },
        );
  const consistency = evaluateFaceConsistency(frames);
  const match = input.reference
    ? evaluateFaceMatch(frames, input.reference, thresholds.faceMatch)
    : null;
  const result = decide(
    {
      frames,
      claimedScores: claims.frames.map((frame) => frame.scores),
      pose,
      illumination,
      consistency,
      match,
      capture: input.capture,
      signals: claims.signals,
    },
    thresholds,
    input.passiveFusion,
  );
  const analysis = buildSessionAnalysis({
    frames,
    steps,
    stepsShownAt: claims.flashesShownAt,
    illumination,
    poses: challenge.poses,
    posesShownAt: claims.posesShownAt,
    pose,
    thresholds: {
      liveness: thresholds.minMedianLiveness,
      realness: thresholds.minMedianRealness,
      passiveFused: thresholds.passiveFusion.threshold,
      illumination: thresholds.illumination,
      poseDegrees: {
        yaw: poseOptions.yawThresholdDegrees,
        pitch: poseOptions.pitchThresholdDegrees,
      },
    },
  });
  return { ...result, auditFrames: auditFrames(input, steps, illumination), analysis, match };
}

function auditFrames(
  input: AssessEvidenceInput,
  steps: readonly IlluminationStep[],
  illumination: IlluminationResult | null,
): number[] {
  const { frames, claims, challenge } = input;
  const picked: number[] = [];
  const add = (index: number): void => {
    if (index >= 0 && picked.length < PROTOCOL_LIMITS.maxAuditFrames && !picked.includes(index)) {
      picked.push(index);
    }
  };
  const firstPrompt = claims.posesShownAt[0] ?? Infinity;
  add(
    best(frames, (f) =>
      f.face && f.capturedAt < firstPrompt ? -Math.abs(f.face.pose.yawDegrees) : null,
    ),
  );
  challenge.poses.forEach((prompt, i) => {
    const start = claims.posesShownAt[i] ?? Number.NaN;
    const end = claims.posesShownAt[i + 1] ?? Infinity;
    const sign = prompt.direction === "left" || prompt.direction === "up" ? 1 : -1;
    const axis =
      prompt.direction === "left" || prompt.direction === "right" ? "yawDegrees" : "pitchDegrees";
    add(
      best(frames, (f) =>
        f.face && f.capturedAt >= start && f.capturedAt < end ? sign * f.face.pose[axis] : null,
      ),
    );
  });
  // A frame the evaluator placed in a lit step: a split one shows the two halves' light.
  const stepOf = (i: number): IlluminationStep | undefined => {
    const step = illumination?.frameSteps[i];
    return step === null || step === undefined ? undefined : steps[step];
  };
  const litFrame = (split: boolean): number =>
    frames.findIndex((f, i) => {
      const step = stepOf(i);
      return (
        f.face !== null &&
        step !== undefined &&
        step.colours.some((colour) => colour !== "#000000") &&
        (!split || step.pattern !== "full")
      );
    });
  const split = litFrame(true);
  add(split >= 0 ? split : litFrame(false));
  return picked;
}

function best(
  frames: readonly FrameEvidence[],
  score: (frame: FrameEvidence) => number | null,
): number {
  let bestIndex = -1;
  let bestScore = Number.NEGATIVE_INFINITY;
  frames.forEach((frame, i) => {
    const s = score(frame);
    if (s !== null && s > bestScore) {
      bestScore = s;
      bestIndex = i;
    }
  });
  return bestIndex;
}
