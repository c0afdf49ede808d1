import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ATTENTION_MESH_REFINEMENT as R } from "../../src/face-landmarker/attention-mesh-refinement.ts";
import { FUSION_TENSOR_NAMES } from "../../src/face-landmarker/attention-mesh-fusion.ts";
import { buildFaceLandmarkerTask } from "../../src/face-landmarker/build-face-landmarker-task.ts";
import { FlatbufferView } from "../../src/tflite/flatbuffer-view.ts";
import { readTfliteModel, type TfliteModelView } from "../../src/tflite/read-tflite-model.ts";
import { BUILTIN_OPERATOR, TENSOR_TYPE } from "../../src/tflite/tflite-schema.ts";
import { readStoredZip } from "../../src/zip/read-stored-zip.ts";
import { faceLandmarkerParts } from "./face-mesh-package.ts";
import { runAppendedOperators } from "./run-appended-operators.ts";

// Large byte arrays compare by hash: element-wise deep equality takes seconds on megabytes.
const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

interface ImageMetadata {
  name: string | undefined;
  colorSpace: number;
  mean: number[];
  std: number[];
}

// Reads back what MediaPipe Tasks looks for: TFLITE_METADATA → M001 → input 0's image
// properties and first normalization unit.
function imageMetadata(model: TfliteModelView): ImageMetadata {
  const entry = model.metadata.find((m) => m.name === "TFLITE_METADATA");
  const bytes = entry && model.buffers[entry.buffer]?.data;
  if (!bytes) throw new Error("no TFLITE_METADATA buffer");
  const root = FlatbufferView.root(bytes, "M001");
  const input = root.tables(3)[0]?.tables(2)[0];
  const content = input?.table(3);
  const unit = input?.tables(4)[0];
  expect(content?.uint8(0, 0)).toBe(2); // ImageProperties
  expect(unit?.uint8(0, 0)).toBe(1); // NormalizationOptions
  return {
    name: root.string(0),
    colorSpace: content?.table(1)?.int8(0, 0) ?? -1,
    mean: unit?.table(1)?.float32s(0) ?? [],
    std: unit?.table(1)?.float32s(1) ?? [],
  };
}

