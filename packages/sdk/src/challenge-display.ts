import type { IlluminationStep, PoseDirection } from "@lumen/protocol";

/** What the screen shows during one illumination step: the whole of it in one colour, or two halves. */
export type IlluminationLight = Pick<IlluminationStep, "pattern" | "colours">;

/**
 * What renders the challenge on screen. The SDK decides what and when; the display only paints
 * and reports, from `requestAnimationFrame`'s timestamp, the epoch time (ms) of the frame that
 * paints it. Those times go into the signed token and the server checks the face's response to the
 * light against them, so they must be the real paint times, not the time of the call.
 *
 * The `<lumen-liveness>` web component provides one; headless integrators write their own. A
 * split step's `colours` are the left (or top) half then the right (or bottom) half as the user
 * looks at the screen, and must cover the whole window.
 *
 * @example
 * ```ts
 * const display: ChallengeDisplay = {
 *   showIllumination: (light) =>
 *     new Promise((resolve) => {
 *       overlay.style.background = light === null ? "transparent" : illuminationBackground(light);
 *       requestAnimationFrame((frameStart) => resolve(performance.timeOrigin + frameStart));
 *     }),
 * };
 * ```
 */
export interface ChallengeDisplay {
  /** Lights the whole window with `light` (`null` removes it); resolves with the paint time. */
  showIllumination(light: IlluminationLight | null): Promise<number>;
  /** Shows a head-turn prompt (`null` hides it); resolves with the paint time. */
  showPrompt?(direction: PoseDirection | null): Promise<number>;
}

/**
 * The CSS `background` that paints `light` over a full-window element: one colour, or two hard
 * halves (left to right, or top to bottom, as the user sees the screen).
 *
 * @example
 * ```ts
 * illuminationBackground({ pattern: "left-right", colours: ["#ff0000", "#0000ff"] });
 * // "linear-gradient(to right, #ff0000 50%, #0000ff 50%)"
 * ```
 */
export function illuminationBackground(light: IlluminationLight): string {
  const [first, second] = light.colours;
  if (light.pattern === "full") return first;
  const direction = light.pattern === "left-right" ? "to right" : "to bottom";
  return `linear-gradient(${direction}, ${first} 50%, ${second} 50%)`;
}
