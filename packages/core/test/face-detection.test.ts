import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import {
  decodeFaceDetections,
  detectFaces,
  FACE_DETECTOR_ANCHOR_COUNT,
  FACE_DETECTOR_ANCHOR_OPTIONS,
  faceDetectorInput,
  frameToLetterbox,
  letterbox,
  letterboxToFrame,
  sigmoid,
  ssdAnchors,
  weightedNonMaxSuppression,
  type FaceDetection,
  type RgbaImage,
} from "../src/index.ts";

const ROW = 16;

/** Detector outputs where every anchor is confidently "no face". */
function emptyOutputs(): { regressors: Float32Array; classificators: Float32Array } {
  return {
    regressors: new Float32Array(FACE_DETECTOR_ANCHOR_COUNT * ROW),
    classificators: new Float32Array(FACE_DETECTOR_ANCHOR_COUNT).fill(-50),
  };
}

// Anchor 680 is the first anchor of the stride-16 cell at column 4, row 3: 512 + (3·8 + 4)·6.
const ANCHOR = 680;
// A face in input pixels relative to that anchor's centre (72, 56): x, y, w, h, then six
// keypoints. Chosen so the frame-pixel answer below is exact.
const FACE_ROW = [6.4, -3.2, 32, 38.4, -12.8, -6.4, 12.8, -6.4, 0, 0, 0, 12.8, -16, 0, 16, 0];

function uniformImage(width: number, height: number, value: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4).fill(value) };
}

describe("ssdAnchors", () => {
  const anchors = ssdAnchors(FACE_DETECTOR_ANCHOR_OPTIONS);
  const anchor = (i: number): [number, number] => [anchors[2 * i] ?? -1, anchors[2 * i + 1] ?? -1];

  it("lays out MediaPipe's 896 short-range anchors", () => {
    expect(anchors.length).toBe(2 * 896);
    // Stride 8: 16×16 cells, two anchors each, row-major.
    expect(anchor(0)).toEqual([0.5 / 16, 0.5 / 16]);
    expect(anchor(1)).toEqual([0.5 / 16, 0.5 / 16]);
    expect(anchor(2)).toEqual([1.5 / 16, 0.5 / 16]);
    expect(anchor(32)).toEqual([0.5 / 16, 1.5 / 16]);
    expect(anchor(511)).toEqual([15.5 / 16, 15.5 / 16]);
    // The three stride-16 layers share 8×8 cells, six anchors each.
    for (let k = 512; k < 518; k++) expect(anchor(k)).toEqual([0.5 / 8, 0.5 / 8]);
    expect(anchor(518)).toEqual([1.5 / 8, 0.5 / 8]);
    expect(anchor(ANCHOR)).toEqual([4.5 / 8, 3.5 / 8]);
    expect(anchor(894)).toEqual([7.5 / 8, 7.5 / 8]);
    expect(anchor(895)).toEqual([7.5 / 8, 7.5 / 8]);
  });

  it("rejects a zero stride", () => {
    expect(() => ssdAnchors({ ...FACE_DETECTOR_ANCHOR_OPTIONS, strides: [8, 0] })).toThrow(
      RangeError,
    );
  });
});

describe("sigmoid", () => {
  it("clips logits before the logistic", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(2)).toBeCloseTo(0.880797, 6);
    expect(sigmoid(1e6, 100)).toBe(sigmoid(100));
    expect(sigmoid(-1e6, 100)).toBe(sigmoid(-100));
    expect(sigmoid(-1e6, 100)).toBeGreaterThan(0);
    expect(sigmoid(Number.NEGATIVE_INFINITY, 100)).toBe(sigmoid(-100));
    expect(sigmoid(Number.NaN, 100)).toBeNaN();
  });
});

describe("letterbox", () => {
  it("centres the frame in a square with bars on the short axis", () => {
    expect(letterbox(640, 480)).toEqual({ padX: 0, padY: 80, side: 640 });
    expect(letterbox(480, 640)).toEqual({ padX: 80, padY: 0, side: 640 });
    expect(letterbox(7, 7)).toEqual({ padX: 0, padY: 0, side: 7 });
  });

  it("round-trips frame pixels through the normalised square", () => {
    for (const [w, h] of [
      [640, 480],
      [480, 640],
      [333, 333],
      [1, 1000],
    ] as const) {
      const box = letterbox(w, h);
      for (const point of [
        { x: 0, y: 0 },
        { x: w, y: h },
        { x: w * 0.3, y: h * 0.9 },
      ]) {
        const back = letterboxToFrame(box, frameToLetterbox(box, point));
        expect(back.x).toBeCloseTo(point.x, 9);
        expect(back.y).toBeCloseTo(point.y, 9);
      }
    }
    // The square's corners are the bars' outer corners.
    expect(letterboxToFrame(letterbox(640, 480), { x: 0, y: 0 })).toEqual({ x: 0, y: -80 });
    expect(letterboxToFrame(letterbox(640, 480), { x: 1, y: 1 })).toEqual({ x: 640, y: 560 });
  });

  it("rejects empty and fractional frame sizes as invalid images", () => {
    expect(() => letterbox(0, 480)).toThrow(LumenError);
    expect(() => letterbox(640, 0.5)).toThrow(
      expect.objectContaining({ code: "IMAGE_INVALID" }) as Error,
    );
  });
});