describe("buildFaceLandmarkerTask", () => {
  let parts: ReturnType<typeof faceLandmarkerParts>;
  let task: Uint8Array;
  let members: Map<string, Uint8Array>;

  beforeAll(() => {
    parts = faceLandmarkerParts();
    task = buildFaceLandmarkerTask(parts);
    members = new Map(readStoredZip(task).map((entry) => [entry.name, entry.data]));
  });

  const member = (name: string): Uint8Array => {
    const bytes = members.get(name);
    if (!bytes) throw new Error(`no ${name}`);
    return bytes;
  };

  it("zips exactly the three members, stored and 16-byte aligned", () => {
    const entries = readStoredZip(task);
    expect(entries.map((e) => e.name)).toEqual([
      "face_detector.tflite",
      "face_landmarks_detector.tflite",
      "geometry_pipeline_metadata_landmarks.binarypb",
    ]);
    for (const entry of entries) {
      expect(entry.method, entry.name).toBe(0);
      expect(entry.dataOffset % 16, entry.name).toBe(0);
    }
    expect(sha256(member("geometry_pipeline_metadata_landmarks.binarypb"))).toBe(
      sha256(parts.geometryMetadata),
    );
  });

  it("is byte-identical when built twice", () => {
    expect(sha256(buildFaceLandmarkerTask(faceLandmarkerParts()))).toBe(sha256(task));
  });

  it("gives the detector RGB input metadata normalised to [-1, 1] and leaves its graph alone", () => {
    const original = readTfliteModel(parts.detector);
    const detector = readTfliteModel(member("face_detector.tflite"));
    expect(imageMetadata(detector)).toEqual({
      name: "face_detector",
      colorSpace: 1,
      mean: [127.5],
      std: [127.5],
    });
    const [before, after] = [original.subgraphs[0], detector.subgraphs[0]];
    expect(after?.tensors.map((t) => [t.name, t.shape])).toEqual(
      before?.tensors.map((t) => [t.name, t.shape]),
    );
    expect(after?.operators.length).toBe(before?.operators.length);
    expect(after?.outputs).toEqual(before?.outputs);
    // The original body is kept byte for byte after the new root.
    const body = member("face_detector.tflite").subarray(-parts.detector.length);
    expect(sha256(body)).toBe(sha256(parts.detector));
  });

  it("gives the landmarks model [0, 1] input metadata and the two outputs MediaPipe Tasks reads", () => {
    const model = readTfliteModel(member("face_landmarks_detector.tflite"));
    expect(imageMetadata(model)).toEqual({
      name: "face_landmarks_detector",
      colorSpace: 1,
      mean: [0],
      std: [255],
    });
    const subgraph = model.subgraphs[0];
    const outputs = subgraph?.outputs.map((i) => subgraph.tensors[i]);
    expect(outputs?.map((t) => [t?.name, t?.shape])).toEqual([
      [FUSION_TENSOR_NAMES.landmarks, [1, 1, 1, 1434]],
      ["conv_faceflag", [1, 1, 1, 1]],
    ]);
  });

  it("fuses with GPU-friendly operators only and keeps the added weights small", () => {
    const original = readTfliteModel(parts.landmarksWithAttention);
    const model = readTfliteModel(member("face_landmarks_detector.tflite"));
    const added =
      model.subgraphs[0]?.operators.slice(original.subgraphs[0]?.operators.length) ?? [];
    const used = new Set(added.map((op) => model.operatorCodes[op.opcodeIndex]?.builtinCode));
    const allowed = new Set<number>([
      BUILTIN_OPERATOR.CONV_2D,
      BUILTIN_OPERATOR.DEQUANTIZE,
      BUILTIN_OPERATOR.RESHAPE,
      BUILTIN_OPERATOR.CONCATENATION,
      BUILTIN_OPERATOR.TRANSPOSE,
      BUILTIN_OPERATOR.SLICE,
    ]);
    for (const code of used) expect(allowed.has(code ?? -1), `operator ${code ?? "?"}`).toBe(true);

    const tensors = new Map(model.subgraphs[0]?.tensors.map((t) => [t.name, t]));
    const xy = tensors.get(FUSION_TENSOR_NAMES.xyWeights);
    const z = tensors.get(FUSION_TENSOR_NAMES.zWeights);
    const xySources = R.meshPoints + R.lips.length + R.leftEye.length + R.rightEye.length;
    expect([xy?.shape, xy?.type]).toEqual([[R.meshPoints, 1, 1, xySources], TENSOR_TYPE.FLOAT16]);
    expect([z?.shape, z?.type]).toEqual([
      [2 * R.irisPoints, 1, 1, R.meshPoints],
      TENSOR_TYPE.FLOAT16,
    ]);
    // 468x690 + 10x468 float16 weights, biases, shapes and the new tables: under 700 KB.
    const addedBytes =
      member("face_landmarks_detector.tflite").length - parts.landmarksWithAttention.length;
    expect(addedBytes).toBeLessThan(700_000);
  });

  it("computes MediaPipe's landmark refinement: regions overwrite x,y, irises get the mean contour depth", () => {
    const original = readTfliteModel(parts.landmarksWithAttention);
    const model = readTfliteModel(member("face_landmarks_detector.tflite"));
    const subgraph = original.subgraphs[0];
    if (!subgraph) throw new Error("no subgraph");
    // Distinct values per source so any wrong pick shows: source s, value k → s * 10000 + k.
    const given = new Map<number, Float32Array>();
    subgraph.outputs.forEach((index, source) => {
      const size = subgraph.tensors[index]?.shape.reduce((a, b) => a * b, 1) ?? 0;
      given.set(
        index,
        Float32Array.from({ length: size }, (_, k) => source * 10000 + k),
      );
    });
    const values = runAppendedOperators(model, subgraph.operators.length, given);
    const landmarks = values.get(model.subgraphs[0]?.outputs[0] ?? -1)?.data;

    const mesh = (k: number): number => k; // source 0
    const expected = Array.from({ length: 478 * 3 }, (_, k) => (k < 468 * 3 ? mesh(k) : NaN));
    const regions = [R.lips, R.leftEye, R.rightEye];
    regions.forEach((region, r) => {
      region.forEach((point, k) => {
        expected[point * 3] = (r + 1) * 10000 + 2 * k;
        expected[point * 3 + 1] = (r + 1) * 10000 + 2 * k + 1;
      });
    });
    [R.leftIrisDepth, R.rightIrisDepth].forEach((contour, eye) => {
      const depth = contour.reduce((sum, point) => sum + mesh(point * 3 + 2), 0) / contour.length;
      for (let k = 0; k < R.irisPoints; k++) {
        const point = 468 + eye * R.irisPoints + k;
        expected[point * 3] = (4 + eye) * 10000 + 2 * k;
        expected[point * 3 + 1] = (4 + eye) * 10000 + 2 * k + 1;
        expected[point * 3 + 2] = depth;
      }
    });
    expect(landmarks?.length).toBe(1434);
    // float16 weights are exact for 1 and 1/16; the sums are float32.
    for (let k = 0; k < 1434; k++)
      expect(landmarks?.[k], `value ${k}`).toBeCloseTo(expected[k] ?? NaN, 1);
  });

  it("refuses a landmarks model that is not the attention mesh, and a non-TFLite buffer", () => {
    expect(() =>
      buildFaceLandmarkerTask({ ...parts, landmarksWithAttention: parts.detector }),
    ).toThrow(/no output "output_mesh_identity"/);
    expect(() =>
      buildFaceLandmarkerTask({
        ...parts,
        detector: new TextEncoder().encode("not a model at all"),
      }),
    ).toThrow(/Not a TFLite model/);
    expect(() =>
      buildFaceLandmarkerTask({ ...parts, detector: parts.detector.subarray(0, 1000) }),
    ).toThrow(/outside the 1000-byte buffer/);
  });
});
