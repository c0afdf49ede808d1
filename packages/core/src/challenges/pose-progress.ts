import type { PoseDirection } from "@lumen/protocol";
import type { HeadPose } from "./head-pose.ts";

/** A frontal reference pose: the median of the frames before the first prompt. */
export interface PoseBaseline {
  readonly yawDegrees: number;
  readonly pitchDegrees: number;
}

/** Turn thresholds, degrees from baseline, for left/right (`yaw`) and up/down (`pitch`). */
export interface PoseThresholds {
  readonly yawDegrees: number;
  readonly pitchDegrees: number;
}

/**
 * Degrees turned from `baseline` in the asked direction (negative: the wrong way), and whether
 * that passes the direction's threshold. Directions are the person's own (`left` = their left)
 * on unmirrored frames. The one definition of a turn: the server's `evaluatePoseSequence` judges
 * the uploaded frames with it, the SDK shows the user's progress with it.
 *
 * @example
 * ```ts
 * const { reached } = poseProgress("left", estimateHeadPose(points), baseline, thresholds);
 * ```
 */
export function poseProgress(
  direction: PoseDirection,
  pose: HeadPose,
  baseline: PoseBaseline,
  thresholds: PoseThresholds,
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
    direction === "left" || direction === "right" ? thresholds.yawDegrees : thresholds.pitchDegrees;
  return { degrees, reached: degrees >= threshold };
}
