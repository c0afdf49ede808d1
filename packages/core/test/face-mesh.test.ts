import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import {
  applyAffine,
  decodeFaceMesh,
  detectFaceLandmarks,
  FACE_MESH_LANDMARK_COUNT,
  faceMeshInput,
  faceMeshRoi,
  invertAffine,
  rotatedRectTransform,
  type FaceDetection,
  type PixelPoint,
  type RgbaImage,
} from "../src/index.ts";

function detection(rightEye: PixelPoint, leftEye: PixelPoint): FaceDetection {
  return {
    score: 0.9,
    box: { x: 100, y: 200, width: 100, height: 80 },
    keypoints: [
      rightEye,
      leftEye,
      { x: 150, y: 240 },
      { x: 150, y: 260 },
      { x: 90, y: 230 },
      { x: 210, y: 230 },
    ],
  };
}

const frame: RgbaImage = { width: 64, height: 48, data: new Uint8Array(64 * 48 * 4).fill(200) };

describe("faceMeshRoi", () => {
  it("is a 1.5x square about the box centre, upright for level eyes", () => {
    expect(faceMeshRoi(detection({ x: 120, y: 230 }, { x: 180, y: 230 }))).toEqual({
      xCenter: 150,
      yCenter: 240,
      width: 150,
      height: 150,
      rotation: 0,
    });
    expect(faceMeshRoi(detection({ x: 120, y: 230 }, { x: 180, y: 230 }), { scale: 2 }).width).toBe(
      200,
    );
  });

  it("turns with the eye line, clockwise on screen, into [-π, π)", () => {
    const roll = (to: PixelPoint): number => faceMeshRoi(detection({ x: 0, y: 0 }, to)).rotation;
    expect(roll({ x: 10, y: 10 })).toBeCloseTo(Math.PI / 4, 12);
    expect(roll({ x: 0, y: 10 })).toBeCloseTo(Math.PI / 2, 12);
    expect(roll({ x: 10, y: -10 })).toBeCloseTo(-Math.PI / 4, 12);
    // Upside down: the eyes swapped left for right.
    expect(roll({ x: -10, y: 0 })).toBeCloseTo(-Math.PI, 12);
  });

  it("levels the eyes in the crop", () => {
    const face = detection({ x: 120, y: 215 }, { x: 175, y: 248 });
    const frameToCrop = invertAffine(rotatedRectTransform(faceMeshRoi(face), 192));
    const [right, left] = face.keypoints.map((p) => applyAffine(frameToCrop, p));
    expect(right?.y).toBeCloseTo(left?.y ?? NaN, 9);
    expect(right?.x).toBeLessThan(left?.x ?? NaN);
  });

  it("rejects detections it cannot place", () => {
    const face = detection({ x: 120, y: 230 }, { x: 180, y: 230 });
    expect(() => faceMeshRoi({ ...face, keypoints: face.keypoints.slice(0, 1) })).toThrow(
      RangeError,
    );
    expect(() => faceMeshRoi({ ...face, box: { ...face.box, x: Number.NaN } })).toThrow(RangeError);
    expect(() => faceMeshRoi({ ...face, box: { ...face.box, width: 0, height: 0 } })).toThrow(
      RangeError,
    );
    expect(() => faceMeshRoi(face, { scale: 0 })).toThrow(RangeError);
  });
});

