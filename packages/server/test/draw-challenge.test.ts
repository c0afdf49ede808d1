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
        expect(kinds.filter((k) => k === "left-right")).toHaveLength(3);
        expect(kinds.filter((k) => k === "top-bottom")).toHaveLength(3);
        // A dark step at each end, `high` a full colour before the last.
        expect(kinds.filter((k) => k === "dark")).toHaveLength(2);
        expect(kinds.at(-1)).toBe("dark");
        expect(kinds.filter((k) => k === "full")).toHaveLength(policy === "high" ? 1 : 0);
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
    "draws %s splits alternating, each shown three times two steps apart, mirrored in the middle",
    (policy) => {
      const orders = new Set<string>();
      for (const challenge of draws(policy)) {
        const steps = challenge.flashes;
        const splits = steps.slice(1, 7);
        expect(splits.every((step) => step.pattern !== "full")).toBe(true);
        orders.add(splits[0]?.pattern ?? "");
        for (const [i, step] of splits.entries()) {
          expect(step.colours[0]).not.toBe(step.colours[1]);
          const next = splits[i + 1];
          // Each step changes the screen's mean colour: the two splits use different pairs.
          if (next) expect(new Set([...step.colours, ...next.colours]).size).toBe(3);
          const later = splits[i + 2];
          if (later) {
            expect(later).toMatchObject({
              pattern: step.pattern,
              colours: [step.colours[1], step.colours[0]],
            });
          }
        }
      }
      expect(orders).toEqual(new Set(["left-right", "top-bottom"]));
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
