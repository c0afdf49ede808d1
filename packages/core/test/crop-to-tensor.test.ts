import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { cropToTensor, type RgbaImage } from "../src/index.ts";

// A 4x3 image whose red channel is 10·x + y, green 100 + x, blue 200 + y.
function gradient(): RgbaImage {
  const width = 4;
  const height = 3;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data.set([10 * x + y, 100 + x, 200 + y, 255], i);
    }
  }
  return { width, height, data };
}

describe("cropToTensor", () => {
  it("copies pixels exactly when the crop is the image at the same size", () => {
    const square: RgbaImage = {
      width: 2,
      height: 2,
      data: new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255, 10, 11, 12, 255]),
    };
    const out = cropToTensor(square, { x: 0, y: 0, width: 2, height: 2 }, { size: 2, scale: 1 });
    expect([...out]).toEqual([1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12]);
  });

  it("interpolates bilinearly between pixel centres", () => {
    const onPixel = cropToTensor(
      gradient(),
      { x: 1, y: 1, width: 1, height: 1 },
      { size: 1, scale: 1 },
    );
    // A one-pixel crop at (1, 1) samples exactly pixel (1, 1): red 10·1 + 1.
    expect([...onPixel]).toEqual([11, 101, 201]);
    const between = cropToTensor(
      gradient(),
      { x: 0.5, y: 0.5, width: 1, height: 1 },
      { size: 1, scale: 1 },
    );
    // Half a pixel off samples halfway between pixels (0, 0) and (1, 1) on both axes.
    expect(between[0]).toBeCloseTo(5.5, 5);
    expect(between[1]).toBeCloseTo(100.5, 5);
    expect(between[2]).toBeCloseTo(200.5, 5);
  });

  it("fills outside the image by reflection without repeating the edge", () => {
    const out = cropToTensor(
      gradient(),
      { x: -2, y: 0, width: 1, height: 1 },
      { size: 1, scale: 1 },
    );
    // Pixel column -2 reflects to column 2, row 0: red 20.
    expect(out[0]).toBeCloseTo(20, 6);
  });

  it("scales values and writes into a given array", () => {
    const target = new Float32Array(3 * 4);
    const out = cropToTensor(
      gradient(),
      { x: 0, y: 0, width: 2, height: 2 },
      { size: 2, scale: 1 / 255, out: target },
    );
    expect(out).toBe(target);
    expect(out[4]).toBeCloseTo(100 / 255, 6);
  });

  it("adds an offset after scaling, for [-1, 1] models", () => {
    const out = cropToTensor(
      gradient(),
      { x: 1, y: 1, width: 1, height: 1 },
      { size: 1, scale: 2 / 255, offset: -1 },
    );
    expect(out[0]).toBeCloseTo((11 * 2) / 255 - 1, 6);
    expect(out[2]).toBeCloseTo((201 * 2) / 255 - 1, 6);
  });

  it("fills outside the image with black or the edge pixel when asked", () => {
    const rect = { x: -2, y: 0, width: 1, height: 1 };
    const zero = cropToTensor(gradient(), rect, {
      size: 1,
      scale: 2 / 255,
      offset: -1,
      border: "zero",
    });
    expect([...zero]).toEqual([-1, -1, -1]);
    const replicate = cropToTensor(gradient(), rect, { size: 1, scale: 1, border: "replicate" });
    // Column -2 repeats column 0, row 0.
    expect([...replicate]).toEqual([0, 100, 200]);
  });

  it("rejects malformed images, empty crops and wrong output sizes", () => {
    const bad: RgbaImage = { width: 4, height: 3, data: new Uint8Array(10) };
    expect(() =>
      cropToTensor(bad, { x: 0, y: 0, width: 1, height: 1 }, { size: 1, scale: 1 }),
    ).toThrow(LumenError);
    expect(() =>
      cropToTensor(gradient(), { x: 0, y: 0, width: 0, height: 1 }, { size: 1, scale: 1 }),
    ).toThrow(LumenError);
    expect(() =>
      cropToTensor(gradient(), { x: Number.NaN, y: 0, width: 1, height: 1 }, { size: 1, scale: 1 }),
    ).toThrow(LumenError);
    expect(() =>
      cropToTensor(
        gradient(),
        { x: 0, y: 0, width: 1, height: 1 },
        { size: 2, scale: 1, out: new Float32Array(3) },
      ),
    ).toThrow(RangeError);
  });
});
