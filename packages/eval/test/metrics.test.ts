import { describe, expect, it } from "vitest";
import {
  acer,
  apcer,
  bpcer,
  bpcerAtApcer,
  equalErrorRate,
  operatingPoints,
  rocAuc,
  thresholdAtBpcer,
} from "../src/metrics.ts";

const NEG = Number.NEGATIVE_INFINITY;

describe("APCER and BPCER at a threshold", () => {
  it("accepts scores at or above the threshold", () => {
    expect(apcer([-3, 0, 0.5, 2], 0)).toBe(3 / 4);
    expect(apcer([-3, 0, 0.5, 2], 1)).toBe(1 / 4);
    expect(bpcer([-1, 0, 4, 5], 0)).toBe(1 / 4);
    expect(bpcer([-1, 0, 4, 5], 4.5)).toBe(3 / 4);
  });

  it("never accepts a score of −∞, even at the lowest threshold", () => {
    expect(apcer([NEG, 1], -1e9)).toBe(1 / 2);
    expect(bpcer([NEG, 1], -1e9)).toBe(1 / 2);
  });

  it("is NaN for an empty class", () => {
    expect(apcer([], 0)).toBeNaN();
    expect(bpcer([], 0)).toBeNaN();
  });

  it("computes ACER as the mean of the worst APCER and the BPCER", () => {
    expect(acer(0.2, 0.1)).toBeCloseTo(0.15, 12);
  });
});

describe("operating points (DET curve)", () => {
  it("runs from the lowest finite score to +∞, APCER falling and BPCER rising", () => {
    const points = operatingPoints([1, 2, NEG], [0, 2]);
    expect(points.map((p) => p.threshold)).toEqual([0, 1, 2, Number.POSITIVE_INFINITY]);
    expect(points.map((p) => p.apcer)).toEqual([1, 0.5, 0.5, 0]);
    expect(points.map((p) => p.bpcer)).toEqual([1 / 3, 1 / 3, 2 / 3, 1]);
  });
});

describe("equal-error rate", () => {
  it("is exact where APCER equals BPCER at an operating point", () => {
    // t = 2: attacks {2} accepted of {0, 2} = 0.5; bona fide {1} rejected of {1, 3} = 0.5.
    expect(equalErrorRate([1, 3], [0, 2])).toBe(0.5);
  });

  it("interpolates linearly between the two points that bracket the crossing", () => {
    // Thresholds: 0 -> (APCER 1, BPCER 0), 1 -> (1/2, 0), 2 -> (0, 1/2), +∞ -> (0, 1).
    // APCER − BPCER goes from +1/2 to −1/2 between t = 1 and t = 2: the midpoint (1/4, 1/4).
    expect(equalErrorRate([1, 2], [0, 1])).toBeCloseTo(0.25, 12);
    // Uneven segment: bona fide {1, 2, 3, 4}, attacks {0, 1.5, 3.5}. t = 1.5 -> (2/3, 1/4),
    // t = 2 -> (1/3, 1/4), t = 3 -> (1/3, 1/2): APCER stays 1/3 while BPCER rises through it.
    expect(equalErrorRate([1, 2, 3, 4], [0, 1.5, 3.5])).toBeCloseTo(1 / 3, 12);
    // A tie across classes: t = 1 -> (1, 0), then +∞ -> (0, 1); crossing at 1/2.
    expect(equalErrorRate([1], [1])).toBeCloseTo(0.5, 12);
    // APCER falls through a constant BPCER: bona fide {2, 3}, attacks {1, 2.5, 4}.
    // t = 2 -> (2/3, 0), t = 2.5 -> (2/3, 1/2), t = 3 -> (1/3, 1/2), t = 4 -> (1/3, 1).
    // d: +2/3, +1/6, −1/6: crossing between (2/3, 1/2) and (1/3, 1/2), at 1/2.
    expect(equalErrorRate([2, 3], [1, 2.5, 4])).toBeCloseTo(0.5, 12);
  });

  it("falls back to the smallest max(APCER, BPCER) when the rates never cross", () => {
    // Half the bona fide presentations are rejected at every threshold.
    expect(equalErrorRate([NEG, NEG, 5, 6], [1])).toBe(0.5);
  });

  it("is null for an empty class", () => {
    expect(equalErrorRate([], [1])).toBeNull();
    expect(equalErrorRate([1], [])).toBeNull();
  });
});

