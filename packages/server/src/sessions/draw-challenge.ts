import {
  PROTOCOL_LIMITS,
  PoseDirection,
  type Challenge,
  type FlashColour,
  type IlluminationStep,
  type Policy,
} from "@lumen/protocol";
import { randomInt, type RandomSource } from "./random-source.ts";

/**
 * A step's kind; a mirror repeats the step before it with its halves exchanged, a reprise the
 * first split with its halves exchanged.
 */
type StepKind = "dark" | "full" | "left-right" | "top-bottom" | "mirror" | "reprise";

/**
 * Bounds the drawn challenges stay within. The illumination sequence takes 2.4–5.2 s (8 steps
 * of 300–650 ms; 9 under `high`), the poses 1.6–3.6 s: a session stays near 10 s of the user's
 * time, as before the sequence had split patterns.
 */
export const CHALLENGE_BOUNDS = {
  /**
   * Every sequence starts dark, then shows each split next to its mirror (the same split with
   * its halves' colours exchanged): a left-right split and its mirror, a top-bottom split (of
   * another colour pair) and its mirror, then the left-right mirror and split again, `A A' T
   * T' A' A`. Then `high` shows a full colour, and every sequence ends dark, so that a camera
   * that delivers no frame for one dark step (a busy page) still leaves a reference.
   *
   * A moving head shifts each region's colour by about as much as the screen's side-to-side
   * difference, but slowly: two steps next to each other differ by far less drift than two
   * steps apart. Each split and its mirror answer with opposite colour contrasts while the
   * drift does not change sign, so the evaluator's mean over a split's two orientations (each
   * orientation weighs the same) leaves only the drift between neighbouring steps, and, the
   * left-right pairs lying symmetric around the middle, cancels any drift that is linear in
   * time over the whole sequence. Measured on the lab's cooperative subject simulated on the
   * server (`test/bench/illumination-lab-subject.ts`, the genuine videos d3, d9 and d12, six
   * frames a step), the shape estimate's spread fell from 0.28–0.52 to 0.20–0.26 (3D relight)
   * and from 0.19–0.41 to 0.14–0.20 (flat relight) against the earlier design (each split
   * shown twice around its mirror, two steps apart). The left-right split is the one shown
   * twice: the mesh predicts a side contrast 1.6 times the top-bottom one, so it weighs more
   * in the estimate.
   */
  illuminationSteps: { standard: 8, high: 9, "no-flash": 0 },
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

/** The kinds of the steps in order (see `CHALLENGE_BOUNDS.illuminationSteps`). */
function stepKinds(count: number): StepKind[] {
  const kinds: readonly StepKind[] = [
    "dark",
    "left-right",
    "mirror",
    "top-bottom",
    "mirror",
    "reprise",
    "mirror",
  ];
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
  if (kind === "mirror" || kind === "reprise") {
    const split = kind === "mirror" ? previous : steps.find((step) => step.pattern !== "full");
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
    for (const kind of stepKinds(count)) flashes.push(drawStep(random, kind, flashes));
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
