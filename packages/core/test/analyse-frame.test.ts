import { describe, expect, it } from "vitest";
import {
  analyseFrame,
  landmarksBox,
  type FrameAnalysisRunners,
  type RgbaImage,
} from "../src/index.ts";

const frame: RgbaImage = { width: 64, height: 48, data: new Uint8Array(64 * 48 * 4) };

function runners(overrides: Partial<FrameAnalysisRunners> = {}): FrameAnalysisRunners {
  const none: FrameAnalysisRunners = {
    detector: () =>
      Promise.resolve({
        regressors: new Float32Array(896 * 16),
        classificators: new Float32Array(896).fill(-10),
      }),
    mesh: () => Promise.reject(new Error("the mesh must not run without a face")),
    antiSpoof: () => Promise.reject(new Error("MiniFASNet must not run without a face")),
    deepfake: () => Promise.reject(new Error("MesoNet must not run without a face")),
  };
  return { ...none, ...overrides };
}

describe("analyseFrame", () => {
  it("stops after the detector when there is no face", async () => {
    expect(await analyseFrame(frame, runners())).toEqual({ faces: [], face: null });
  });

  it("passes model failures through instead of inventing a result", async () => {
    const broken = runners({ detector: () => Promise.reject(new Error("session lost")) });
    await expect(analyseFrame(frame, broken)).rejects.toThrow("session lost");
  });
});

describe("landmarksBox", () => {
  it("bounds x, y triples and ignores z", () => {
    expect(landmarksBox(new Float32Array([10, 20, 99, 30, 5, -99, 20, 40, 0]))).toEqual({
      x: 10,
      y: 5,
      width: 20,
      height: 35,
    });
  });

  it("rejects ragged or non-finite landmarks", () => {
    expect(() => landmarksBox(new Float32Array([1, 2]))).toThrow(RangeError);
    expect(() => landmarksBox(new Float32Array([1, Number.NaN, 0]))).toThrow(RangeError);
  });
});
