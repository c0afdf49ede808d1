import type { Challenge } from "@lumen/protocol";
import type { ChallengeContext } from "./challenge-context.ts";

/**
 * How long after a step is painted its evidence starts: long enough that a step's first frame
 * is not always the previous step's light, short enough that frames across the change stay in
 * the evidence, since the server measures the camera's lag from them.
 */
export const ILLUMINATION_EVIDENCE_DELAY_MS = 40;

/** After the last step, how long the camera may still show it. */
const LAST_STEP_TAIL_MS = 150;

/**
 * Shows the server's illumination sequence in order, each step for its duration measured from
 * its paint time, and returns the paint times for the token's `flashesShownAt`. Each step's
 * evidence frames are spread over the time from its paint time plus
 * {@link ILLUMINATION_EVIDENCE_DELAY_MS} to its end. After the last step it waits for the camera to catch
 * up, so the frames that show the last step's end are still captured.
 *
 * @example
 * ```ts
 * const flashesShownAt = await runIlluminationSequence(start.challenge.flashes, context);
 * ```
 */
export async function runIlluminationSequence(
  steps: Challenge["flashes"],
  context: ChallengeContext,
): Promise<number[]> {
  const shownAt: number[] = [];
  for (const [index, step] of steps.entries()) {
    context.enterPhase(`flash-${String(index)}`, Number.POSITIVE_INFINITY);
    const light = { pattern: step.pattern, colours: step.colours };
    context.onStep({ kind: "illumination", index, total: steps.length, light });
    const at = await context.display.showIllumination(light);
    context.collectEvidenceFrom(at + ILLUMINATION_EVIDENCE_DELAY_MS, at + step.durationMs);
    shownAt.push(at);
    await context.sleep(Math.max(0, at + step.durationMs - context.clock()));
  }
  if (steps.length > 0) {
    await context.display.showIllumination(null);
    await context.sleep(LAST_STEP_TAIL_MS);
  }
  return shownAt;
}
