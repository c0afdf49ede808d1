import type { IlluminationStep } from "@lumen/protocol";
import type { ScreenState } from "./screen-state.ts";

/**
 * The screen a camera frame captured at `timeMs` shows: the step lit at `timeMs − lagMs`, where
 * `lagMs` is the camera's delay from a paint to the frame that sees it (display response,
 * exposure, capture pipeline; 40–60 ms on webcams) plus any delay an attacker adds. A step
 * stays on screen from its `shownAt` until the next step is painted, the last one shown for its
 * `durationMs` (as `illuminationStepAt` in `@lumen/core` reads a schedule); before the first
 * step and after the last, `null`.
 *
 * @throws {TypeError} When `shownAt` has more entries than `steps`.
 * @example
 * ```ts
 * const screen = screenAt(challenge.flashes, flashesShownAt, frame.capturedAt, 50);
 * const lit = relightFrame(frame.image, face.landmarks.points, screen, { random });
 * ```
 */
export function screenAt(
  steps: readonly Pick<IlluminationStep, "pattern" | "colours" | "durationMs">[],
  shownAt: readonly number[],
  timeMs: number,
  lagMs: number,
): ScreenState | null {
  if (shownAt.length > steps.length) {
    throw new TypeError(`${shownAt.length} paint times for ${steps.length} steps`);
  }
  const t = timeMs - lagMs;
  for (let i = shownAt.length - 1; i >= 0; i--) {
    const start = shownAt[i] ?? Number.NaN;
    if (!(t >= start)) continue;
    const step = steps[i];
    if (!step) return null;
    const end = shownAt[i + 1] ?? start + step.durationMs;
    return t < end ? { pattern: step.pattern, colours: step.colours } : null;
  }
  return null;
}
