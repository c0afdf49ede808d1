import { describe, expect, it } from "vitest";
import type { IlluminationStep } from "@lumen/protocol";
import {
  evaluateIllumination,
  ILLUMINATION_LAG_MS,
  FACE_REGION_LANDMARKS,
  FACE_REGION_NAMES,
  halfIrradiance,
  illuminationStepAt,
  landmarksBox,
  measureFrameLight,
  SRGB_TO_LINEAR,
  surfaceNormal,
  type FaceRegionName,
  type RgbaImage,
} from "../src/index.ts";
import {
  FRONTAL_MESH,
  FRONTAL_NORMALS,
  renderSession,
  TEST_SHOWN_AT,
  TEST_STEPS,
  type RenderOptions,
} from "./support/illumination-render.ts";

const evaluate = (options: RenderOptions, steps = TEST_STEPS, shownAt = TEST_SHOWN_AT) =>
  evaluateIllumination(steps, shownAt, renderSession(steps, shownAt, options));

describe("evaluateIllumination", () => {
  it("passes a 3D face lit by the screen, at the camera lags genuine capture has", () => {
    for (const seed of [1, 2, 3]) {
      for (const options of [
        { lagMs: 40 },
        { lagMs: 0, frameIntervalMs: 33 },
        { lagMs: 100 },
        // A dim screen in a bright room, warm ambient light, noisy region means.
        { screenShare: 0.1 },
        { ambient: [0.8, 0.5, 0.25] as const },
        { noise: 0.02 },
      ]) {
        const result = evaluate({ ...options, seed });
        expect(result, JSON.stringify(options)).toMatchObject({ passed: true, reasons: [] });
        expect(result.correlation).toBeGreaterThan(0.95);
        expect(result.shapeAgreement).toBeGreaterThan(0.8);
        expect(result.shapeAgreement).toBeLessThan(1.2);
        expect(result.backgroundRatio).toBeLessThan(0.1);
      }
    }
    const result = evaluate({ lagMs: 40 });
    // The frame's exposure (20 ms) puts the measured lag half an exposure late.
    expect(result.lagMs).toBeGreaterThanOrEqual(40);
    expect(result.lagMs).toBeLessThanOrEqual(60);
    expect(result.meanResponse).toBeGreaterThan(0.2);
    for (const [i, step] of TEST_STEPS.entries()) {
      const outcome = result.steps[i];
      expect(outcome?.frames).toBeGreaterThan(3);
      if (step.pattern === "full") expect(outcome?.sideContrast).toBeNull();
      else expect(outcome?.sideContrast?.predicted).toBeGreaterThan(0.05);
    }
  });

  it("refuses a uniform tint of the face box as not 3D", () => {
    const result = evaluate({ subject: "face-tint" });
    expect(result.reasons).toEqual(["REFLECTION_NOT_3D"]);
    expect(Math.abs(result.shapeAgreement)).toBeLessThan(0.2);
    // The tint follows the sequence in time, so only its shape gives it away.
    expect(result.correlation).toBeGreaterThan(0.9);
  });

  it("refuses a tint of the whole frame, even split by side, as uniform", () => {
    const result = evaluate({ subject: "frame-tint" });
    expect(result.passed).toBe(false);
    expect(result.reasons).toContain("REFLECTION_UNIFORM");
    expect(result.backgroundRatio).toBeGreaterThan(0.5);
    // Halves painted on the face give far more side contrast than a face's shape can.
    expect(result.shapeAgreement).toBeGreaterThan(5);
  });

  it("refuses a flat relight (one normal everywhere) as not 3D", () => {
    const result = evaluate({ subject: "flat" });
    expect(result.reasons).toEqual(["REFLECTION_NOT_3D"]);
    expect(Math.abs(result.shapeAgreement)).toBeLessThan(0.2);
  });

  it("weighs a split shown twice around its mirror, so a region's drifting colour cancels", () => {
    const step = (pattern: IlluminationStep["pattern"], a: string, b: string): IlluminationStep =>
      ({ pattern, colours: [a, b], durationMs: 400 }) as IlluminationStep;
    const [red, green, blue] = ["#ff0000", "#00ff00", "#0000ff"];
    const leftRight = step("left-right", red, blue);
    const topBottom = step("top-bottom", green, blue);
    const mirror = (s: IlluminationStep): IlluminationStep => ({
      ...s,
      colours: [s.colours[1], s.colours[0]],
    });
    const dark = TEST_STEPS[0] as IlluminationStep;
    const shown = [dark, leftRight, topBottom, mirror(leftRight), mirror(topBottom)];
    const thrice = [...shown, leftRight, topBottom];
    // The left cheek reddens by 3 % a second: on a flat sheet it mimics the left half's red.
    const drift = { leftCheek: [0.03, 0, 0] as const };
    const agreement = (steps: IlluminationStep[], subject: "flat" | "genuine") =>
      evaluate(
        { subject, drift, noise: 0 },
        steps,
        steps.map((_, i) => 2000 + 400 * i),
      ).shapeAgreement;
    // Shown once each way, the drift moves a flat sheet's agreement by ≈ 0.1 (noise-free).
    expect(Math.abs(agreement(shown, "flat"))).toBeGreaterThan(0.08);
    expect(Math.abs(agreement(thrice, "flat"))).toBeLessThan(0.03);
    expect(agreement(thrice, "genuine")).toBeGreaterThan(0.95);
  });

  it("refuses swapped halves with a negative agreement", () => {
    const result = evaluate({ subject: "swapped" });
    expect(result.reasons).toEqual(["REFLECTION_NOT_3D"]);
    expect(result.shapeAgreement).toBeLessThan(-0.5);
  });

  it("refuses a relight 150 or 300 ms late on top of a genuine lag", () => {
    for (const seed of [1, 2, 3]) {
      for (const lagMs of [40 + 150, 40 + 300]) {
        const result = evaluate({ lagMs, seed });
        expect(result.reasons).toEqual(["REFLECTION_TIMING"]);
        expect(result.lagMs).toBeGreaterThan(ILLUMINATION_LAG_MS.max);
      }
      // Even on the shortest genuine lag (a display refresh and an exposure, 30 ms), at 30
      // frames a second.
      expect(evaluate({ lagMs: 30 + 150, frameIntervalMs: 33, seed }).reasons).toEqual([
        "REFLECTION_TIMING",
      ]);
    }
  });

  it("reports a missing response and nothing else when the face does not answer", () => {
    const result = evaluate({ subject: "none" });
    expect(result.reasons).toEqual(["FLASH_RESPONSE_MISSING"]);
    expect(Math.abs(result.meanResponse)).toBeLessThan(0.005);
  });

  it("fails closed on what it cannot judge", () => {
    const frames = renderSession();
    const missing = (steps: readonly IlluminationStep[], shownAt: readonly number[], f = frames) =>
      evaluateIllumination(steps, shownAt, f).reasons;
    expect(missing(TEST_STEPS, TEST_SHOWN_AT.slice(1))).toEqual(["FLASH_RESPONSE_MISSING"]);
    expect(missing(TEST_STEPS, [...TEST_SHOWN_AT].reverse())).toEqual(["FLASH_RESPONSE_MISSING"]);
    expect(missing([], [])).toEqual(["FLASH_RESPONSE_MISSING"]);
    const faceless = frames.map((frame) => ({ ...frame, light: null }));
    expect(missing(TEST_STEPS, TEST_SHOWN_AT, faceless)).toEqual(["FLASH_RESPONSE_MISSING"]);
    // No dark step: nothing to measure the response against.
    const lit = TEST_STEPS.filter((step) => step.colours[0] !== "#000000");
    const litAt = TEST_SHOWN_AT.slice(0, lit.length);
    expect(missing(lit, litAt, renderSession(lit, litAt))).toEqual(["FLASH_RESPONSE_MISSING"]);
    // No split step: nothing shows the face's shape.
    const full = TEST_STEPS.filter((step) => step.pattern === "full");
    const fullAt = TEST_SHOWN_AT.slice(0, full.length);
    expect(missing(full, fullAt, renderSession(full, fullAt))).toEqual(["REFLECTION_NOT_3D"]);
  });

  it("places every frame in the step it shows at the measured lag", () => {
    const frames = renderSession();
    const result = evaluateIllumination(TEST_STEPS, TEST_SHOWN_AT, frames);
    expect(result.frameSteps).toEqual(
      frames.map((frame) =>
        illuminationStepAt(TEST_STEPS, TEST_SHOWN_AT, frame.capturedAt, result.lagMs),
      ),
    );
    expect(result.frameSteps[0]).toBeNull();
  });
});

