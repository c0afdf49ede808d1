import { describe, expect, it, vi } from "vitest";
import {
  analyseFrame,
  FACE_DETECTOR_ANCHOR_COUNT,
  landmarksBox,
  locateFace,
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

/** Runners that find one face: a detector row (anchor 680, as in face-detection.test) and a mesh. */
function faceRunners(): FrameAnalysisRunners {
  const regressors = new Float32Array(FACE_DETECTOR_ANCHOR_COUNT * 16);
  regressors.set(
    [6.4, -3.2, 32, 38.4, -12.8, -6.4, 12.8, -6.4, 0, 0, 0, 12.8, -16, 0, 16, 0],
    680 * 16,
  );
  const classificators = new Float32Array(FACE_DETECTOR_ANCHOR_COUNT).fill(-50);
  classificators[680] = 2;
  // 468 points spread over the middle of the 192 × 192 crop.
  const landmarks = Float32Array.from({ length: 468 * 3 }, (_, i) =>
    i % 3 === 2 ? 0 : 48 + ((i * 7) % 96),
  );
  return {
    detector: () => Promise.resolve({ regressors, classificators }),
    mesh: () => Promise.resolve({ landmarks, faceFlag: [5] }),
    antiSpoof: vi.fn(() => Promise.resolve([2, -1])),
    deepfake: vi.fn(() => Promise.resolve([0.75])),
  };
}

describe("locateFace", () => {
  const image: RgbaImage = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 4) };

  it("finds and meshes the face without running a classifier", async () => {
    const bound = faceRunners();
    const { faces, face } = await locateFace(image, bound);
    expect(faces).toHaveLength(1);
    expect(face?.detection).toBe(faces[0]);
    expect(face?.landmarks.presence).toBeCloseTo(1 / (1 + Math.exp(-5)), 6);
    expect(face?.box).toEqual(landmarksBox(face?.landmarks.points ?? new Float32Array()));
    expect(bound.antiSpoof).not.toHaveBeenCalled();
    expect(bound.deepfake).not.toHaveBeenCalled();
  });

  it("is the first half of analyseFrame: the same face, which analyseFrame then scores", async () => {
    const located = await locateFace(image, faceRunners());
    const analysed = await analyseFrame(image, faceRunners());
    expect(analysed.faces).toEqual(located.faces);
    expect(analysed.face).toMatchObject({
      detection: located.face?.detection,
      landmarks: located.face?.landmarks,
      box: located.face?.box,
      liveness: 3,
      realness: 0.75,
    });
  });

  it("finds nothing on a frame without a face", async () => {
    expect(await locateFace(frame, runners())).toEqual({ faces: [], face: null });
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
