import { FLASH_CAMERA_LAG_MS } from "@lumen/core";
import type { Challenge } from "@lumen/protocol";
import type { ChallengeContext } from "./challenge-context.ts";

/**
 * How long after a flash is painted its evidence is kept: at least the camera's lag (the
 * server's window opens then), and a third of the flash on a slow device, whose capture pipeline
 * can take longer than that lag to show the new light. The server's window stays open until the
 * flash ends, so later frames still count.
 *
 * @example
 * ```ts
 * flashSettleMs(300); // 100
 * ```
 */
export function flashSettleMs(durationMs: number): number {
  return Math.max(FLASH_CAMERA_LAG_MS, Math.round(durationMs / 3));
}

/**
 * Shows the server's flashes in order, each for its duration measured from its paint time, and
 * returns the paint times for the token's `flashesShownAt`. Each flash's evidence frames are
 * those captured from its paint time plus {@link flashSettleMs}. After the last flash it waits the
 * camera's lag, so the frames that show the last colour's end are still captured.
 *
 * @example
 * ```ts
 * const flashesShownAt = await runFlashSequence(start.challenge.flashes, context);
 * ```
 */
export async function runFlashSequence(
  flashes: Challenge["flashes"],
  context: ChallengeContext,
): Promise<number[]> {
  const shownAt: number[] = [];
  for (const [index, flash] of flashes.entries()) {
    // Evidence of a flash starts once its light can have reached the camera: the server judges
    // frames from `shownAt + FLASH_CAMERA_LAG_MS` on, and earlier ones still show the last colour.
    context.enterPhase(`flash-${index}`, Number.POSITIVE_INFINITY);
    context.onStep({ kind: "flash", index, total: flashes.length, colour: flash.colour });
    const at = await context.display.showColour(flash.colour);
    context.collectEvidenceFrom(at + flashSettleMs(flash.durationMs));
    shownAt.push(at);
    await context.sleep(Math.max(0, at + flash.durationMs - context.clock()));
  }
  if (flashes.length > 0) {
    await context.display.showColour(null);
    await context.sleep(FLASH_CAMERA_LAG_MS);
  }
  return shownAt;
}
