import { describe, expect, it } from "vitest";
import { linearToSrgb, srgbToLinear, type RgbaImage } from "@lumen/core";
import {
  createSeededRandom,
  relightFrame,
  RELIGHT_DEFAULTS,
  type RelightOptions,
  type ScreenState,
} from "../src/index.ts";
import { patchMean, SKIN, syntheticFace, type SyntheticFace } from "./support/synthetic-face.ts";

const RED_BLUE: ScreenState = { pattern: "left-right", colours: ["#ff0000", "#0000ff"] };
const GREEN_MAGENTA: ScreenState = { pattern: "top-bottom", colours: ["#00ff00", "#ff00ff"] };
const FULL_RED: ScreenState = { pattern: "full", colours: ["#ff0000", "#ff0000"] };
const QUIET: RelightOptions = { noise: 0 };

const face = syntheticFace();
const k = RELIGHT_DEFAULTS.strength / (1 - RELIGHT_DEFAULTS.strength);

/** Whether two pixel arrays hold the same bytes (vitest's deep equality is slow on 300 k). */
function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The linear-light gain minus 1 of each channel of a patch: what the screen added there. */
function response(lit: RgbaImage, before: RgbaImage, x: number, y: number): number[] {
  const after = patchMean(lit, x, y);
  const base = patchMean(before, x, y);
  return after.map((v, c) => srgbToLinear(v) / srgbToLinear(base[c] ?? 0) - 1);
}

/** Responses on the image's +x cheek and −x cheek (half the radius out). */
function cheeks(subject: SyntheticFace, lit: RgbaImage) {
  const dx = subject.radius * 0.55;
  return {
    plusX: response(lit, subject.image, subject.centreX + dx, subject.centreY),
    minusX: response(lit, subject.image, subject.centreX - dx, subject.centreY),
  };
}

describe("relightFrame, 3d", () => {
  it("adds k·screenLight to a camera-facing surface: full red lifts the red channel by ≈ k", () => {
    const lit = relightFrame(face.image, face.points, FULL_RED, QUIET);
    const [r, g, b] = response(lit, face.image, face.centreX, face.centreY);
    expect(r).toBeGreaterThan(k * 0.9);
    expect(r).toBeLessThan(k * 1.05);
    expect(Math.abs(g ?? 1)).toBeLessThan(0.01);
    expect(Math.abs(b ?? 1)).toBeLessThan(0.01);
  });

  it("lights the image's +x side with the user's left half of a left-right split", () => {
    const { plusX, minusX } = cheeks(face, relightFrame(face.image, face.points, RED_BLUE, QUIET));
    // Red is the left half: the person's left cheek, image +x; blue the other.
    expect(plusX[0]).toBeGreaterThan((minusX[0] ?? 0) * 1.1);
    expect(minusX[2]).toBeGreaterThan((plusX[2] ?? 0) * 1.1);
    // Both cheeks see both halves: a balance, not a mask.
    expect(minusX[0]).toBeGreaterThan(0.03);
    expect(plusX[2]).toBeGreaterThan(0.03);
  });

  it("lights the upper face with the top half of a top-bottom split", () => {
    const lit = relightFrame(face.image, face.points, GREEN_MAGENTA, QUIET);
    const dy = face.radius * 0.55;
    const upper = response(lit, face.image, face.centreX, face.centreY - dy);
    const lower = response(lit, face.image, face.centreX, face.centreY + dy);
    expect(upper[1]).toBeGreaterThan((lower[1] ?? 0) * 1.05);
    expect(lower[0]).toBeGreaterThan((upper[0] ?? 0) * 1.05);
  });

  it("inverts the side balance in swapped mode", () => {
    const swapped = cheeks(
      face,
      relightFrame(face.image, face.points, RED_BLUE, { ...QUIET, mode: "swapped" }),
    );
    expect(swapped.minusX[0]).toBeGreaterThan((swapped.plusX[0] ?? 0) * 1.1);
    expect(swapped.plusX[2]).toBeGreaterThan((swapped.minusX[2] ?? 0) * 1.1);
  });

  it("gives the background the wall's share (≈ 7 %) of a camera-facing surface's light", () => {
    const uniform = syntheticFace(320, 240, SKIN);
    const lit = relightFrame(uniform.image, uniform.points, FULL_RED, QUIET);
    const centre = response(lit, uniform.image, uniform.centreX, uniform.centreY)[0] ?? 0;
    const wall = response(lit, uniform.image, 10, 10)[0] ?? 0;
    expect(wall / centre).toBeGreaterThan(0.05);
    expect(wall / centre).toBeLessThan(0.1);
  });

  it("adds nothing for no screen or a dark one; exposure scales everything", () => {
    const dark: ScreenState = { pattern: "full", colours: ["#000000", "#000000"] };
    for (const screen of [null, dark]) {
      expect(same(relightFrame(face.image, face.points, screen, QUIET).data, face.image.data)).toBe(
        true,
      );
    }
    const brighter = relightFrame(face.image, face.points, null, { ...QUIET, exposure: 1.5 });
    const gain = response(brighter, face.image, 10, 10);
    for (const g of gain) expect(g).toBeCloseTo(0.5, 1);
  });

  it("with no face (points null) lights only the background's share", () => {
    const lit = relightFrame(face.image, null, FULL_RED, QUIET);
    const [r] = response(lit, face.image, face.centreX, face.centreY);
    expect(r).toBeLessThan(k * 0.1);
    expect(r).toBeGreaterThan(0);
  });

  it("reads MediaPipe's 478 points by their first 468", () => {
    const points = new Float32Array(478 * 3);
    points.set(face.points);
    // Iris points anywhere: they take no part.
    points.fill(1e4, 468 * 3);
    const lit = relightFrame(face.image, points, RED_BLUE, QUIET);
    expect(same(lit.data, relightFrame(face.image, face.points, RED_BLUE, QUIET).data)).toBe(true);
  });
});