describe("faceDetectorInput", () => {
  it("letterboxes with black bars and scales RGB to [-1, 1]", () => {
    // A white 4x2 frame: the square is 4x4 with one black row above and below.
    const { input, letterbox: box } = faceDetectorInput(uniformImage(4, 2, 255));
    expect(box).toEqual({ padX: 0, padY: 1, side: 4 });
    expect(input.length).toBe(3 * 128 * 128);
    const at = (ch: number, row: number, col: number): number =>
      input[ch * 128 * 128 + row * 128 + col] ?? NaN;
    for (let ch = 0; ch < 3; ch++) {
      expect(at(ch, 0, 0)).toBe(-1);
      expect(at(ch, 127, 100)).toBe(-1);
      // The frame's two pixel centres land on output rows 48 and 80: pure white between.
      expect(at(ch, 48, 64)).toBeCloseTo(1, 6);
      expect(at(ch, 64, 64)).toBeCloseTo(1, 6);
      expect(at(ch, 79, 100)).toBeCloseTo(1, 6);
    }
    // Towards the bars the samples blend white with black bilinearly, as OpenCV's
    // BORDER_CONSTANT does in MediaPipe; so does the frame's own edge when upscaling.
    // Row 40 samples frame row -0.234375: 0.765625 white, the rest black.
    expect(at(0, 40, 64)).toBeCloseTo(0.765625 * 2 - 1, 6);
    expect(at(0, 64, 0)).toBeLessThan(1);
  });

  it("refuses zero-size and malformed frames", () => {
    expect(() => faceDetectorInput({ width: 0, height: 0, data: new Uint8Array(0) })).toThrow(
      expect.objectContaining({ code: "IMAGE_INVALID" }) as Error,
    );
    expect(() => faceDetectorInput({ width: 2, height: 2, data: new Uint8Array(15) })).toThrow(
      LumenError,
    );
  });
});

describe("decodeFaceDetections", () => {
  it("decodes a hand-built regressor row into frame pixels", () => {
    const outputs = emptyOutputs();
    outputs.regressors.set(FACE_ROW, ANCHOR * ROW);
    outputs.classificators[ANCHOR] = 2;
    const faces = decodeFaceDetections(outputs, letterbox(640, 480));
    expect(faces).toHaveLength(1);
    const [face] = faces;
    expect(face?.score).toBeCloseTo(sigmoid(2), 6);
    // Centre (0.6125, 0.4125) and size (0.25, 0.3) of the square; ×640, minus the 80 px bar.
    expect(face?.box.x).toBeCloseTo(312, 3);
    expect(face?.box.y).toBeCloseTo(88, 3);
    expect(face?.box.width).toBeCloseTo(160, 3);
    expect(face?.box.height).toBeCloseTo(192, 3);
    const expected = [
      [296, 168],
      [424, 168],
      [360, 200],
      [360, 264],
      [280, 200],
      [440, 200],
    ];
    expect(face?.keypoints).toHaveLength(6);
    face?.keypoints.forEach((point, k) => {
      expect(point.x).toBeCloseTo(expected[k]?.[0] ?? NaN, 3);
      expect(point.y).toBeCloseTo(expected[k]?.[1] ?? NaN, 3);
    });
  });

  it("drops rows under the minimum score and empty boxes", () => {
    const outputs = emptyOutputs();
    outputs.regressors.set(FACE_ROW, ANCHOR * ROW);
    outputs.classificators[ANCHOR] = -0.1; // score 0.475
    expect(decodeFaceDetections(outputs, letterbox(640, 480))).toEqual([]);
    expect(decodeFaceDetections(outputs, letterbox(640, 480), { minScore: 0.4 })).toHaveLength(1);
    outputs.classificators[0] = 5; // a confident row whose box is all zeros
    expect(decodeFaceDetections(outputs, letterbox(640, 480), { minScore: 0.4 })).toHaveLength(1);
  });

  it("merges neighbouring anchors firing on one face and keeps a second face", () => {
    const outputs = emptyOutputs();
    // Two anchors of the same cell see the same face, slightly shifted.
    outputs.regressors.set(FACE_ROW, ANCHOR * ROW);
    outputs.regressors.set(
      FACE_ROW.map((v, i) => (i === 0 || (i >= 4 && i % 2 === 0) ? v + 1.28 : v)),
      (ANCHOR + 1) * ROW,
    );
    outputs.classificators[ANCHOR] = 3;
    outputs.classificators[ANCHOR + 1] = 1;
    // Another face in the top-left stride-8 cell.
    outputs.regressors.set([0, 0, 16, 16, -4, -4, 4, -4, 0, 0, 0, 4, -6, 0, 6, 0], 0);
    outputs.classificators[0] = 0.5;
    const faces = decodeFaceDetections(outputs, letterbox(640, 480));
    expect(faces).toHaveLength(2);
    const [main, small] = faces;
    expect(main?.score).toBeCloseTo(sigmoid(3), 6);
    // x shifted by 1.28 input px = 6.4 frame px, weighted by the two scores.
    const w = sigmoid(1) / (sigmoid(3) + sigmoid(1));
    expect(main?.box.x).toBeCloseTo(312 + 6.4 * w, 3);
    expect(main?.keypoints[0]?.x).toBeCloseTo(296 + 6.4 * w, 3);
    expect(main?.box.width).toBeCloseTo(160, 3);
    expect(small?.score).toBeCloseTo(sigmoid(0.5), 6);
    expect(decodeFaceDetections(outputs, letterbox(640, 480), { maxFaces: 1 })).toHaveLength(1);
  });

  it("rejects outputs of the wrong size or with NaN, and bad options", () => {
    const box = letterbox(640, 480);
    const good = emptyOutputs();
    expect(() =>
      decodeFaceDetections({ ...good, regressors: new Float32Array(896 * 12) }, box),
    ).toThrow(RangeError);
    expect(() =>
      decodeFaceDetections({ ...good, classificators: new Float32Array(895) }, box),
    ).toThrow(RangeError);
    const nanScore = emptyOutputs();
    nanScore.classificators[7] = Number.NaN;
    expect(() => decodeFaceDetections(nanScore, box)).toThrow(/score 7 is NaN/);
    const nanBox = emptyOutputs();
    nanBox.classificators[ANCHOR] = 2;
    nanBox.regressors[ANCHOR * ROW + 5] = Number.NaN;
    expect(() => decodeFaceDetections(nanBox, box)).toThrow(RangeError);
    expect(() => decodeFaceDetections(good, box, { minScore: 1.5 })).toThrow(RangeError);
    expect(() => decodeFaceDetections(good, box, { maxFaces: 0 })).toThrow(RangeError);
    expect(() => decodeFaceDetections(good, box, { minSuppressionIou: Number.NaN })).toThrow(
      RangeError,
    );
  });
});

