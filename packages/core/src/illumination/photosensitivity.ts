import type { IlluminationStep } from "@lumen/protocol";
import { colourToLinear, type LinearRgb } from "./linear-light.ts";

/** WCAG 2.3.1: no more than three general or red flashes in any one-second period. */
export const WCAG_MAX_FLASHES_PER_SECOND = 3;

type Quadrant = 0 | 1 | 2 | 3; // top-left, top-right, bottom-left, bottom-right (as the user sees)

function quadrantColour(
  step: Pick<IlluminationStep, "pattern" | "colours">,
  q: Quadrant,
): LinearRgb {
  const [first, second] = step.colours;
  const isSecond =
    step.pattern === "left-right"
      ? q === 1 || q === 3
      : step.pattern === "top-bottom"
        ? q >= 2
        : false;
  return colourToLinear(isSecond ? second : first);
}

/** Relative luminance (WCAG 2 definition) of linear RGB. */
function luminance([r, g, b]: LinearRgb): number {
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG's saturated red: R / (R + G + B) ≥ 0.8. */
function saturatedRed([r, g, b]: LinearRgb): boolean {
  return r + g + b > 0 && r / (r + g + b) >= 0.8;
}

/**
 * Whether going from `a` to `b` is one of the two changes of a WCAG flash: a luminance change of
 * at least 10 % of white with the darker side below 0.80, or a change to or from saturated red.
 */
function isFlashChange(a: LinearRgb, b: LinearRgb): boolean {
  const [ya, yb] = [luminance(a), luminance(b)];
  const general = Math.abs(ya - yb) >= 0.1 && Math.min(ya, yb) < 0.8;
  const red = saturatedRed(a) !== saturatedRed(b) || (saturatedRed(a) && Math.abs(ya - yb) >= 0.1);
  return general || red;
}

/**
 * The most flashes (in WCAG 2.3.1's sense) any quarter of the screen shows in any one-second
 * period of an illumination sequence, counting conservatively every two flash changes as one
 * flash whether or not they oppose each other, and the change into the first step and out of
 * the last (the screen is taken as dark before and after).
 *
 * @example
 * ```ts
 * flashesPerSecond(challenge.flashes) <= WCAG_MAX_FLASHES_PER_SECOND; // true for every drawn sequence
 * ```
 */
export function flashesPerSecond(
  steps: readonly Pick<IlluminationStep, "pattern" | "colours" | "durationMs">[],
): number {
  const dark: Pick<IlluminationStep, "pattern" | "colours"> = {
    pattern: "full",
    colours: ["#000000", "#000000"],
  };
  let worst = 0;
  for (const q of [0, 1, 2, 3] as const) {
    const changes: number[] = [];
    let at = 0;
    let previous = quadrantColour(dark, q);
    for (const step of [...steps, { ...dark, durationMs: 0 }]) {
      const colour = quadrantColour(step, q);
      if (isFlashChange(previous, colour)) changes.push(at);
      previous = colour;
      at += step.durationMs;
    }
    for (const [i, start] of changes.entries()) {
      const inWindow = changes.slice(i).filter((t) => t < start + 1000).length;
      worst = Math.max(worst, Math.ceil(inWindow / 2));
    }
  }
  return worst;
}
