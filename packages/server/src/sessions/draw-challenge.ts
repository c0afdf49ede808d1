import {
  PROTOCOL_LIMITS,
  PoseDirection,
  type Challenge,
  type FlashColour,
  type IlluminationStep,
  type Policy,
} from "@lumen/protocol";
import { randomInt, type RandomSource } from "./random-source.ts";

type StepKind = "dark" | "full" | "left-right" | "top-bottom";

/**
 * Bounds the drawn challenges stay within. The illumination sequence takes 2.1–4.6 s (7 steps
 * of 300–650 ms; 9 under `high`), the poses 1.6–3.6 s: a session stays near 10 s of the user's
 * time, as before the sequence had split patterns.
 */
export const CHALLENGE_BOUNDS = {
  illuminationSteps: { standard: 7, high: 9, "no-flash": 0 },
  /**
   * Every sequence has at least these steps (besides its first, dark one): dark steps are the
   * reference the face's response is measured from, left-right and top-bottom splits test the
   * face's shape from two directions, a full colour tests the response itself.
   */
  requiredSteps: ["dark", "left-right", "left-right", "top-bottom", "full"] as readonly StepKind[],
  /** Durations are drawn in steps of 50 ms so that timing itself is unpredictable. */
  stepDurationMs: { min: PROTOCOL_LIMITS.minIlluminationStepMs, max: 650 },
  poses: { standard: 2, high: 3, "no-flash": 2 },
  poseHoldMs: { min: 800, max: 1200 },
} as const;

const LIT_COLOURS = ["#ff0000", "#00ff00", "#0000ff", "#ffff00", "#ff00ff", "#00ffff"] as const;

/**
 * The two halves of a split step: two different primaries. The server tells how much of a
 * region's response came from each half apart from a change of the region's brightness (the
 * head moving, auto exposure), so the two colours and white must be independent; with two
 * primaries the third channel carries the brightness change alone, which keeps sensor noise
 * in the blue channel of warm rooms from swamping the split (secondaries mix the channels and
 * amplify it several times over, measured on the synthetic renders of core's tests).
 */
const SPLIT_PAIRS: readonly (readonly [FlashColour, FlashColour])[] = [
  ["#ff0000", "#00ff00"],
  ["#ff0000", "#0000ff"],
  ["#00ff00", "#0000ff"],
];

function pick<T>(random: RandomSource, options: readonly T[], previous?: T): T {
  const allowed = options.filter((option) => option !== previous);
  const value = allowed[randomInt(random, allowed.length)];
  if (value === undefined) throw new RangeError("Nothing to pick from");
  return value;
}

function stepped(random: RandomSource, range: { min: number; max: number }, step: number): number {
  return range.min + step * randomInt(random, Math.floor((range.max - range.min) / step) + 1);
}

function shuffled<T>(random: RandomSource, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The order of kinds: a dark step first, no two dark steps in a row. */
function drawKinds(random: RandomSource, count: number): StepKind[] {
  const b = CHALLENGE_BOUNDS;
  const extra = Array.from({ length: count - 1 - b.requiredSteps.length }, () =>
    pick<StepKind>(random, ["dark", "full", "left-right", "top-bottom"]),
  );
  for (;;) {
    const kinds: StepKind[] = ["dark", ...shuffled(random, [...b.requiredSteps, ...extra])];
    if (kinds.every((kind, i) => i === 0 || kind !== "dark" || kinds[i - 1] !== "dark")) {
      return kinds;
    }
  }
}

function drawStep(
  random: RandomSource,
  kind: StepKind,
  previous: IlluminationStep | undefined,
): IlluminationStep {
  const durationMs = stepped(random, CHALLENGE_BOUNDS.stepDurationMs, 50);
  if (kind === "dark") return { pattern: "full", colours: ["#000000", "#000000"], durationMs };
  if (kind === "full") {
    const colour = pick(random, LIT_COLOURS, previous?.colours[0]);
    return { pattern: "full", colours: [colour, colour], durationMs };
  }
  // Never the same split twice in a row: two equal consecutive steps would be one longer step.
  const pairs = SPLIT_PAIRS.flatMap(([a, c]) => [[a, c] as const, [c, a] as const]).filter(
    ([a, c]) =>
      !(previous?.pattern === kind && previous.colours[0] === a && previous.colours[1] === c),
  );
  const [first, second] = pick(random, pairs);
  return { pattern: kind, colours: [first, second], durationMs };
}

/**
 * Draws a session's challenge: an illumination sequence of full-screen colours, dark steps and
 * split-screen patterns (none for `no-flash`), 2 head poses (3 for `high`), their durations and
 * a slightly jittered face oval. Unpredictable so that a pre-recorded or pre-rendered response
 * cannot match it.
 *
 * @example
 * ```ts
 * const challenge = drawChallenge("standard", cryptoRandom);
 * ```
 */
export function drawChallenge(policy: Policy, random: RandomSource): Challenge {
  const b = CHALLENGE_BOUNDS;
  const flashes: IlluminationStep[] = [];
  const count = b.illuminationSteps[policy];
  if (count > 0) {
    for (const kind of drawKinds(random, count))
      flashes.push(drawStep(random, kind, flashes.at(-1)));
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
    challenge.flashes.reduce((sum, step) => sum + step.durationMs, 0) +
    challenge.poses.reduce((sum, pose) => sum + pose.holdMs, 0)
  );
}
