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
        expect(kinds.filter((k) => k === "left-right")).toHaveLength(4);
        expect(kinds.filter((k) => k === "top-bottom")).toHaveLength(2);
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
    "draws %s splits next to their mirrors, the left-right pair again around the top-bottom one",
    (policy) => {
      const pairs = new Set<string>();
      for (const challenge of draws(policy)) {
        const [a, aMirror, t, tMirror, aMirror2, a2] = challenge.flashes.slice(1, 7);
        const mirrored = (step: IlluminationStep | undefined): object => ({
          pattern: step?.pattern,
          colours: [step?.colours[1], step?.colours[0]],
        });
        expect(a?.pattern).toBe("left-right");
        expect(t?.pattern).toBe("top-bottom");
        expect(a?.colours[0]).not.toBe(a?.colours[1]);
        expect(t?.colours[0]).not.toBe(t?.colours[1]);
        expect(aMirror).toMatchObject(mirrored(a));
        expect(tMirror).toMatchObject(mirrored(t));
        expect(aMirror2).toMatchObject(mirrored(a));
        expect(a2).toMatchObject({ pattern: a?.pattern, colours: a?.colours });
        // The change between the pairs shows in the screen's mean colour: another colour pair.
        expect(new Set([...(a?.colours ?? []), ...(t?.colours ?? [])]).size).toBe(3);
        pairs.add(`${a?.colours.join()} ${t?.colours.join()}`);
      }
      // Every ordered pair of primaries is drawn for each split (3 × 2, and 2 × 2 for the second).
      expect(pairs.size).toBe(24);
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
