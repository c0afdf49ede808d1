import type { HeadPose } from "@lumen/core";

/** Frames in the neutral stretch: 1.2 s at the lab's sampling rate (10 fps). */
export const NEUTRAL_FRAMES = 12;

function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * The stretch of `length` consecutive frames whose poses are, in sum, closest to the frames'
 * median yaw and pitch: the subject holding still in front of the screen. All the frames when
 * there are fewer.
 *
 * @example
 * ```ts
 * const neutral = neutralStretch(faceFrames, NEUTRAL_FRAMES);
 * ```
 */
export function neutralStretch<T extends { readonly pose: HeadPose }>(
  frames: readonly T[],
  length = NEUTRAL_FRAMES,
): T[] {
  const yaw = middle(frames.map((f) => f.pose.yawDegrees));
  const pitch = middle(frames.map((f) => f.pose.pitchDegrees));
  const offNeutral = ({ pose }: T): number =>
    Math.abs(pose.yawDegrees - yaw) + Math.abs(pose.pitchDegrees - pitch);
  const size = Math.min(length, frames.length);
  let best = 0;
  let bestCost = Infinity;
  for (let first = 0; first + size <= frames.length; first++) {
    const cost = frames.slice(first, first + size).reduce((sum, f) => sum + offNeutral(f), 0);
    if (cost < bestCost) {
      bestCost = cost;
      best = first;
    }
  }
  return frames.slice(best, best + size);
}
