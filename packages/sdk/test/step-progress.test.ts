import { describe, expect, it } from "vitest";
import type { IlluminationLight } from "../src/challenge-display.ts";
import { stepProgress } from "../src/challenges/step-progress.ts";

const light: IlluminationLight = { pattern: "full", colours: ["#000000", "#000000"] };

describe("stepProgress", () => {
  it("fills 0.2–0.5 with the illumination steps and 0.5–0.8 with the prompts", () => {
    expect(stepProgress({ kind: "illumination", index: 0, total: 4, light })).toBeCloseTo(0.2);
    expect(stepProgress({ kind: "illumination", index: 2, total: 4, light })).toBeCloseTo(0.35);
    expect(stepProgress({ kind: "pose", index: 1, total: 2, direction: "left" })).toBeCloseTo(0.65);
    expect(stepProgress({ kind: "pose", index: 2, total: 2, direction: "up" })).toBeCloseTo(0.8);
  });

  it("copes with an empty sequence", () => {
    expect(stepProgress({ kind: "pose", index: 0, total: 0, direction: "left" })).toBe(0.5);
  });
});
