import { InferenceSession, Tensor } from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { convertFaceRecognitionToOnnx } from "../../src/face-recognition/convert-face-recognition.ts";
import type { TfjsWeightsFiles } from "../../src/tfjs/read-tfjs-weights.ts";
import { chwToHwc } from "../helpers/chw-to-hwc.ts";
import { concatFloat32 } from "../helpers/concat-float32.ts";
import { loadStillChw } from "../helpers/load-still-chw.ts";
import { maxAbsDiff } from "../helpers/max-abs-diff.ts";
import { seededUniform } from "../helpers/seeded-uniform.ts";
import { faceRecognitionFiles } from "./face-api-package.ts";
import { createFaceApiReference, type FaceApiReference } from "./face-api-reference.ts";

// Face crops (whole images of tight face stills), raw RGB 0..255 as the model takes them.
const FACE_STILLS = [
  "mesonet-real00240.jpg",
  "mesonet-real00772.jpg",
  "mesonet-df00204.jpg",
  "human-ai-face.jpg",
] as const;
const SIZE = 150;
const PLANE = 3 * SIZE * SIZE;
const EMBEDDING = 128;
const TOLERANCE = 1e-4;
// dlib's (and the converted graph's) input divisor, and @vladmandic/face-api 1.7.15's.
const DLIB_DIVISOR = 256;
const FACE_API_DIVISOR = 255;

function mirrored(chw: Float32Array): Float32Array {
  const out = new Float32Array(chw.length);
  for (let row = 0; row < chw.length / SIZE; row++)
    for (let col = 0; col < SIZE; col++) {
      out[row * SIZE + col] = chw[row * SIZE + SIZE - 1 - col] ?? NaN;
    }
  return out;
}

function distance(embeddings: Float32Array, a: number, b: number): number {
  let sum = 0;
  for (let i = 0; i < EMBEDDING; i++) {
    const d = (embeddings[a * EMBEDDING + i] ?? NaN) - (embeddings[b * EMBEDDING + i] ?? NaN);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

describe("convertFaceRecognitionToOnnx", () => {
  let files: TfjsWeightsFiles;
  let onnx: Uint8Array;
  let session: InferenceSession;
  let faceApi: FaceApiReference;
  let faces: Float32Array;

  async function runOnnx(nchw: Float32Array, batch: number): Promise<Float32Array> {
    const { embedding } = await session.run({
      input: new Tensor("float32", nchw, [batch, 3, SIZE, SIZE]),
    });
    expect(embedding?.dims).toEqual([batch, EMBEDDING]);
    return embedding?.data as Float32Array;
  }

  beforeAll(async () => {
    files = faceRecognitionFiles();
    onnx = convertFaceRecognitionToOnnx(files);
    session = await InferenceSession.create(onnx);
    faceApi = await createFaceApiReference(files);
    faces = concatFloat32(await Promise.all(FACE_STILLS.map((n) => loadStillChw(n, SIZE, 1))));
  });

  it("declares input [N,3,150,150] and output embedding [N,128]", () => {
    expect(session.inputNames).toEqual(["input"]);
    expect(session.outputNames).toEqual(["embedding"]);
  });

  it("matches face-api's FaceRecognitionNet run by TF.js on face crops", async () => {
    const batch = FACE_STILLS.length;
    const fromOnnx = await runOnnx(faces, batch);
    const fromFaceApi = faceApi(chwToHwc(faces, SIZE), batch, DLIB_DIVISOR);
    const diff = maxAbsDiff(fromOnnx, fromFaceApi);
    console.info(`face recognition ONNX vs face-api on ${batch} face crops: max |Δ| ${diff}`);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it("matches face-api's FaceRecognitionNet on seeded noise over 0..255", async () => {
    const noise = concatFloat32([1, 2].map((seed) => seededUniform(seed, PLANE, 0, 255)));
    const fromOnnx = await runOnnx(noise, 2);
    const diff = maxAbsDiff(fromOnnx, faceApi(chwToHwc(noise, SIZE), 2, DLIB_DIVISOR));
    console.info(`face recognition ONNX vs face-api on 2 noise images: max |Δ| ${diff}`);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it("differs from face-api 1.7.15's division by 255 by far less than a match threshold", async () => {
    const batch = FACE_STILLS.length;
    const ours = await runOnnx(faces, batch);
    const theirs = faceApi(chwToHwc(faces, SIZE), batch, FACE_API_DIVISOR);
    const shifts = FACE_STILLS.map((_, i) =>
      distance(
        concatFloat32([
          ours.subarray(i * EMBEDDING, (i + 1) * EMBEDDING),
          theirs.subarray(i * EMBEDDING, (i + 1) * EMBEDDING),
        ]),
        0,
        1,
      ),
    );
    console.info(
      `face recognition /256 (dlib) vs /255 (face-api 1.7.15): max |Δ| ${maxAbsDiff(ours, theirs)}, Euclidean ${Math.max(...shifts)}`,
    );
    expect(Math.max(...shifts)).toBeLessThan(0.05);
  });

  it("embeds a face alike alone and in a batch", async () => {
    const batched = await runOnnx(faces, FACE_STILLS.length);
    const alone = await runOnnx(faces.subarray(PLANE, 2 * PLANE), 1);
    expect(maxAbsDiff(alone, batched.subarray(EMBEDDING, 2 * EMBEDDING))).toBeLessThan(1e-5);
  });

  it("places each face nearer its mirror image than any other face", async () => {
    const count = FACE_STILLS.length;
    const mirrors = concatFloat32(
      FACE_STILLS.map((_, i) => mirrored(faces.subarray(i * PLANE, (i + 1) * PLANE))),
    );
    const embeddings = await runOnnx(concatFloat32([faces, mirrors]), 2 * count);
    for (let i = 0; i < count; i++) {
      const own = distance(embeddings, i, count + i);
      for (let j = 0; j < count; j++) {
        if (j !== i) expect(own, FACE_STILLS[i]).toBeLessThan(distance(embeddings, i, j));
      }
    }
  });

  it("is deterministic: two conversions are byte-identical", () => {
    expect(Buffer.from(convertFaceRecognitionToOnnx(files)).equals(Buffer.from(onnx))).toBe(true);
  });
});
