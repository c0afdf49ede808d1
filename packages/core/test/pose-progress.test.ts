import { describe, expect, it } from "vitest";
import { poseProgress } from "../src/challenges/pose-progress.ts";

const BASELINE = { yawDegrees: 2, pitchDegrees: -1 };
const THRESHOLDS = { yawDegrees: 10, pitchDegrees: 7 };
const pose = (yawDegrees: number, pitchDegrees: number) => ({
  yawDegrees,
  pitchDegrees,
  rollDegrees: 0,
});

describe("poseProgress", () => {
  it.each([
    ["left", pose(14, -1), 12, true],
    ["left", pose(-8, -1), -10, false],
    ["right", pose(-9, -1), 11, true],
    ["right", pose(10, -1), -8, false],
    ["up", pose(2, 7), 8, true],
    ["down", pose(2, -6), 5, false],
    ["down", pose(2, -9), 8, true],
  ] as const)("%s from baseline: %o turns %d°, reached %s", (direction, p, degrees, reached) => {
    expect(poseProgress(direction, p, BASELINE, THRESHOLDS)).toEqual({ degrees, reached });
  });

  it("reaches exactly at the threshold", () => {
    expect(poseProgress("left", pose(12, 0), BASELINE, THRESHOLDS).reached).toBe(true);
    expect(poseProgress("up", pose(0, 6), BASELINE, THRESHOLDS).reached).toBe(true);
  });
});
