import type { IlluminationStep } from "@lumen/protocol";

/**
 * The illumination step a frame shows once the camera lag is taken off: the step `i` with
 * `shownAt[i] + lagMs ≤ capturedAt < shownAt[i + 1] + lagMs` (the screen keeps a step until the
 * next one is painted), the last one until `shownAt + durationMs + lagMs`, when the SDK clears
 * the screen. `null` before the first step, after the last, or for a schedule that does not
 * match the steps (a missing or non-increasing `shownAt`).
 *
 * @example
 * ```ts
 * illuminationStepAt(steps, [1000, 1400], 1450, 40); // 1: 1450 − 40 ≥ 1400
 * ```
 */
export function illuminationStepAt(
  steps: readonly Pick<IlluminationStep, "durationMs">[],
  shownAt: readonly number[],
  capturedAt: number,
  lagMs: number,
): number | null {
  if (!validIlluminationSchedule(steps, shownAt)) return null;
  const t = capturedAt - lagMs;
  for (let i = steps.length - 1; i >= 0; i--) {
    const shown = shownAt[i] ?? Number.NaN;
    if (t >= shown) {
      const next = shownAt[i + 1];
      const end = next ?? shown + (steps[i]?.durationMs ?? 0);
      return t < end ? i : null;
    }
  }
  return null;
}

/**
 * Whether the step times can be used at all: one finite, strictly increasing time per step.
 *
 * @example
 * ```ts
 * validIlluminationSchedule(steps, [1000, 1400, 1800]); // true for three steps
 * ```
 */
export function validIlluminationSchedule(
  steps: readonly unknown[],
  shownAt: readonly number[],
): boolean {
  if (steps.length === 0 || shownAt.length !== steps.length) return false;
  return shownAt.every(
    (t, i) => Number.isFinite(t) && (i === 0 || t > (shownAt[i - 1] ?? Number.POSITIVE_INFINITY)),
  );
}