describe("illuminationStepAt", () => {
  const steps = [{ durationMs: 400 }, { durationMs: 400 }];
  it("keeps a step until the next is painted, the last for its duration, after the lag", () => {
    expect(illuminationStepAt(steps, [1000, 1500], 1030, 40)).toBeNull();
    expect(illuminationStepAt(steps, [1000, 1500], 1040, 40)).toBe(0);
    // The screen shows step 0 until step 1 is painted, even past its duration.
    expect(illuminationStepAt(steps, [1000, 1500], 1530, 40)).toBe(0);
    expect(illuminationStepAt(steps, [1000, 1500], 1930, 40)).toBe(1);
    expect(illuminationStepAt(steps, [1000, 1500], 1940, 40)).toBeNull();
    expect(illuminationStepAt(steps, [1500, 1000], 1600, 0)).toBeNull();
    expect(illuminationStepAt(steps, [1000], 1100, 0)).toBeNull();
  });
});

describe("screen light geometry", () => {
  it("lights the person's left cheek (the image's right) more from the user's left half", () => {
    const left = halfIrradiance(FRONTAL_NORMALS.leftCheek);
    const right = halfIrradiance(FRONTAL_NORMALS.rightCheek);
    expect(left.left).toBeGreaterThan(left.right * 1.1);
    expect(right.right).toBeGreaterThan(right.left * 1.1);
    const front = halfIrradiance({ x: 0, y: 0, z: -1 });
    expect(front.left).toBeCloseTo(front.right, 10);
    // The screen hangs below the camera: a chin facing down sees more of its bottom half.
    const chin = halfIrradiance(FRONTAL_NORMALS.chin);
    expect(chin.bottom).toBeGreaterThan(chin.top);
  });
});