describe("weightedNonMaxSuppression", () => {
  const face = (score: number, x: number, y: number, side = 10): FaceDetection => ({
    score,
    box: { x, y, width: side, height: side },
    keypoints: [
      { x: x + 3, y: y + 4 },
      { x: x + 7, y: y + 4 },
    ],
  });

  it("blends an overlapping cluster by score and keeps the best score", () => {
    // IoU of the first two: 90 / 110 > 0.3.
    const merged = weightedNonMaxSuppression([face(0.6, 1, 0), face(0.9, 0, 0)], 0.3);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.score).toBe(0.9);
    expect(merged[0]?.box.x).toBeCloseTo(0.4, 9);
    expect(merged[0]?.box.width).toBeCloseTo(10, 9);
    expect(merged[0]?.keypoints[1]?.x).toBeCloseTo(7.4, 9);
    expect(merged[0]?.keypoints[1]?.y).toBeCloseTo(4, 9);
  });

  it("keeps separate faces and boxes under the overlap threshold, best first", () => {
    // face(…, 6, 0) overlaps the first by 40 / 160 = 0.25, under 0.3.
    const kept = weightedNonMaxSuppression(
      [face(0.7, 100, 100), face(0.9, 0, 0), face(0.8, 6, 0)],
      0.3,
    );
    expect(kept.map((f) => f.score)).toEqual([0.9, 0.8, 0.7]);
    expect(kept[0]?.box).toEqual({ x: 0, y: 0, width: 10, height: 10 });
  });

  it("always consumes the best detection, even with an empty box", () => {
    const empty = { ...face(0.9, 0, 0), box: { x: 0, y: 0, width: 0, height: 0 } };
    const kept = weightedNonMaxSuppression([empty, face(0.5, 50, 50)], 0.3);
    expect(kept.map((f) => f.score)).toEqual([0.9, 0.5]);
    expect(weightedNonMaxSuppression([], 0.3)).toEqual([]);
  });
});

describe("detectFaces", () => {
  it("feeds the letterboxed tensor to the injected runner and decodes its outputs", async () => {
    let seen: Float32Array | undefined;
    const faces = await detectFaces(uniformImage(640, 480, 128), (input) => {
      seen = input;
      const outputs = emptyOutputs();
      outputs.regressors.set(FACE_ROW, ANCHOR * ROW);
      outputs.classificators[ANCHOR] = 2;
      return Promise.resolve(outputs);
    });
    expect(seen?.length).toBe(3 * 128 * 128);
    expect(faces).toHaveLength(1);
    expect(faces[0]?.box.x).toBeCloseTo(312, 3);
  });

  it("fails on bad options and frames before running the model", async () => {
    let runs = 0;
    const run = (): Promise<ReturnType<typeof emptyOutputs>> => {
      runs++;
      return Promise.resolve(emptyOutputs());
    };
    await expect(detectFaces(uniformImage(4, 4, 0), run, { minScore: -1 })).rejects.toThrow(
      RangeError,
    );
    await expect(
      detectFaces({ width: 0, height: 0, data: new Uint8Array(0) }, run),
    ).rejects.toThrow(LumenError);
    expect(runs).toBe(0);
  });
});
