import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { readTfjsWeights, type TfjsWeightsFiles } from "../../src/tfjs/read-tfjs-weights.ts";
import {
  FACE_RECOGNITION_SHARD,
  faceRecognitionFiles,
} from "../face-recognition/face-api-package.ts";

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

function arrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

// Two float32 values, two uint8 codes and one uint16 code, little-endian, in manifest order.
const SPECS: tf.io.WeightsManifestEntry[] = [
  { name: "a", shape: [2], dtype: "float32" },
  {
    name: "b",
    shape: [2],
    dtype: "float32",
    quantization: { dtype: "uint8", scale: 0.5, min: -1 },
  },
  { name: "c", shape: [1], dtype: "float32", quantization: { dtype: "uint16", scale: 2, min: 1 } },
];

function tinyBytes(): Uint8Array {
  const bytes = new Uint8Array(12);
  const view = new DataView(bytes.buffer);
  view.setFloat32(0, 1.5, true);
  view.setFloat32(4, -2, true);
  bytes.set([0, 4], 8);
  view.setUint16(10, 3, true);
  return bytes;
}

function tiny(
  weights: readonly object[] = SPECS,
  shards: Record<string, Uint8Array> = { "w.bin": tinyBytes() },
  paths: readonly string[] = ["w.bin"],
): TfjsWeightsFiles {
  return { manifest: encode([{ paths, weights }]), shards };
}

function failure(files: TfjsWeightsFiles): LumenError {
  try {
    readTfjsWeights(files);
  } catch (err) {
    expect(err).toBeInstanceOf(LumenError);
    expect((err as LumenError).code).toBe("MODEL_SOURCE_INVALID");
    return err as LumenError;
  }
  throw new Error("expected readTfjsWeights to fail");
}

describe("readTfjsWeights", () => {
  it("decodes float32 and uint8/uint16-quantized weights", () => {
    const weights = readTfjsWeights(tiny());
    expect([...weights.keys()]).toEqual(["a", "b", "c"]);
    expect([...(weights.get("a")?.values ?? [])]).toEqual([1.5, -2]);
    expect([...(weights.get("b")?.values ?? [])]).toEqual([-1, 1]);
    expect([...(weights.get("c")?.values ?? [])]).toEqual([7]);
    expect(weights.get("c")?.shape).toEqual([1]);
  });

  it("reads a group spread over several files, in the order of its paths", () => {
    const bytes = tinyBytes();
    const files = tiny(SPECS, { one: bytes.subarray(0, 5), two: bytes.subarray(5) }, [
      "one",
      "two",
    ]);
    expect([...(readTfjsWeights(files).get("a")?.values ?? [])]).toEqual([1.5, -2]);
  });

  it("gives face-api's face recognition weights bit for bit as TF.js decodes them", () => {
    const files = faceRecognitionFiles();
    const groups = JSON.parse(
      new TextDecoder().decode(files.manifest),
    ) as tf.io.WeightsManifestConfig;
    const specs = groups.flatMap((group) => group.weights);
    const bin = files.shards[FACE_RECOGNITION_SHARD] ?? new Uint8Array();
    const reference = tf.io.decodeWeights(arrayBuffer(bin), specs);
    const weights = readTfjsWeights(files);
    expect([...weights.keys()]).toEqual(specs.map((spec) => spec.name));
    // Most weights are uint8-quantized, a few are plain float32: both paths are covered.
    expect(specs.some((spec) => spec.quantization?.dtype === "uint8")).toBe(true);
    expect(specs.some((spec) => !spec.quantization)).toBe(true);
    const bytes = (values: Float32Array) =>
      Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    for (const spec of specs) {
      const ours = weights.get(spec.name);
      const theirs = reference[spec.name]?.dataSync();
      expect(ours?.shape, spec.name).toEqual(spec.shape);
      expect(theirs, spec.name).toBeInstanceOf(Float32Array);
      const same = ours && bytes(ours.values).equals(bytes(theirs as Float32Array));
      expect(same, spec.name).toBe(true);
    }
    tf.dispose(Object.values(reference));
  });

  it("refuses a weights file shorter or longer than its weights", () => {
    const bytes = tinyBytes();
    expect(failure(tiny(SPECS, { "w.bin": bytes.subarray(0, 11) })).message).toMatch(
      /group 0 ends inside c \(11 bytes\)/,
    );
    const longer = new Uint8Array(13);
    longer.set(bytes);
    expect(failure(tiny(SPECS, { "w.bin": longer })).message).toMatch(
      /1 bytes after its last weight/,
    );
  });

  it("refuses a manifest naming a file it was not given", () => {
    expect(failure(tiny(SPECS, {}, ["w.bin"])).message).toMatch(/weights file w\.bin/);
  });

  it("refuses what is not a weights manifest", () => {
    expect(failure({ manifest: encode("x").subarray(1), shards: {} }).message).toMatch(/not JSON/);
    expect(failure({ manifest: encode({ weights: [] }), shards: {} }).message).toMatch(/list/);
    expect(failure(tiny([{ shape: [1], dtype: "float32" }])).message).toMatch(/has no name/);
    expect(failure(tiny([{ name: "a", shape: [-1], dtype: "float32" }])).message).toMatch(
      /a has a malformed shape/,
    );
  });

  it("refuses dtypes and quantizations it does not decode, naming the weight", () => {
    expect(failure(tiny([{ name: "i", shape: [1], dtype: "int32" }])).message).toMatch(
      /i has dtype "int32"/,
    );
    const half = { name: "h", shape: [2], dtype: "float32", quantization: { dtype: "float16" } };
    expect(failure(tiny([half])).message).toMatch(/h is quantized as "float16"/);
    const noScale = { name: "q", shape: [1], dtype: "float32", quantization: { dtype: "uint8" } };
    expect(failure(tiny([noScale])).message).toMatch(/q is quantized without/);
  });

  it("refuses a name listed twice", () => {
    const twice = [
      { name: "a", shape: [2], dtype: "float32" },
      { name: "a", shape: [1], dtype: "float32" },
    ];
    expect(failure(tiny(twice)).message).toMatch(/a is listed twice/);
  });
});
