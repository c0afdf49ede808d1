import { LumenError, type PoseDirection } from "@lumen/protocol";
import {
  illuminationBackground,
  type ChallengeDisplay,
  type IlluminationLight,
} from "../challenge-display.ts";

/** Options of {@link createOverlayDisplay}. */
export interface OverlayDisplayOptions {
  /**
   * Whether flashing is allowed now (the photosensitivity warning was confirmed). Light asked
   * for without it is refused, so no code path can flash an unwarned user.
   */
  readonly canFlash: () => boolean;
  /** Called with each head-turn prompt (`null` hides it) before its paint is awaited. */
  readonly onPrompt?: (direction: PoseDirection | null) => void;
}

/**
 * The epoch time of the next frame: `requestAnimationFrame`'s own timestamp, when the browser
 * began the frame that paints the change. Not the time the callback runs: other callbacks of
 * the page (a canvas drawn in the same frame) run first, and a captured frame of that canvas
 * is stamped with the frame's start, so a reading taken later made the light look up to
 * 100 ms early in the lab.
 */
function nextPaint(): Promise<number> {
  return new Promise((resolve) => {
    requestAnimationFrame((frameStart) => {
      resolve(performance.timeOrigin + frameStart);
    });
  });
}

/**
 * A {@link ChallengeDisplay} that paints the illumination sequence on a full-screen overlay
 * element and resolves with the time, `requestAnimationFrame`'s timestamp, at which the light
 * reached the screen.
 *
 * @example
 * ```ts
 * const display = createOverlayDisplay(overlay, { canFlash: () => warningConfirmed });
 * const paintedAt = await display.showIllumination({ pattern: "full", colours: ["#ff0000", "#ff0000"] });
 * ```
 */
export function createOverlayDisplay(
  overlay: HTMLElement,
  options: OverlayDisplayOptions,
): ChallengeDisplay {
  return {
    async showIllumination(light: IlluminationLight | null) {
      if (light !== null && !options.canFlash()) {
        throw new LumenError(
          "INTERNAL",
          "A flash was requested before the photosensitivity warning was confirmed",
        );
      }
      overlay.style.background = light === null ? "transparent" : illuminationBackground(light);
      overlay.hidden = light === null;
      return nextPaint();
    },
    async showPrompt(direction: PoseDirection | null) {
      options.onPrompt?.(direction);
      return nextPaint();
    },
  };
}
