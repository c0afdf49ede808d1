import type { Challenge } from "@lumen/protocol";

/**
 * An illumination step's share of the evidence budget, against one for the baseline, each pose
 * and the tail. The server judges the face's shape and the camera's lag from the steps' frames:
 * a region's colour jitters by about 1 % from frame to frame (measured on the four genuine videos
 * at 30 fps), as much as the screen's side-to-side difference, and frames on both sides of each
 * change pin the lag. Six frames a step instead of three lowered the shape estimate's spread on
 * those videos at 30 fps (flat relight of d3: sd 0.65 → 0.54); on the lab's subject, whose colour
 * drifts slowly, they changed little, and the sequence's order is what counts there (see the
 * server's `CHALLENGE_BOUNDS`). With the server's 64 frames a standard challenge (8 steps, 2
 * poses) gets 6 frames a step and 3 each for the baseline, the poses and the tail.
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
