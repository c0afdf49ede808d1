import type { Challenge } from "@lumen/protocol";

/**
 * An illumination step's share of the evidence budget, against one for the baseline, each pose
 * and the tail. The server judges the face's shape from how each side answers a split step, and
 * a moving face's region colours jitter by about 1 % from frame to frame (measured on the four
 * genuine videos at 30 fps): the same size as the screen's side-to-side difference, so the
 * estimate's noise falls as one over the square root of the frames in the split steps. With
 * the server's 64 frames a standard challenge (8 steps, 2 poses) gets 6 frames a step and 3
 * each for the baseline, the poses and the tail.
 */
export const ILLUMINATION_STEP_SHARE = 2;

/**
 * The phases of `challenge` as the SDK enters them (`baseline`, `flash-i`, `pose-i`), each with
 * its share of the evidence budget for `EvidenceCollector`.
 *
 * @example
 * ```ts
 * const collector = new EvidenceCollector(evidenceShares(start.challenge), start.evidence);
 * ```
 */
export function evidenceShares(
  challenge: Pick<Challenge, "flashes" | "poses">,
): Record<string, number> {
  return Object.fromEntries([
    ["baseline", 1],
    ...challenge.flashes.map((_, i) => [`flash-${String(i)}`, ILLUMINATION_STEP_SHARE] as const),
    ...challenge.poses.map((_, i) => [`pose-${String(i)}`, 1] as const),
  ]);
}
