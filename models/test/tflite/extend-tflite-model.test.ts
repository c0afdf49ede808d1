import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { buildImageModelMetadata } from "../../src/tflite/build-image-model-metadata.ts";
import { extendTfliteModel } from "../../src/tflite/extend-tflite-model.ts";
import { readTfliteModel } from "../../src/tflite/read-tflite-model.ts";
import { BUILTIN_OPERATOR, TENSOR_TYPE } from "../../src/tflite/tflite-schema.ts";
import { faceLandmarkerParts } from "../face-landmarker/face-mesh-package.ts";

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

describe("extendTfliteModel", () => {
  let detector: Uint8Array;
  beforeAll(() => {
    detector = faceLandmarkerParts().detector.slice();
  });

  it("adds a metadata buffer in front of the unchanged, 16-byte aligned original", () => {
    const data = buildImageModelMetadata({
      name: "m",
      inputName: "input",
      mean: [0],
      std: [1],
      outputNames: [],
    });
    const extended = extendTfliteModel(detector, { metadata: [{ name: "TFLITE_METADATA", data }] });
    const head = extended.length - detector.length;
    expect(head % 16).toBe(0);
    expect(sha256(extended.subarray(head))).toBe(sha256(detector));
    const before = readTfliteModel(detector);
    const after = readTfliteModel(extended);
    expect(after.buffers).toHaveLength(before.buffers.length + 1);
    expect(after.metadata.map((m) => m.name)).toEqual(["TFLITE_METADATA"]);
    const stored = after.buffers[after.metadata[0]?.buffer ?? -1]?.data;
    expect(stored).toEqual(data);
    expect((stored?.byteOffset ?? 1) % 16).toBe(0);
    // Original tables read the same through the new root.
    expect(after.subgraphs[0]?.tensors).toEqual(
      before.subgraphs[0]?.tensors.map((t) => ({ ...t, position: t.position + head })),
    );
    expect(after.buffers.slice(0, -1).map((b) => b.data && sha256(b.data))).toEqual(
      before.buffers.map((b) => b.data && sha256(b.data)),
    );
  });

  it("appends tensors, operators and operator codes, and replaces the outputs", () => {
    const before = readTfliteModel(detector);
    const subgraph = before.subgraphs[0];
    const [regressors = -1] = subgraph?.outputs ?? [];
    const base = subgraph?.tensors.length ?? 0;
    const extended = extendTfliteModel(detector, {
      tensors: [
        {
          name: "perm",
          shape: [3],
          type: TENSOR_TYPE.INT32,
          data: new Uint8Array(Int32Array.of(0, 2, 1).buffer),
        },
        { name: "swapped", shape: [1, 16, 896], type: TENSOR_TYPE.FLOAT32 },
      ],
      operators: [
        {
          builtinCode: BUILTIN_OPERATOR.TRANSPOSE,
          inputs: [regressors, base],
          outputs: [base + 1],
        },
      ],
      outputs: [base + 1],
    });
    const after = readTfliteModel(extended);
    const added = after.subgraphs[0]?.operators.at(-1);
    expect(after.operatorCodes[added?.opcodeIndex ?? -1]?.builtinCode).toBe(
      BUILTIN_OPERATOR.TRANSPOSE,
    );
    expect(added?.inputs).toEqual([regressors, base]);
    expect(after.subgraphs[0]?.outputs).toEqual([base + 1]);
    expect(after.subgraphs[0]?.tensors.at(-1)).toMatchObject({
      name: "swapped",
      shape: [1, 16, 896],
    });
    expect(after.operatorCodes).toHaveLength(before.operatorCodes.length + 1);
  });

  it("refuses bad tensor indices and a duplicate metadata name", () => {
    expect(() =>
      extendTfliteModel(detector, {
        operators: [{ builtinCode: 22, inputs: [99999], outputs: [0] }],
      }),
    ).toThrow(/refers to tensor 99999/);
    const once = extendTfliteModel(detector, {
      metadata: [{ name: "X", data: new Uint8Array(4) }],
    });
    expect(() =>
      extendTfliteModel(once, { metadata: [{ name: "X", data: new Uint8Array(4) }] }),
    ).toThrow(/already has a "X" metadata entry/);
  });

  it("refuses a buffer that is not a TFLite model with MODEL_SOURCE_INVALID", () => {
    for (const bytes of [
      new Uint8Array(0),
      new TextEncoder().encode("PK\u0003\u0004 not a model"),
    ]) {
      let error: unknown;
      try {
        extendTfliteModel(bytes, {});
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(LumenError);
      expect((error as LumenError).code).toBe("MODEL_SOURCE_INVALID");
      expect((error as LumenError).message).toMatch(/Not a TFLite model/);
    }
  });
});
