import { DECISION_THRESHOLDS, estimateHeadPose } from "@lumen/core";

/**
 * Why a well-placed face is still not good enough to verify: the image-quality hints. The
 * server fails the same conditions as `LOW_QUALITY`, so the SDK tells the user first.
 */
export type QualityIssue = "too-dark" | "too-bright" | "blurry" | "turned-away";

/** The part of a tracked face {@link qualityIssue} reads. */
export interface QualityInput {
  readonly luma: number;
  readonly sharpness: number;
  /** The 478 (or 468) landmarks, `x, y, z` in frame pixels. */
  readonly points: Float32Array;
}

/**
 * Absolute head angles past which the face counts as turned away while positioning. Generous:
 * `estimateHeadPose` compresses angles, and the prompts measure turns from a frontal baseline.
 */
export const TURNED_AWAY_DEGREES = { yaw: 25, pitch: 25 } as const;

/**
 * The first quality problem of a tracked face, or `null`, with the server's own `standard`
 * luma and sharpness limits (core's `DECISION_THRESHOLDS`) and core's head-pose convention.
 *
 * @example
 * ```ts
 * const issue = qualityIssue(tracked.face); // "too-dark"
 * ```
 */
export function qualityIssue(face: QualityInput): QualityIssue | null {
  const limits = DECISION_THRESHOLDS.standard;
  if (face.luma < limits.minLuma) return "too-dark";
  if (face.luma > limits.maxLuma) return "too-bright";
  if (face.sharpness < limits.minSharpness) return "blurry";
  const pose = estimateHeadPose(face.points);
  if (
    Math.abs(pose.yawDegrees) > TURNED_AWAY_DEGREES.yaw ||
    Math.abs(pose.pitchDegrees) > TURNED_AWAY_DEGREES.pitch
  ) {
    return "turned-away";
  }
  return null;
}
