import { DECISION_THRESHOLDS } from "@lumen/core";
import { describe, expect, it } from "vitest";
import {
  qualityIssue,
  TURNED_AWAY_DEGREES,
  type QualityInput,
} from "../src/tracking/quality-issue.ts";

const limits = DECISION_THRESHOLDS.standard;

/**
 * A synthetic face mesh with only the landmarks the head-pose estimate reads placed, rotated
 * by `yaw` about the vertical axis, then by `pitch` about the horizontal one (degrees).
 */
function mesh(yaw: number, pitch: number): Float32Array {
  const points = new Float32Array(478 * 3);
  const a = (yaw * Math.PI) / 180;
  const b = (pitch * Math.PI) / 180;
  const put = (i: number, x: number, y: number, z: number): void => {
    const x1 = x * Math.cos(a) - z * Math.sin(a);
    const z1 = x * Math.sin(a) + z * Math.cos(a);
    points.set([x1, y * Math.cos(b) + z1 * Math.sin(b), z1 * Math.cos(b) - y * Math.sin(b)], i * 3);
  };
  put(33, -30, 0, 0);
  put(263, 30, 0, 0);
  put(234, -50, 0, 0);
  put(454, 50, 0, 0);
  put(10, 0, -60, 0);
  put(168, 0, -10, 0);
  put(152, 0, 80, 0);
  return points;
}

const good: QualityInput = {
  luma: (limits.minLuma + limits.maxLuma) / 2,
  sharpness: limits.minSharpness * 4,
  points: mesh(0, 0),
};

describe("qualityIssue", () => {
  it("passes a well-lit, sharp, frontal face", () => {
    expect(qualityIssue(good)).toBeNull();
  });

  it("flags a dark face below the server's minimum luma", () => {
    expect(qualityIssue({ ...good, luma: limits.minLuma - 1 })).toBe("too-dark");
    expect(qualityIssue({ ...good, luma: limits.minLuma })).toBeNull();
  });

  it("flags a bright face above the server's maximum luma", () => {
    expect(qualityIssue({ ...good, luma: limits.maxLuma + 1 })).toBe("too-bright");
    expect(qualityIssue({ ...good, luma: limits.maxLuma })).toBeNull();
  });

  it("flags a blurry face below the server's minimum sharpness", () => {
    expect(qualityIssue({ ...good, sharpness: limits.minSharpness * 0.9 })).toBe("blurry");
    expect(qualityIssue({ ...good, sharpness: limits.minSharpness })).toBeNull();
  });

  it("flags a face turned away past the yaw or pitch limit, either way", () => {
    const past = TURNED_AWAY_DEGREES.yaw + 10;
    const within = TURNED_AWAY_DEGREES.yaw - 10;
    expect(qualityIssue({ ...good, points: mesh(past, 0) })).toBe("turned-away");
    expect(qualityIssue({ ...good, points: mesh(-past, 0) })).toBe("turned-away");
    expect(qualityIssue({ ...good, points: mesh(within, 0) })).toBeNull();
    expect(qualityIssue({ ...good, points: mesh(0, TURNED_AWAY_DEGREES.pitch + 10) })).toBe(
      "turned-away",
    );
    expect(qualityIssue({ ...good, points: mesh(0, -(TURNED_AWAY_DEGREES.pitch + 10)) })).toBe(
      "turned-away",
    );
    expect(qualityIssue({ ...good, points: mesh(0, TURNED_AWAY_DEGREES.pitch - 10) })).toBeNull();
  });

  it("reports lighting before sharpness before pose", () => {
    const everything: QualityInput = { luma: 0, sharpness: 0, points: mesh(60, 0) };
    expect(qualityIssue(everything)).toBe("too-dark");
    expect(qualityIssue({ ...everything, luma: good.luma })).toBe("blurry");
    expect(qualityIssue({ ...everything, luma: good.luma, sharpness: good.sharpness })).toBe(
      "turned-away",
    );
  });
});