describe("ROC AUC (Mann–Whitney)", () => {
  it("is 1 for perfect separation and 0 for perfect inversion", () => {
    expect(rocAuc([3, 4], [1, 2])).toBe(1);
    expect(rocAuc([1, 2], [3, 4])).toBe(0);
  });

  it("counts ties as one half", () => {
    // Pairs: (2,1)=1 (2,2)=½ (3,1)=1 (3,2)=1 -> 3.5 / 4.
    expect(rocAuc([2, 3], [1, 2])).toBe(0.875);
    expect(rocAuc([1, 1, 1], [1, 1])).toBe(0.5);
    expect(rocAuc([NEG, 5], [NEG, 0])).toBe((0.5 + 0 + 1 + 1) / 4);
  });

  it("matches a brute-force pair count on a random set", () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * 10) / 2; // coarse values: many ties
    };
    const bona = Array.from({ length: 37 }, next);
    const attacks = Array.from({ length: 23 }, next);
    let wins = 0;
    for (const b of bona) for (const a of attacks) wins += b > a ? 1 : b === a ? 0.5 : 0;
    expect(rocAuc(bona, attacks)).toBeCloseTo(wins / (bona.length * attacks.length), 12);
  });

  it("is null for an empty class", () => {
    expect(rocAuc([], [1])).toBeNull();
  });
});

describe("BPCER at a fixed APCER", () => {
  it("takes the most lenient threshold whose APCER is within the target", () => {
    expect(bpcerAtApcer([1, 2, 3], [0, 2.5], 0.5)).toEqual({ bpcer: 0, apcer: 0.5, threshold: 1 });
    // 1% of 2 attacks: no attack may pass -> threshold just above 2.5 is 3.
    expect(bpcerAtApcer([1, 2, 3], [0, 2.5], 0.01)).toEqual({
      bpcer: 2 / 3,
      apcer: 0,
      threshold: 3,
    });
  });

  it("reaches APCER 0 at +∞ when every bona fide score is below the attacks", () => {
    expect(bpcerAtApcer([0], [5], 0.05)).toEqual({
      bpcer: 1,
      apcer: 0,
      threshold: Number.POSITIVE_INFINITY,
    });
  });

  it("is null for an empty class", () => {
    expect(bpcerAtApcer([1], [], 0.05)).toBeNull();
  });
});

describe("threshold at a BPCER", () => {
  it("takes the ⌊target · n⌋-th lowest bona fide score, so BPCER stays within the target", () => {
    expect(thresholdAtBpcer([4, 1, 3, 2], [0, 2.5], 0.25)).toEqual({
      threshold: 2,
      bpcer: 0.25,
      apcer: 0.5,
    });
    // ⌊0.2 · 4⌋ = 0: the lowest score, nothing rejected.
    expect(thresholdAtBpcer([4, 1, 3, 2], [0, 2.5], 0.2)).toEqual({
      threshold: 1,
      bpcer: 0,
      apcer: 0.5,
    });
    expect(thresholdAtBpcer([1, 2, 3, 4], [5], 0.5)).toEqual({
      threshold: 3,
      bpcer: 0.5,
      apcer: 1,
    });
  });

  it("counts ties at the threshold as accepted, so BPCER can fall below the target", () => {
    expect(thresholdAtBpcer([1, 1, 1, 2], [1], 0.5)).toEqual({ threshold: 1, bpcer: 0, apcer: 1 });
  });

  it("is null without bona fide scores", () => {
    expect(thresholdAtBpcer([], [1, 2], 0.05)).toBeNull();
  });
});