describe("decodeFaceMesh", () => {
  const roi = { xCenter: 320, yCenter: 240, width: 300, height: 300, rotation: 0.35 };

  it("projects landmarks back to the frame points they were cut from", () => {
    const frameToCrop = invertAffine(rotatedRectTransform(roi, 192));
    const truth: PixelPoint[] = [];
    const landmarks = new Float32Array(FACE_MESH_LANDMARK_COUNT * 3);
    for (let i = 0; i < FACE_MESH_LANDMARK_COUNT; i++) {
      const p = { x: 200 + (i % 30) * 8, y: 120 + Math.floor(i / 30) * 15 };
      truth.push(p);
      const inCrop = applyAffine(frameToCrop, p);
      landmarks.set([inCrop.x, inCrop.y, i === 0 ? 19.2 : 0], i * 3);
    }
    const mesh = decodeFaceMesh({ landmarks, faceFlag: [3] }, roi);
    expect(mesh.points).toHaveLength(1404);
    truth.forEach((p, i) => {
      expect(mesh.points[i * 3]).toBeCloseTo(p.x, 2);
      expect(mesh.points[i * 3 + 1]).toBeCloseTo(p.y, 2);
    });
    // z scales like x: 19.2 of 192 input pixels across a 300 px crop.
    expect(mesh.points[2]).toBeCloseTo(30, 4);
    expect(mesh.presence).toBeCloseTo(1 / (1 + Math.exp(-3)), 9);
    expect(mesh.roi).toBe(roi);
  });

  it("maps the crop's centre to the ROI's centre", () => {
    const landmarks = new Float32Array(1404).fill(96);
    const mesh = decodeFaceMesh({ landmarks, faceFlag: new Float32Array([0]) }, roi);
    expect(mesh.points[0]).toBeCloseTo(320, 3);
    expect(mesh.points[1]).toBeCloseTo(240, 3);
    expect(mesh.presence).toBe(0.5);
  });

  it("rejects outputs of the wrong size or not finite", () => {
    const landmarks = new Float32Array(1404);
    expect(() => decodeFaceMesh({ landmarks: new Float32Array(1434), faceFlag: [0] }, roi)).toThrow(
      RangeError,
    );
    expect(() => decodeFaceMesh({ landmarks, faceFlag: [] }, roi)).toThrow(RangeError);
    expect(() => decodeFaceMesh({ landmarks, faceFlag: [Number.NaN] }, roi)).toThrow(RangeError);
    const nan = new Float32Array(1404);
    nan[700] = Number.NaN;
    expect(() => decodeFaceMesh({ landmarks: nan, faceFlag: [0] }, roi)).toThrow(/Landmark 233/);
    expect(() =>
      decodeFaceMesh({ landmarks, faceFlag: [0] }, roi, { out: new Float32Array(3) }),
    ).toThrow(RangeError);
  });
});

describe("faceMeshInput and detectFaceLandmarks", () => {
  const roi = { xCenter: 32, yCenter: 24, width: 30, height: 30, rotation: 0.2 };

  it("crops 192x192 in [0, 1], repeating edge pixels outside the frame", () => {
    const input = faceMeshInput(frame, { ...roi, width: 200, height: 200 });
    expect(input).toHaveLength(3 * 192 * 192);
    // The frame is uniformly 200, and the replicated border keeps it so everywhere.
    expect(Math.min(...input)).toBeCloseTo(200 / 255, 6);
    expect(Math.max(...input)).toBeCloseTo(200 / 255, 6);
  });

  it("runs the injected mesh and gates on presence", async () => {
    const landmarks = new Float32Array(1404).fill(96);
    let seen = 0;
    const run = (flag: number) => (input: Float32Array) => {
      seen = input.length;
      return Promise.resolve({ landmarks, faceFlag: [flag] });
    };
    const mesh = await detectFaceLandmarks(frame, roi, run(2));
    expect(seen).toBe(3 * 192 * 192);
    expect(mesh?.points[0]).toBeCloseTo(32, 3);
    expect(await detectFaceLandmarks(frame, roi, run(-2))).toBeNull();
    expect(await detectFaceLandmarks(frame, roi, run(-2), { minPresence: 0.1 })).not.toBeNull();
    await expect(detectFaceLandmarks(frame, roi, run(0), { minPresence: 2 })).rejects.toThrow(
      RangeError,
    );
    await expect(
      detectFaceLandmarks({ width: 1, height: 1, data: new Uint8Array(3) }, roi, run(0)),
    ).rejects.toThrow(LumenError);
  });
});
