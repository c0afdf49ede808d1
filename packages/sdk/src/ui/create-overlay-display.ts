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

/** The epoch time of the next frame, read inside `requestAnimationFrame`. */
function nextPaint(): Promise<number> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      resolve(performance.timeOrigin + performance.now());
    });
  });
}

/**
 * A {@link ChallengeDisplay} that paints the illumination sequence on a full-screen overlay
 * element and resolves with the time, taken in `requestAnimationFrame`, at which the light
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
