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
 * Bounds the drawn challenges stay within. The illumination sequence takes 2.4–5.2 s (8 steps
 * of 300–650 ms; 9 under `high`), the poses 1.6–3.6 s: a session stays near 10 s of the user's
 * time, as before the sequence had split patterns.
 */
export const CHALLENGE_BOUNDS = {
  illuminationSteps: { standard: 8, high: 9, "no-flash": 0 },
  /**
   * Every sequence starts dark, then alternates a left-right and a top-bottom split (in drawn
   * order, of two different colour pairs), each shown three times two steps apart, the middle
   * time with its halves' colours exchanged: split, split, mirror, mirror, split, split. The
   * splits test the face's shape from two directions; the mirror cancels a region's colour
   * drifting while the head moves, which the evaluator weighs out (the two showings one way
   * round count half each around the other way's one, so drift that is linear in time and any
   * error of the dark reference cancel), and each step changes the screen's mean colour, which
   * keeps every change visible to the timing check. Measured on the simulator's relight of the
   * four moving genuine videos, 12 server draws each (`test/bench/illumination-margins.ts`):
   * against the earlier design (each split once, mirrored once, a dark or a full step between)
   * the shape estimate's spread fell from 0.24 to 0.19 (genuine) and from 0.16 to 0.13 (flat
   * relight), the lag estimate's from 18 ms to 4 ms. The sequence ends on a second dark step,
   * so that a camera that delivers no frame for one of them (a busy page) still leaves a
   * reference; `high` shows a full colour before it.
   */
  splitShowings: 3,
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

/** The kinds of the steps in order (see `CHALLENGE_BOUNDS.splitShowings`). */
function drawKinds(random: RandomSource, count: number): StepKind[] {
  const kinds: StepKind[] = ["dark", ...shuffled<StepKind>(random, ["left-right", "top-bottom"])];
  for (let shown = 1; shown < CHALLENGE_BOUNDS.splitShowings; shown++) {
    kinds.push("mirror", "mirror");
  }
  const end: StepKind[] = ["full", "dark"];
  return [...kinds, ...end.slice(Math.max(0, end.length - (count - kinds.length)))];
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
  // After a split, another pair: the same two colours would keep the screen's mean colour, and
  // the change would not show in the face's mean response.
  const [a, b] = pick(
    random,
    SPLIT_PAIRS.filter(
      (pair) => previous?.pattern === "full" || !pair.every((c) => previous?.colours.includes(c)),
    ).flatMap(([x, y]) => [[x, y] as const, [y, x] as const]),
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
