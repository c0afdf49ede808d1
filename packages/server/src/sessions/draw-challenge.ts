import {
  PROTOCOL_LIMITS,
  PoseDirection,
  type Challenge,
  type FlashColour,
  type IlluminationStep,
  type Policy,
} from "@lumen/protocol";
import { randomInt, type RandomSource } from "./random-source.ts";

/** A step's kind; a mirror repeats the split two steps before it with its halves exchanged. */
type StepKind = "dark" | "full" | "left-right" | "top-bottom" | "mirror";

/**
 * Bounds the drawn challenges stay within. The illumination sequence takes 2.1–4.6 s (7 steps
 * of 300–650 ms; 9 under `high`), the poses 1.6–3.6 s: a session stays near 10 s of the user's
 * time, as before the sequence had split patterns.
 */
export const CHALLENGE_BOUNDS = {
  illuminationSteps: { standard: 7, high: 9, "no-flash": 0 },
  /**
   * Every sequence holds (besides its first, dark step) a left-right and a top-bottom split,
   * each as split, one dark or full step, the same split with its halves' colours exchanged;
   * one of the two middles is dark, the other a full colour. Dark steps are the reference the
   * face's response is measured from, the splits test the face's shape from two directions, a
   * full colour tests the response itself. The mirror cancels a region's colour drifting while
   * the head moves (nearly the same in both splits, under a second apart): it adds to one
   * split's side contrast what it takes from the other's, where light from the screen's halves
   * adds to both. The step between keeps each change of the screen visible to the timing check
   * (a split and its mirror have the same mean colour, so back to back their boundary could
   * not be told from the face's mean response). On the moving genuine videos this cut the shape
   * estimate's noise from ±0.3 to ±0.1 (`test/bench/illumination-margins.ts`).
   */
  requiredUnits: [
    ["left-right", "mirror"],
    ["top-bottom", "mirror"],
  ] as readonly (readonly [StepKind, StepKind])[],
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

/** The kinds of the steps in order: a dark step first, no two dark steps in a row. */
function drawKinds(random: RandomSource, count: number): StepKind[] {
  const middles = shuffled<StepKind>(random, ["dark", "full"]);
  const units: StepKind[][] = CHALLENGE_BOUNDS.requiredUnits.map(([split, mirror], i) => [
    split,
    middles[i] ?? "full",
    mirror,
  ]);
  let steps = 1 + units.reduce((sum, unit) => sum + unit.length, 0);
  for (; steps < count; steps++) units.push([pick<StepKind>(random, ["dark", "full"])]);
  for (;;) {
    const kinds: StepKind[] = ["dark", ...shuffled(random, units).flat()];
    if (kinds.every((kind, i) => i === 0 || kind !== "dark" || kinds[i - 1] !== "dark")) {
      return kinds;
    }
  }
}

function duration(random: RandomSource): number {
  return stepped(random, CHALLENGE_BOUNDS.stepDurationMs, 50);
}

/** The next step of kind `kind` after `steps` (never the same step twice in a row). */
function drawStep(
  random: RandomSource,
  kind: StepKind,
  steps: readonly IlluminationStep[],
): IlluminationStep {
  const durationMs = duration(random);
  const previous = steps.at(-1);
  if (kind === "dark") return { pattern: "full", colours: ["#000000", "#000000"], durationMs };
  if (kind === "full") {
    const colour = pick(random, LIT_COLOURS, previous?.colours[0]);
    return { pattern: "full", colours: [colour, colour], durationMs };
  }
  if (kind === "mirror") {
    const split = steps.at(-2);
    if (!split || split.pattern === "full") throw new RangeError("A mirror follows a split");
    return { pattern: split.pattern, colours: [split.colours[1], split.colours[0]], durationMs };
  }
  // Two equal consecutive steps would be one longer step.
  const [a, b] = pick(
    random,
    SPLIT_PAIRS.flatMap(([x, y]) => [[x, y] as const, [y, x] as const]).filter(
      ([x, y]) =>
        !(previous?.pattern === kind && previous.colours[0] === x && previous.colours[1] === y),
    ),
  );
  return { pattern: kind, colours: [a, b], durationMs };
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
    for (const kind of drawKinds(random, count)) flashes.push(drawStep(random, kind, flashes));
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
