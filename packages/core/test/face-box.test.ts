import { describe, expect, it } from "vitest";
import { enlargeToSquare, landmarkBox } from "../src/index.ts";

describe("face boxes", () => {
  it("bounds the landmarks in pixels", () => {
    const box = landmarkBox(
      [
        { x: 0.25, y: 0.5 },
        { x: 0.75, y: 0.25 },
        { x: 0.5, y: 1 },
      ],
      200,
      100,
    );
    expect(box).toEqual({ x: 50, y: 25, width: 100, height: 75 });
    expect(() => landmarkBox([], 1, 1)).toThrow(RangeError);
  });

  it("enlarges the longer side about the centre", () => {
    expect(enlargeToSquare({ x: 10, y: 20, width: 100, height: 80 }, 1.5)).toEqual({
      x: -15,
      y: -15,
      width: 150,
      height: 150,
    });
  });
});
