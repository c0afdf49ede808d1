import type { ChallengeStep } from "../liveness-events.ts";

/**
 * The session's overall progress (0..1) once `step` shows: positioning ends at 0.2, the
 * illumination steps fill 0.2–0.5, the pose prompts 0.5–0.8, the upload the rest.
 *
 * @example
 * ```ts
 * stepProgress({ kind: "pose", index: 1, total: 2, direction: "left" }); // 0.65
 * ```
 */
export function stepProgress(step: ChallengeStep): number {
  const done = step.index / Math.max(1, step.total);
  return step.kind === "illumination" ? 0.2 + 0.3 * done : 0.5 + 0.3 * done;
}
