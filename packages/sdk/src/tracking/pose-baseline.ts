import { median, type HeadPose, type PoseBaseline } from "@lumen/core";

/**
 * The resting head pose the turns are measured from: the median yaw and pitch of the poses
 * seen while the face was well placed before the prompts, or straight ahead without any.
 *
 * @example
 * ```ts
 * const baseline = poseBaseline([{ yawDegrees: 2, pitchDegrees: -1 }, { yawDegrees: 4, pitchDegrees: 1 }]);
 * // { yawDegrees: 3, pitchDegrees: 0 }
 * ```
 */
export function poseBaseline(
  poses: readonly Pick<HeadPose, "yawDegrees" | "pitchDegrees">[],
): PoseBaseline {
  if (poses.length === 0) return { yawDegrees: 0, pitchDegrees: 0 };
  return {
    yawDegrees: median(poses.map((p) => p.yawDegrees)),
    pitchDegrees: median(poses.map((p) => p.pitchDegrees)),
  };
}
