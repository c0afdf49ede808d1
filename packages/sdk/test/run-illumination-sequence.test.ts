import { describe, expect, it } from "vitest";
import type { IlluminationStep } from "@lumen/protocol";
import { illuminationBackground, type IlluminationLight } from "../src/challenge-display.ts";
import type { ChallengeContext } from "../src/challenges/challenge-context.ts";
import {
  ILLUMINATION_EVIDENCE_DELAY_MS,
  runIlluminationSequence,
} from "../src/challenges/run-illumination-sequence.ts";
import type { ChallengeStep } from "../src/liveness-events.ts";

const STEPS: IlluminationStep[] = [
  { pattern: "full", colours: ["#000000", "#000000"], durationMs: 300 },
  { pattern: "left-right", colours: ["#ff0000", "#0000ff"], durationMs: 450 },
  { pattern: "top-bottom", colours: ["#00ff00", "#ff00ff"], durationMs: 600 },
];

/** A context on a fake clock: painting takes 16 ms, sleeping advances the clock. */
function fakeContext() {
  let now = 1_000_000;
  const log = {
    paints: [] as { light: IlluminationLight | null; at: number }[],
    phases: [] as { phase: string; from: number; until?: number }[],
    steps: [] as ChallengeStep[],
  };
  const context: ChallengeContext = {
    display: {
      showIllumination: (light) => {
        now += 16;
        log.paints.push({ light, at: now });
        return Promise.resolve(now);
      },
    },
    clock: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
    enterPhase: (phase, from = -Infinity) => log.phases.push({ phase, from }),
    collectEvidenceFrom: (from, until) => {
      const last = log.phases.at(-1);
      if (last) Object.assign(last, { from, until });
    },
    onStep: (step) => log.steps.push(step),
  };
  return { context, log };
}

describe("runIlluminationSequence", () => {
  it("paints every step for its duration from its paint time and returns the paint times", async () => {
    const { context, log } = fakeContext();
    const shownAt = await runIlluminationSequence(STEPS, context);
    expect(shownAt).toEqual(log.paints.slice(0, 3).map((p) => p.at));
    expect(log.paints.map((p) => p.light)).toEqual([
      ...STEPS.map(({ pattern, colours }) => ({ pattern, colours })),
      null,
    ]);
    // Each step lasts its duration from its own paint (plus the next paint's 16 ms).
    expect((shownAt[1] ?? 0) - (shownAt[0] ?? 0)).toBe(300 + 16);
    expect((shownAt[2] ?? 0) - (shownAt[1] ?? 0)).toBe(450 + 16);
  });

  it("keeps each step's evidence from its paint time plus the evidence delay to its end", async () => {
    const { context, log } = fakeContext();
    const shownAt = await runIlluminationSequence(STEPS, context);
    expect(log.phases).toEqual(
      shownAt.map((at, i) => ({
        phase: `flash-${String(i)}`,
        from: at + ILLUMINATION_EVIDENCE_DELAY_MS,
        until: at + (STEPS[i]?.durationMs ?? 0),
      })),
    );
    expect(log.steps.map((s) => (s.kind === "illumination" ? s.light.pattern : s.kind))).toEqual([
      "full",
      "left-right",
      "top-bottom",
    ]);
  });

  it("paints nothing for an empty sequence", async () => {
    const { context, log } = fakeContext();
    expect(await runIlluminationSequence([], context)).toEqual([]);
    expect(log.paints).toEqual([]);
  });
});

describe("illuminationBackground", () => {
  it("paints one colour for a full step", () => {
    expect(illuminationBackground({ pattern: "full", colours: ["#00ffff", "#00ffff"] })).toBe(
      "#00ffff",
    );
  });

  it("paints hard halves, left then right and top then bottom as the user sees them", () => {
    expect(illuminationBackground({ pattern: "left-right", colours: ["#ff0000", "#0000ff"] })).toBe(
      "linear-gradient(to right, #ff0000 50%, #0000ff 50%)",
    );
    expect(illuminationBackground({ pattern: "top-bottom", colours: ["#00ff00", "#ff00ff"] })).toBe(
      "linear-gradient(to bottom, #00ff00 50%, #ff00ff 50%)",
    );
  });
});
