import { describe, expect, it } from "vitest";
import {
  falseMatchRate,
  falseNonMatchRate,
  fnmrAtFmr,
  verificationEer,
  verificationPoints,
} from "../src/verification-metrics.ts";

// Hand-made distances: genuine pairs mostly near, impostor pairs mostly far, two overlaps.
const GENUINE = [0.1, 0.2, 0.3, 0.4, 0.7];
const IMPOSTOR = [0.5, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6];

describe("FMR and FNMR at a threshold", () => {
  it("declares a match at or below the threshold", () => {
    expect(falseMatchRate(IMPOSTOR, 0.5)).toBe(1 / 10);
    expect(falseMatchRate(IMPOSTOR, 0.49)).toBe(0);
    expect(falseMatchRate(IMPOSTOR, 0.8)).toBe(2 / 10);
    expect(falseNonMatchRate(GENUINE, 0.4)).toBe(1 / 5);
    expect(falseNonMatchRate(GENUINE, 0.7)).toBe(0);
    expect(falseNonMatchRate(GENUINE, 0.35)).toBe(2 / 5);
  });

  it("never matches an infinite distance and is NaN without pairs", () => {
    expect(falseNonMatchRate([Number.POSITIVE_INFINITY, 0.1], 1e9)).toBe(1 / 2);
    expect(falseMatchRate([], 0.6)).toBeNaN();
    expect(falseNonMatchRate([], 0.6)).toBeNaN();
  });
});

describe("verificationPoints (the DET curve)", () => {
  it("runs from nothing matched to everything matched", () => {
    const points = verificationPoints([0.2, 0.6], [0.4, 0.8]);
    expect(points).toEqual([
      { threshold: Number.NEGATIVE_INFINITY, fmr: 0, fnmr: 1 },
      { threshold: 0.2, fmr: 0, fnmr: 0.5 },
      { threshold: 0.4, fmr: 0.5, fnmr: 0.5 },
      { threshold: 0.6, fmr: 0.5, fnmr: 0 },
      { threshold: 0.8, fmr: 1, fnmr: 0 },
    ]);
  });
});

describe("verificationEer", () => {
  it("is 0 for separated distances and 1 for inverted ones", () => {
    expect(verificationEer([0.1, 0.2], [0.8, 0.9])).toBe(0);
    expect(verificationEer([0.8, 0.9], [0.1, 0.2])).toBe(1);
  });

  it("interpolates where FMR and FNMR cross", () => {
    // Interleaved genuine 0.1, impostor 0.3, genuine 0.5, impostor 0.9: FMR − FNMR goes from
    // −0.5 (threshold 0.1) to +0.5 (threshold 0.3), crossing at 0.5.
    expect(verificationEer([0.1, 0.5], [0.3, 0.9])).toBe(0.5);
    // GENUINE/IMPOSTOR: FMR − FNMR is +0.1 at threshold 0.7 (FMR 0.1, FNMR 0) and −0.1 at
    // 0.5 (FMR 0.1, FNMR 0.2): the crossing is half-way, at 0.1.
    expect(verificationEer(GENUINE, IMPOSTOR)).toBeCloseTo(0.1, 12);
  });

  it("is null without genuine or impostor pairs", () => {
    expect(verificationEer([], IMPOSTOR)).toBeNull();
    expect(verificationEer(GENUINE, [])).toBeNull();
  });
});

describe("fnmrAtFmr", () => {
  it("takes the most lenient threshold within the target FMR", () => {
    expect(fnmrAtFmr(GENUINE, IMPOSTOR, 0)).toEqual({ threshold: 0.4, fmr: 0, fnmr: 1 / 5 });
    expect(fnmrAtFmr(GENUINE, IMPOSTOR, 0.1)).toEqual({ threshold: 0.7, fmr: 0.1, fnmr: 0 });
    expect(fnmrAtFmr(GENUINE, IMPOSTOR, 0.2)).toEqual({ threshold: 0.8, fmr: 0.2, fnmr: 0 });
  });

  it("is null without pairs", () => {
    expect(fnmrAtFmr([], IMPOSTOR, 0.01)).toBeNull();
    expect(fnmrAtFmr(GENUINE, [], 0.01)).toBeNull();
  });
});