describe("surfaceNormal", () => {
  it("turns each region of a real frontal mesh towards where it faces", () => {
    const n = FRONTAL_NORMALS;
    for (const name of FACE_REGION_NAMES) expect(n[name].z).toBeLessThan(-0.6);
    expect(n.leftCheek.x).toBeGreaterThan(0.3);
    expect(n.rightCheek.x).toBeLessThan(-0.3);
    expect(Math.abs(n.forehead.x)).toBeLessThan(0.1);
    expect(Math.abs(n.nose.x)).toBeLessThan(0.1);
    expect(n.chin.y).toBeGreaterThan(n.forehead.y + 0.3);
  });

  it("refuses landmarks that span no area", () => {
    const line = new Float32Array(468 * 3);
    [1, 4, 5].forEach((i, k) => {
      line.set([100, 100 + 10 * k, k], i * 3);
    });
    expect(surfaceNormal(line, [1, 4, 5])).toBeNull();
  });
});

describe("measureFrameLight", () => {
  const COLOURS: Record<FaceRegionName | "background", [number, number, number]> = {
    forehead: [200, 150, 120],
    nose: [210, 140, 110],
    leftCheek: [220, 120, 100],
    rightCheek: [180, 140, 130],
    chin: [170, 130, 100],
    background: [60, 90, 140],
  };

  // Every pixel of the face box takes the colour of the nearest region's centre; the rest is
  // background. Each region's landmarks lie well inside its own part.
  function paint(points: Float32Array, width: number, height: number): RgbaImage {
    const data = new Uint8Array(width * height * 4);
    const box = landmarksBox(points);
    const centres = FACE_REGION_NAMES.map((name) => {
      const ids = FACE_REGION_LANDMARKS[name];
      const mean = (axis: number) =>
        ids.reduce((sum, i) => sum + (points[i * 3 + axis] ?? 0), 0) / ids.length;
      return { name, x: mean(0), y: mean(1) };
    });
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const inBox = x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;
        let colour = COLOURS.background;
        if (inBox) {
          const near = centres.reduce((a, b) =>
            Math.hypot(b.x - x, b.y - y) < Math.hypot(a.x - x, a.y - y) ? b : a,
          );
          colour = COLOURS[near.name];
        }
        data.set([...colour, 255], (y * width + x) * 4);
      }
    }
    return { width, height, data };
  }

  const linear = (rgb: readonly number[]) => rgb.map((v) => SRGB_TO_LINEAR[v] ?? Number.NaN);

  it("measures each region's painted colour in linear light, and the background's", () => {
    const { width, height, points } = FRONTAL_MESH;
    const light = measureFrameLight(paint(points, width, height), points);
    expect(light).not.toBeNull();
    for (const name of FACE_REGION_NAMES) {
      const region = light?.regions[name];
      linear(COLOURS[name]).forEach((v, c) => {
        expect(region?.rgb[c]).toBeCloseTo(v, 6);
      });
      expect(region?.pixels).toBeGreaterThan(200);
      expect(region?.normal).toEqual(surfaceNormal(points, FACE_REGION_LANDMARKS[name]));
    }
    expect(light?.regions.leftCheek.normal.x).toBeGreaterThan(0.3);
    expect(light?.regions.rightCheek.normal.x).toBeLessThan(-0.3);
    linear(COLOURS.background).forEach((v, c) => {
      expect(light?.background?.[c]).toBeCloseTo(v, 6);
    });
    expect(light?.backgroundCells).toHaveLength(3);
    expect(light?.backgroundCells.every((cell) => cell !== null)).toBe(true);
  });

  it("samples a large face on a grid, with the same means", () => {
    const scale = 2.5;
    const points = FRONTAL_MESH.points.map((v) => v * scale);
    const size = Math.round(FRONTAL_MESH.width * scale);
    const light = measureFrameLight(paint(points, size, size), points);
    for (const name of FACE_REGION_NAMES) {
      expect(light?.regions[name].pixels).toBeLessThanOrEqual(4096);
      linear(COLOURS[name]).forEach((v, c) => {
        expect(light?.regions[name].rgb[c]).toBeCloseTo(v, 6);
      });
    }
  });

  it("returns null when a region leaves the frame, and drops background cells outside it", () => {
    const { width, height, points } = FRONTAL_MESH;
    const image = paint(points, width, height);
    const shifted = points.map((v, i) => (i % 3 === 0 ? v - 200 : v));
    expect(measureFrameLight(image, shifted)).toBeNull();
    // A face filling a narrow frame: its sides' cells fall outside, the one above stays.
    const box = landmarksBox(points);
    const narrow = points.map((v, i) => (i % 3 === 0 ? v - box.x + 20 : v));
    const cropped = paint(narrow, Math.ceil(box.width) + 40, height);
    const light = measureFrameLight(cropped, narrow);
    expect(light?.backgroundCells.slice(0, 2)).toEqual([null, null]);
    expect(light?.backgroundCells[2]).not.toBeNull();
    expect(() => measureFrameLight(image, new Float32Array(30))).toThrow(RangeError);
  });
});
