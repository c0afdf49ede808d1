import { FlashColour, PoseDirection, type Challenge, type Policy } from "@lumen/protocol";
import { randomInt, type RandomSource } from "./random-source.ts";

/** Bounds the drawn challenges stay within; tuned to take about 10 seconds of the user's time. */
export const CHALLENGE_BOUNDS = {
  minFlashes: 3,
  maxFlashes: 5,
  /** Flash durations are drawn in steps of 50 ms so that timing itself is unpredictable. */
  flashDurationMs: { min: 300, max: 600 },
  poses: { standard: 2, high: 3, "no-flash": 2 },
  poseHoldMs: { min: 800, max: 1200 },
} as const;

function pick<T>(random: RandomSource, options: readonly T[], previous: T | undefined): T {
  // Never the same twice in a row: two equal consecutive flashes would be one longer flash.
  const allowed = options.filter((option) => option !== previous);
  const value = allowed[randomInt(random, allowed.length)];
  if (value === undefined) throw new RangeError("Nothing to pick from");
  return value;
}

function stepped(random: RandomSource, range: { min: number; max: number }, step: number): number {
  return range.min + step * randomInt(random, Math.floor((range.max - range.min) / step) + 1);
}

/**
 * Draws a session's challenge: 3–5 flashes of distinct consecutive colours (none for `no-flash`),
 * 2 head poses (3 for `high`), their durations and a slightly jittered face oval. Unpredictable so
 * that a pre-recorded or pre-rendered response cannot match it.
 *
 * @example
 * ```ts
 * const challenge = drawChallenge("standard", cryptoRandom);
 * ```
 */
export function drawChallenge(policy: Policy, random: RandomSource): Challenge {
  const b = CHALLENGE_BOUNDS;
  const flashes: Challenge["flashes"][number][] = [];
  if (policy !== "no-flash") {
    const count = b.minFlashes + randomInt(random, b.maxFlashes - b.minFlashes + 1);
    for (let i = 0; i < count; i++) {
      flashes.push({
        colour: pick(random, FlashColour.options, flashes.at(-1)?.colour),
        durationMs: stepped(random, b.flashDurationMs, 50),
      });
    }
  }
  const poses: Challenge["poses"][number][] = [];
  for (let i = 0; i < b.poses[policy]; i++) {
    poses.push({
      direction: pick(random, PoseDirection.options, poses.at(-1)?.direction),
      holdMs: stepped(random, b.poseHoldMs, 50),
    });
  }
  const jitter = (): number => (randomInt(random, 11) - 5) / 100;
  return {
    flashes,
    poses,
    oval: { centerX: 0.5 + jitter(), centerY: 0.45 + jitter(), width: 0.5, height: 0.68 },
  };
}

/**
 * How long the challenge takes to show, in milliseconds.
 *
 * @example
 * ```ts
 * const deadline = startedAt + challengeDurationMs(challenge) + graceMs;
 * ```
 */
export function challengeDurationMs(challenge: Challenge): number {
  return (
    challenge.flashes.reduce((sum, flash) => sum + flash.durationMs, 0) +
    challenge.poses.reduce((sum, pose) => sum + pose.holdMs, 0)
  );
}