describe("relightFrame, flat and tints", () => {
  it("lights both sides alike in flat mode", () => {
    const { plusX, minusX } = cheeks(
      face,
      relightFrame(face.image, face.points, RED_BLUE, { ...QUIET, mode: "flat" }),
    );
    for (let c = 0; c < 3; c++) expect(plusX[c]).toBeCloseTo(minusX[c] ?? 0, 6);
    // Each half lights a camera-facing sheet about equally: half of each colour.
    expect(plusX[0]).toBeGreaterThan(k * 0.35);
    expect(plusX[2]).toBeGreaterThan(k * 0.35);
  });

  it("tints the grown face box in tint-face mode and leaves the corners", () => {
    const lit = relightFrame(face.image, face.points, FULL_RED, { ...QUIET, mode: "tint-face" });
    const expected = Math.round(0.85 * SKIN[0] + 0.15 * 255);
    expect(patchMean(lit, face.centreX, face.centreY)[0]).toBeCloseTo(expected, 0);
    // Beyond the box, a sixth of the face's width out.
    expect(patchMean(lit, 5, 5)).toEqual(patchMean(face.image, 5, 5));
    // Just outside the face but inside the grown box: tinted too.
    const x = face.centreX + face.radius * 1.1;
    expect(patchMean(lit, x, face.centreY, 1)[0]).toBeGreaterThan(
      patchMean(face.image, x, face.centreY, 1)[0] + 10,
    );
  });

  it("changes the background as much as the face in tint-frame mode, unlike 3d", () => {
    const uniform = syntheticFace(320, 240, SKIN);
    const ratio = (options: RelightOptions): number => {
      const lit = relightFrame(uniform.image, uniform.points, FULL_RED, { ...QUIET, ...options });
      const centre = response(lit, uniform.image, uniform.centreX, uniform.centreY)[0] ?? 0;
      return (response(lit, uniform.image, 10, 10)[0] ?? 0) / centre;
    };
    expect(ratio({ mode: "tint-frame" })).toBeCloseTo(1, 6);
    expect(ratio({ mode: "3d" })).toBeLessThan(0.1);
  });

  it("blends the mean of a split's halves in the tint modes", () => {
    const lit = relightFrame(face.image, face.points, RED_BLUE, { ...QUIET, mode: "tint-frame" });
    const [r, g, b] = patchMean(lit, 5, 5);
    const [r0, g0, b0] = patchMean(face.image, 5, 5);
    // Mean of red and blue in linear light: (0.5, 0, 0.5), sRGB ≈ 188.
    expect(r).toBeCloseTo(0.85 * r0 + 0.15 * 188, 0);
    expect(g).toBeCloseTo(0.85 * g0, 0);
    expect(b).toBeCloseTo(0.85 * b0 + 0.15 * 188, 0);
  });
});

