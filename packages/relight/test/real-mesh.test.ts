import { describe, expect, it } from "vitest";
import { relightFrame, type RelightMode, type ScreenState } from "../src/index.ts";
import { srgbToLinear } from "@lumen/core";
import fixture from "../../core/test/fixtures/frontal-face-mesh.json" with { type: "json" };

// The server's mesh of a real frontal face (see the fixture's `source`), on a uniform frame so
// that every difference is the light's.
const points = Float32Array.from(fixture.points);
const { width, height } = fixture;
const image = {
  width,
  height,
  data: new Uint8ClampedArray(width * height * 4).fill(160),
};
const RIGHT_CHEEK = 50; // the person's right: image −x
const LEFT_CHEEK = 280; // the person's left: image +x
const FOREHEAD = 151;
const CHIN = 152;

function at(index: number, axis: 0 | 1): number {
  return points[3 * index + axis] ?? Number.NaN;
}

/** Mean linear gain − 1 per channel in a square around landmark `index` (the server's patches). */
function regionResponse(lit: { data: ArrayLike<number> }, index: number): number[] {
  const half = Math.round(0.07 * Math.abs(at(454, 0) - at(234, 0)));
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.round(at(index, 1)) - half; y <= Math.round(at(index, 1)) + half; y++) {
    for (let x = Math.round(at(index, 0)) - half; x <= Math.round(at(index, 0)) + half; x++) {
      for (let c = 0; c < 3; c++) {
        sum[c] = (sum[c] ?? 0) + srgbToLinear(lit.data[4 * (y * width + x) + c] ?? 0);
      }
      n++;
    }
  }
  return sum.map((s) => s / n / srgbToLinear(160) - 1);
}

const RED_BLUE: ScreenState = { pattern: "left-right", colours: ["#ff0000", "#0000ff"] };

function sideContrast(mode: RelightMode): number {
  const lit = relightFrame(image, points, RED_BLUE, { mode, noise: 0 });
  const left = regionResponse(lit, LEFT_CHEEK);
  const right = regionResponse(lit, RIGHT_CHEEK);
  // Red share of each cheek's response, left minus right.
  const share = (r: number[]) => (r[0] ?? 0) / ((r[0] ?? 0) + (r[2] ?? 0));
  return share(left) - share(right);
}

describe("relightFrame on a real face mesh", () => {
  it("gives the cheeks opposite balances under a split in 3d, none in flat, inverted when swapped", () => {
    const live = sideContrast("3d");
    // The notes' estimate: cheeks turned ±30° see the halves about 1.2 : 1.
    expect(live).toBeGreaterThan(0.05);
    expect(Math.abs(sideContrast("flat"))).toBeLessThan(1e-6);
    expect(sideContrast("swapped")).toBeCloseTo(-live, 6);
  });

  it("lights the forehead more than the chin from the top half", () => {
    const lit = relightFrame(
      image,
      points,
      { pattern: "top-bottom", colours: ["#00ff00", "#ff00ff"] },
      { noise: 0 },
    );
    const forehead = regionResponse(lit, FOREHEAD);
    const chin = regionResponse(lit, CHIN);
    const share = (r: number[]) => (r[1] ?? 0) / ((r[0] ?? 0) + (r[1] ?? 0));
    expect(share(forehead)).toBeGreaterThan(share(chin));
  });
});
