import type { FlashColour, PoseDirection } from "@lumen/protocol";

/**
 * What renders the challenge on screen. The SDK decides what and when; the display only paints
 * and reports, from `requestAnimationFrame`, the epoch time (ms) at which the paint reached the
 * screen. Those times go into the signed token and the server checks the face's colour response
 * against them, so they must be the real paint times, not the time of the call.
 *
 * The `<lumen-liveness>` web component provides one; headless integrators write their own.
 *
 * @example
 * ```ts
 * const display: ChallengeDisplay = {
 *   showColour: (colour) =>
 *     new Promise((resolve) => {
 *       overlay.style.background = colour ?? "transparent";
 *       requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
 *     }),
 * };
 * ```
 */
export interface ChallengeDisplay {
  /** Fills the screen with `colour` (`null` removes the fill); resolves with the paint time. */
  showColour(colour: FlashColour | null): Promise<number>;
  /** Shows a head-turn prompt (`null` hides it); resolves with the paint time. */
  showPrompt?(direction: PoseDirection | null): Promise<number>;
}
