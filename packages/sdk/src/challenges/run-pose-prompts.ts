import type { Challenge } from "@lumen/protocol";
import type { ChallengeContext } from "./challenge-context.ts";

/** Longest a prompt stays up past its `holdMs` waiting for the head to follow. */
export const POSE_EXTRA_WAIT_MS = 2500;

/**
 * Shows the server's head-pose prompts in order and returns their paint times for the token's
 * `posesShownAt`. A prompt stays up for its `holdMs` after the head first reaches the asked pose
 * (checked live by the session from each analysed frame), and at most `holdMs` +
 * {@link POSE_EXTRA_WAIT_MS} when it never does; the server, not the SDK, judges the result.
 * Its evidence frames are those captured once the head reached the pose (or after `holdMs`).
 *
 * @example
 * ```ts
 * const posesShownAt = await runPosePrompts(start.challenge.poses, context, (i) => reachedAt[i]);
 * ```
 */
export async function runPosePrompts(
  poses: Challenge["poses"],
  context: ChallengeContext,
  reachedAt: (index: number) => number | null,
): Promise<number[]> {
  const shownAt: number[] = [];
  for (const [index, pose] of poses.entries()) {
    // Evidence of a prompt is the turned head: frames from when the head got there, or, when it
    // does not follow within `holdMs`, from then on (so the server still sees what happened).
    context.enterPhase(`pose-${index}`, Number.POSITIVE_INFINITY);
    context.onStep({ kind: "pose", index, total: poses.length, direction: pose.direction });
    const at = (await context.display.showPrompt?.(pose.direction)) ?? context.clock();
    shownAt.push(at);
    const giveUpAt = at + pose.holdMs + POSE_EXTRA_WAIT_MS;
    let collecting = false;
    for (;;) {
      const now = context.clock();
      const reached = reachedAt(index);
      if (!collecting && (reached !== null || now >= at + pose.holdMs)) {
        context.collectEvidenceFrom(reached ?? now);
        collecting = true;
      }
      if (reached !== null && now >= reached + pose.holdMs) break;
      if (now >= giveUpAt) break;
      await context.sleep(50);
    }
  }
  if (poses.length > 0) await context.display.showPrompt?.(null);
  return shownAt;
}
