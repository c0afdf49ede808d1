import {
  POSE_PITCH_THRESHOLD_DEGREES,
  POSE_YAW_THRESHOLD_DEGREES,
  type HeadPose,
} from "@lumen/core";
import type { PoseDirection } from "@lumen/protocol";

/** A frontal reference pose: the median of the frames before the first prompt. */
export interface PoseBaseline {
  readonly yawDegrees: number;
  readonly pitchDegrees: number;
}

/**
 * Degrees turned from `baseline` in the asked direction (negative: the wrong way), and whether
 * that is far enough, with the same conventions and thresholds the server's
 * `evaluatePoseSequence` applies to the uploaded frames.
 *
 * @example
 * ```ts
 * const { reached } = poseProgress("left", estimateHeadPose(points), baseline);
 * ```
 */
export function poseProgress(
  direction: PoseDirection,
  pose: HeadPose,
  baseline: PoseBaseline,
): { readonly degrees: number; readonly reached: boolean } {
  let degrees: number;
  switch (direction) {
    case "left":
      degrees = pose.yawDegrees - baseline.yawDegrees;
      break;
    case "right":
      degrees = baseline.yawDegrees - pose.yawDegrees;
      break;
    case "up":
      degrees = pose.pitchDegrees - baseline.pitchDegrees;
      break;
    case "down":
      degrees = baseline.pitchDegrees - pose.pitchDegrees;
      break;
  }
  const threshold =
    direction === "left" || direction === "right"
      ? POSE_YAW_THRESHOLD_DEGREES
      : POSE_PITCH_THRESHOLD_DEGREES;
  return { degrees, reached: degrees >= threshold };
}