describe("relightFrame, noise and contract", () => {
  it("leaves the input untouched and keeps its pixel array type", () => {
    const before = new Uint8ClampedArray(face.image.data);
    const lit = relightFrame(face.image, face.points, RED_BLUE);
    expect(same(face.image.data, before)).toBe(true);
    expect(lit.data).toBeInstanceOf(Uint8ClampedArray);
    expect(lit.data).not.toBe(face.image.data);
    const bytes = { ...face.image, data: new Uint8Array(face.image.data) };
    expect(relightFrame(bytes, face.points, RED_BLUE).data).toBeInstanceOf(Uint8Array);
  });

  it("repeats exactly with the same seed and differs with another", () => {
    const run = (seed: number) =>
      relightFrame(face.image, face.points, RED_BLUE, { random: createSeededRandom(seed) }).data;
    expect(same(run(3), run(3))).toBe(true);
    expect(same(run(3), run(4))).toBe(false);
  });

  it("adds no noise while the screen adds no light: the input carries its own", () => {
    const dark = relightFrame(face.image, face.points, null, { random: createSeededRandom(5) });
    expect(same(dark.data, face.image.data)).toBe(true);
  });

  it("adds the shot noise of the added light, zero-mean Gaussian, independent between pixels", () => {
    const uniform = syntheticFace(320, 240, SKIN);
    // Twice the light everywhere: the added light's share of the shot noise is noise · √(2 − 1).
    const brighter = { exposure: 2 };
    const noisy = relightFrame(uniform.image, uniform.points, null, {
      ...brighter,
      noise: 2,
      random: createSeededRandom(11),
    });
    const quiet = relightFrame(uniform.image, uniform.points, null, { ...brighter, noise: 0 });
    const expected = linearToSrgb(srgbToLinear(SKIN[1]) * 2);
    const d: number[] = [];
    for (let i = 0; i < noisy.data.length; i += 4) d.push((noisy.data[i + 1] ?? 0) - expected);
    expect(quiet.data[1]).toBe(Math.round(expected));
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const variance = d.reduce((s, v) => s + (v - mean) ** 2, 0) / d.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    // Rounding adds 1/12 to the variance.
    expect(Math.sqrt(variance)).toBeGreaterThan(1.95);
    expect(Math.sqrt(variance)).toBeLessThan(2.1);
    let covariance = 0;
    for (let i = 1; i < d.length; i++)
      covariance += ((d[i] ?? 0) - mean) * ((d[i - 1] ?? 0) - mean);
    expect(Math.abs(covariance / (d.length - 1) / variance)).toBeLessThan(0.02);
    // About 68 % within one standard deviation.
    const within = d.filter((v) => Math.abs(v - mean) <= 2).length / d.length;
    expect(within).toBeGreaterThan(0.6);
    expect(within).toBeLessThan(0.8);
  });

  it("puts more noise on the face the screen lights than on the far wall", () => {
    // Full yellow: the green channel (measured here) gets all the light white would give it.
    const yellow: ScreenState = { pattern: "full", colours: ["#ffff00", "#ffff00"] };
    const spread = (x0: number, y0: number, noise: number) => {
      const lit = relightFrame(face.image, face.points, yellow, {
        noise,
        random: createSeededRandom(2),
      });
      const values: number[] = [];
      for (let y = y0; y < y0 + 20; y++) {
        for (let x = x0; x < x0 + 20; x++) values.push(lit.data[4 * (y * 320 + x) + 1] ?? 0);
      }
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    };
    const centre = [face.centreX - 10, face.centreY - 10] as const;
    // A camera-facing patch gains ≈ k of its light: noise · √k ≈ 1.15.
    expect(spread(...centre, 2)).toBeGreaterThan(0.9);
    expect(spread(...centre, 2)).toBeLessThan(1.45);
    // The wall gains k · backgroundShare ≈ 0.024 of its light: noise · 0.15, below rounding's.
    expect(spread(0, 0, 2)).toBeLessThan(0.5);
    expect(spread(...centre, 0)).toBeLessThan(0.6);
  });

  it("takes an empty image", () => {
    const empty = { width: 0, height: 0, data: new Uint8ClampedArray(0) };
    expect(relightFrame(empty, null, RED_BLUE)).toMatchObject({ width: 0, height: 0 });
    expect(relightFrame(empty, face.points, RED_BLUE).data).toHaveLength(0);
  });

  it("refuses a points array that is not a mesh, a short image and bad options", () => {
    expect(() => relightFrame(face.image, new Float32Array(30), RED_BLUE)).toThrow(TypeError);
    expect(() => relightFrame(face.image, new Float32Array(30), RED_BLUE)).toThrow(
      /468 \(or MediaPipe's 478\) x, y, z triples, got 30 numbers/,
    );
    const broken = new Float32Array(face.points);
    broken[5] = Number.NaN;
    expect(() => relightFrame(face.image, broken, RED_BLUE)).toThrow(/points\[5\]/);
    const short = { width: 10, height: 10, data: new Uint8ClampedArray(399) };
    expect(() => relightFrame(short, null, null)).toThrow(/has 400 bytes, got 399/);
    for (const options of [
      { strength: 1 },
      { strength: -0.1 },
      { noise: -1 },
      { exposure: 0 },
      { mode: "mirror" as never },
    ]) {
      expect(() => relightFrame(face.image, face.points, null, options)).toThrow(TypeError);
    }
  });
});
