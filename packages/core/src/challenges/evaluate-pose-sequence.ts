import type { PoseDirection } from "@lumen/protocol";
import type { HeadPose } from "./head-pose.ts";
import { median } from "./median.ts";
import { poseProgress } from "./pose-progress.ts";

/**
 * Yaw change (degrees, from the frontal baseline) that counts as a turn left or right.
 * The mesh compresses angles; on the genuine videos in `shared/media/genuine/` clear turns
 * read 12–24° from baseline (d3: +24 / -13, d12: +18 / -19, d9: +15 / -12) while frontal
 * frames wander by under 5°, so 10° separates a deliberate turn from drift.
 */
export const POSE_YAW_THRESHOLD_DEGREES = 10;
/**
 * Pitch change (degrees, from baseline) that counts as looking up or down. Pitch moves less
 * than yaw on the mesh: d3 reads +8 / -13 for clear nods, frontal frames wander by ~3°.
 */
export const POSE_PITCH_THRESHOLD_DEGREES = 7;
/**
 * How long after a prompt appears the person may take to react and hold, on top of the
 * prompt's `holdMs`, when no later prompt ends the window first. A usability choice (people
 * react in 0.5–2 s), not a measurement.
 */
export const POSE_MAX_REACTION_MS = 4000;

/** Options of {@link evaluatePoseSequence}. */
export interface PoseSequenceOptions {
  readonly yawThresholdDegrees?: number;
  readonly pitchThresholdDegrees?: number;
  /** Frames inside a prompt's window that must be turned the asked way. */
  readonly minTurnedFrames?: number;
  readonly maxReactionMs?: number;
}

/** One frame as the pose evaluator needs it. */
export interface PoseFrame {
  readonly capturedAt: number;
  /** `null` when the frame had no face. */
  readonly pose: HeadPose | null;
}

/** How one prompt was followed. Pure data. */
export interface PromptOutcome {
  readonly direction: PoseDirection;
  readonly followed: boolean;
  /** Frames captured inside the prompt's window. */
  readonly frames: number;
  /** The largest change from baseline in the asked direction (degrees; negative = wrong way). */
  readonly peakDegrees: number;
}

/** Result of {@link evaluatePoseSequence}. Pure data. */
export interface PoseSequenceResult {
  readonly passed: boolean;
  /** Median pose of the face frames before the first prompt; `null` when there were none. */
  readonly baseline: { readonly yawDegrees: number; readonly pitchDegrees: number } | null;
  readonly prompts: readonly PromptOutcome[];
  /** Fraction of prompts followed, 0..1 (1 when no prompt was asked). */
  readonly score: number;
}

/**
 * Checks that the head followed each pose prompt: within the prompt's window (from when it was
 * shown to the next prompt, or `holdMs` + `maxReactionMs`), at least `minTurnedFrames` frames
 * must be turned the asked way past the threshold, relative to the frontal baseline (the median
 * pose before the first prompt). Directions are the person's own (`left` = their left); poses
 * come from {@link estimateHeadPose} on unmirrored frames.
 *
 * Fails closed: no baseline frame, or a `shownAt` list that does not match the prompts, fails
 * every prompt.
 *
 * @example
 * ```ts
 * const result = evaluatePoseSequence(challenge.poses, claims.posesShownAt, frames);
 * if (!result.passed) reasons.push("CHALLENGE_FAILED");
 * ```
 */
export function evaluatePoseSequence(
  prompts: readonly { readonly direction: PoseDirection; readonly holdMs: number }[],
  shownAt: readonly number[],
  frames: readonly PoseFrame[],
  options: PoseSequenceOptions = {},
): PoseSequenceResult {
  const yawThreshold = options.yawThresholdDegrees ?? POSE_YAW_THRESHOLD_DEGREES;
  const pitchThreshold = options.pitchThresholdDegrees ?? POSE_PITCH_THRESHOLD_DEGREES;
  const thresholds = { yawDegrees: yawThreshold, pitchDegrees: pitchThreshold };
  const minTurned = options.minTurnedFrames ?? 1;
  const maxReactionMs = options.maxReactionMs ?? POSE_MAX_REACTION_MS;
  if (prompts.length === 0) return { passed: true, baseline: null, prompts: [], score: 1 };

  const firstShown = shownAt[0] ?? Number.NEGATIVE_INFINITY;
  const yaws: number[] = [];
  const pitches: number[] = [];
  for (const frame of frames) {
    if (frame.pose && frame.capturedAt < firstShown) {
      yaws.push(frame.pose.yawDegrees);
      pitches.push(frame.pose.pitchDegrees);
    }
  }
  const valid = shownAt.length === prompts.length && yaws.length > 0;
  const baseline =
    yaws.length > 0 ? { yawDegrees: median(yaws), pitchDegrees: median(pitches) } : null;

  const outcomes = prompts.map((prompt, i): PromptOutcome => {
    const start = shownAt[i] ?? Number.NaN;
    const end = Math.min(shownAt[i + 1] ?? Infinity, start + prompt.holdMs + maxReactionMs);
    let inWindow = 0;
    let turned = 0;
    let peak = Number.NEGATIVE_INFINITY;
    for (const frame of frames) {
      if (!(frame.capturedAt >= start && frame.capturedAt < end)) continue;
      inWindow++;
      if (!frame.pose || !baseline) continue;
      const { degrees, reached } = poseProgress(prompt.direction, frame.pose, baseline, thresholds);
      if (degrees > peak) peak = degrees;
      if (reached) turned++;
    }
    return {
      direction: prompt.direction,
      followed: valid && turned >= minTurned,
      frames: inWindow,
      peakDegrees: Number.isFinite(peak) ? peak : Number.NaN,
    };
  });
  const followed = outcomes.filter((outcome) => outcome.followed).length;
  return {
    passed: followed === outcomes.length,
    baseline,
    prompts: outcomes,
    score: followed / outcomes.length,
  };
}
