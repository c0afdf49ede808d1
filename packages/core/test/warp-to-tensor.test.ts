import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import {
  applyAffine,
  cropToTensor,
  invertAffine,
  rotatedRectTransform,
  warpToTensor,
  type RgbaImage,
} from "../src/index.ts";

const SIDE = 6;

// A 6x6 image whose red channel is x + 10·y, green 50 + x, blue 50 + y: every pixel tells
// where it came from.
function labelled(): RgbaImage {
  const data = new Uint8Array(SIDE * SIDE * 4);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) data.set([x + 10 * y, 50 + x, 50 + y, 255], (y * SIDE + x) * 4);
  }
  return { width: SIDE, height: SIDE, data };
}

function red(tensor: Float32Array, size: number, col: number, row: number): number {
  return tensor[row * size + col] ?? Number.NaN;
}

describe("warpToTensor", () => {
  it("matches cropToTensor for an axis-aligned transform", () => {
    const rect = { x: 0.7, y: -1.3, width: 4.2, height: 5 };
    const crop = cropToTensor(labelled(), rect, { size: 5, scale: 1 });
    const warp = warpToTensor(
      labelled(),
      { a: rect.width / 5, b: 0, c: 0, d: rect.height / 5, e: rect.x, f: rect.y },
      { size: 5, scale: 1 },
    );
    expect([...warp]).toEqual([...crop]);
  });

  it("rotates a crop by 90° pixel for pixel", () => {
    const size = SIDE;
    const roi = { xCenter: 3, yCenter: 3, width: 6, height: 6, rotation: Math.PI / 2 };
    const out = warpToTensor(labelled(), rotatedRectTransform(roi, size), { size, scale: 1 });
    // The crop's x axis runs down the frame and its y axis right to left, so output pixel
    // (col, row) is frame pixel (5 - row, col).
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        expect(red(out, size, col, row)).toBeCloseTo(5 - row + 10 * col, 6);
      }
    }
  });

  it("samples a rotated, scaled crop at the mapped sub-pixel positions", () => {
    // 45° and twice the size: compare every output pixel with a bilinear read of the frame's
    // red channel (x + 10·y is linear, so bilinear is exact inside the image).
    const roi = { xCenter: 3, yCenter: 3, width: 2, height: 2, rotation: Math.PI / 4 };
    const size = 4;
    const cropToFrame = rotatedRectTransform(roi, size);
    const out = warpToTensor(labelled(), cropToFrame, { size, scale: 1 });
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const p = applyAffine(cropToFrame, { x: col + 0.5, y: row + 0.5 });
        expect(red(out, size, col, row)).toBeCloseTo(p.x - 0.5 + 10 * (p.y - 0.5), 4);
      }
    }
  });

  it("fills outside the frame by the chosen border mode", () => {
    // A one-pixel crop centred on frame pixel (-1, 2), beyond the left edge.
    const shift = { a: 1, b: 0, c: 0, d: 1, e: -1, f: 2 };
    const at = (border: "reflect" | "replicate" | "zero"): number[] => [
      ...warpToTensor(labelled(), shift, { size: 1, scale: 1, border }),
    ];
    expect(at("zero")).toEqual([0, 0, 0]);
    expect(at("replicate")).toEqual([0 + 20, 50, 52]);
    expect(at("reflect")).toEqual([1 + 20, 51, 52]);
  });

  it("rejects bad images, transforms and sizes", () => {
    const identity = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 };
    expect(() =>
      warpToTensor({ width: 0, height: 0, data: new Uint8Array(0) }, identity, {
        size: 1,
        scale: 1,
      }),
    ).toThrow(LumenError);
    expect(() =>
      warpToTensor(labelled(), { ...identity, e: Number.NaN }, { size: 1, scale: 1 }),
    ).toThrow(RangeError);
    expect(() => warpToTensor(labelled(), identity, { size: 0, scale: 1 })).toThrow(RangeError);
    expect(() => warpToTensor(labelled(), identity, { size: 2.5, scale: 1 })).toThrow(RangeError);
    expect(() =>
      warpToTensor(labelled(), identity, { size: 2, scale: 1, out: new Float32Array(3) }),
    ).toThrow(RangeError);
  });
});

describe("rotatedRectTransform and invertAffine", () => {
  it("puts the crop's centre on the rect's centre and its corners on the rect's corners", () => {
    const roi = { xCenter: 100, yCenter: 50, width: 40, height: 20, rotation: Math.PI / 2 };
    const t = rotatedRectTransform(roi, 192);
    expect(applyAffine(t, { x: 96, y: 96 }).x).toBeCloseTo(100, 9);
    expect(applyAffine(t, { x: 96, y: 96 }).y).toBeCloseTo(50, 9);
    // Turned 90° clockwise: the crop's top-left corner is the rect's top-right on screen.
    const corner = applyAffine(t, { x: 0, y: 0 });
    expect(corner.x).toBeCloseTo(110, 9);
    expect(corner.y).toBeCloseTo(30, 9);
  });

  it("round-trips points through the inverse", () => {
    const t = rotatedRectTransform(
      { xCenter: 321, yCenter: 123, width: 250, height: 250, rotation: -0.4 },
      192,
    );
    const back = invertAffine(t);
    for (const p of [
      { x: 0, y: 0 },
      { x: 640, y: 480 },
      { x: 300.25, y: 99.5 },
    ]) {
      const q = applyAffine(t, applyAffine(back, p));
      expect(q.x).toBeCloseTo(p.x, 9);
      expect(q.y).toBeCloseTo(p.y, 9);
    }
    expect(() => invertAffine({ a: 1, b: 2, c: 2, d: 4, e: 0, f: 0 })).toThrow(RangeError);
  });

  it("rejects empty or non-finite rects", () => {
    const roi = { xCenter: 0, yCenter: 0, width: 10, height: 10, rotation: 0 };
    expect(() => rotatedRectTransform({ ...roi, width: 0 }, 192)).toThrow(RangeError);
    expect(() => rotatedRectTransform({ ...roi, rotation: Number.NaN }, 192)).toThrow(RangeError);
    expect(() => rotatedRectTransform(roi, 0)).toThrow(RangeError);
  });
});
