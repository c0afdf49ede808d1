import { describe, expect, it } from "vitest";
import { flashesPerSecond, WCAG_MAX_FLASHES_PER_SECOND } from "@lumen/core";
import { Challenge, PROTOCOL_LIMITS, type IlluminationStep, type Policy } from "@lumen/protocol";
import { seededRandom } from "../../../test/src/harness/seeded-random.ts";
import {
  CHALLENGE_BOUNDS,
  challengeDurationMs,
  drawChallenge,
} from "../src/sessions/draw-challenge.ts";
import { cryptoRandom } from "../src/sessions/random-source.ts";

const DRAWS = 400;

function kind(step: IlluminationStep): string {
  return step.colours[0] === "#000000" ? "dark" : step.pattern === "full" ? "full" : step.pattern;
}

function draws(policy: Policy): Challenge[] {
  return Array.from({ length: DRAWS }, (_, i) => drawChallenge(policy, seededRandom(i + 1)));
}

describe("drawChallenge: the illumination sequence", () => {
  it.each(["standard", "high"] as const)(
    "draws valid %s sequences that start dark and hold every required kind",
    (policy) => {
      for (const challenge of draws(policy)) {
        expect(Challenge.safeParse(challenge).success).toBe(true);
        const steps = challenge.flashes;
        expect(steps).toHaveLength(CHALLENGE_BOUNDS.illuminationSteps[policy]);
        expect(kind(steps[0] as IlluminationStep)).toBe("dark");
        const kinds = steps.map(kind);
        expect(kinds.filter((k) => k === "dark").length).toBeGreaterThanOrEqual(2);
        expect(kinds.filter((k) => k === "left-right").length).toBeGreaterThanOrEqual(2);
        expect(kinds.filter((k) => k === "top-bottom").length).toBeGreaterThanOrEqual(2);
        expect(kinds.filter((k) => k === "full").length).toBeGreaterThanOrEqual(1);
        for (const [i, step] of steps.entries()) {
          expect(step.durationMs % 50).toBe(0);
          expect(step.durationMs).toBeGreaterThanOrEqual(PROTOCOL_LIMITS.minIlluminationStepMs);
          expect(step.durationMs).toBeLessThanOrEqual(CHALLENGE_BOUNDS.stepDurationMs.max);
          const previous = steps[i - 1];
          if (previous) {
            // Two equal steps in a row would be one longer step.
            expect(`${step.pattern}${step.colours.join()}`).not.toBe(
              `${previous.pattern}${previous.colours.join()}`,
            );
          }
        }
      }
    },
  );

  it.each(["standard", "high"] as const)(
    "draws %s splits in mirrored pairs, a dark or full step between a split and its mirror",
    (policy) => {
      for (const challenge of draws(policy)) {
        const steps = challenge.flashes;
        const splits = steps.flatMap((step, i) => (step.pattern === "full" ? [] : [i]));
        expect(splits).toHaveLength(4);
        const mirrored = new Set<number>();
        for (const i of splits) {
          if (mirrored.has(i)) continue;
          const step = steps[i] as IlluminationStep;
          expect(step.colours[0]).not.toBe(step.colours[1]);
          expect(steps[i + 1]?.pattern).toBe("full");
          expect(steps[i + 2]).toMatchObject({
            pattern: step.pattern,
            colours: [step.colours[1], step.colours[0]],
          });
          mirrored.add(i + 2);
        }
        expect(mirrored.size).toBe(2);
      }
    },
  );

  it("draws no illumination for no-flash", () => {
    expect(drawChallenge("no-flash", cryptoRandom).flashes).toEqual([]);
  });

  it("is unpredictable: draws differ", () => {
    const seen = new Set(draws("standard").map((c) => JSON.stringify(c.flashes)));
    expect(seen.size).toBe(DRAWS);
  });

  it("respects WCAG 2.3.1: at most three flashes in any one second, in every quarter of the screen", () => {
    let worst = 0;
    for (const policy of ["standard", "high"] as const) {
      for (const challenge of draws(policy)) {
        worst = Math.max(worst, flashesPerSecond(challenge.flashes));
      }
    }
    expect(worst).toBeLessThanOrEqual(WCAG_MAX_FLASHES_PER_SECOND);
  });

  it("keeps the whole challenge near ten seconds", () => {
    for (const challenge of draws("high")) {
      expect(challengeDurationMs(challenge)).toBeLessThanOrEqual(10_000);
    }
  });
});

describe("flashesPerSecond", () => {
  const step = (
    colour: "#000000" | "#ff0000" | "#00ff00",
    durationMs: number,
  ): IlluminationStep => ({
    pattern: "full",
    colours: [colour, colour],
    durationMs,
  });

  it("counts a fast black and white alternation as a violation", () => {
    const fast = Array.from({ length: 12 }, (_, i) =>
      step(i % 2 === 0 ? "#00ff00" : "#000000", 100),
    );
    expect(flashesPerSecond(fast)).toBeGreaterThan(WCAG_MAX_FLASHES_PER_SECOND);
  });

  it("counts saturated red changes even at equal luminance steps", () => {
    const red = Array.from({ length: 12 }, (_, i) =>
      step(i % 2 === 0 ? "#ff0000" : "#000000", 120),
    );
    expect(flashesPerSecond(red)).toBeGreaterThan(WCAG_MAX_FLASHES_PER_SECOND);
  });

  it("accepts a slow alternation", () => {
    const slow = Array.from({ length: 6 }, (_, i) =>
      step(i % 2 === 0 ? "#00ff00" : "#000000", 700),
    );
    expect(flashesPerSecond(slow)).toBeLessThanOrEqual(WCAG_MAX_FLASHES_PER_SECOND);
  });
});
