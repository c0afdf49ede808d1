import { describe, expect, it } from "vitest";
import { LumenError } from "@lumen/protocol";
import { convertTfliteToOnnx } from "../../src/tflite-onnx/convert-tflite-to-onnx.ts";
import { float16ToFloat32 } from "../../src/tflite-onnx/float16-to-float32.ts";
import { readTfliteGraph } from "../../src/tflite-onnx/read-tflite-graph.ts";
import { tfPadding } from "../../src/tflite-onnx/tf-padding.ts";
import { buildTfliteFixture, type FixtureModel } from "./build-tflite-fixture.ts";
import { readFaceMeshTflite } from "./face-mesh-tflite.ts";
import { seededUniform } from "../helpers/seeded-uniform.ts";

const RELU_MODEL: FixtureModel = {
  tensors: [
    { name: "input", shape: [1, 2, 2, 1] },
    { name: "out", shape: [1, 2, 2, 1] },
  ],
  operators: [{ code: 19, inputs: [0], outputs: [1] }],
  inputs: [0],
  outputs: [1],
};
const RELU_OPTIONS = {
  graphName: "t",
  inputName: "input",
  outputs: [{ from: "out", name: "output", shape: [1, 4] }],
} as const;

function failure(run: () => unknown): LumenError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(LumenError);
    return err as LumenError;
  }
  throw new Error("expected a LumenError");
}

describe("float16ToFloat32", () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x0000, 0],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])("0x%s → %s", (bits, value) => {
    expect(float16ToFloat32(bits)).toBe(value);
  });

  it("keeps the sign of zero and reads NaN", () => {
    expect(Object.is(float16ToFloat32(0x8000), -0)).toBe(true);
    expect(float16ToFloat32(0x7e00)).toBeNaN();
  });
});

describe("tfPadding", () => {
  const window = { strideHeight: 2, strideWidth: 2, dilationHeight: 1, dilationWidth: 1 };
  it.each([
    // [input, kernel] → [before, after], worked out from TensorFlow's SAME definition.
    [64, 3, [0, 1]],
    [7, 3, [1, 1]],
    [6, 3, [0, 1]],
    [5, 2, [0, 1]],
    [6, 5, [1, 2]],
  ])("SAME, stride 2: input %i, kernel %i → %j", (size, kernel, [before, after]) => {
    const pads = tfPadding({
      ...window,
      padding: 0,
      inputHeight: size,
      inputWidth: size,
      kernelHeight: kernel,
      kernelWidth: kernel,
    });
    expect(pads).toEqual([before, before, after, after]);
  });

  it("VALID pads nothing", () => {
    expect(
      tfPadding({
        ...window,
        padding: 1,
        inputHeight: 7,
        inputWidth: 7,
        kernelHeight: 3,
        kernelWidth: 3,
      }),
    ).toEqual([0, 0, 0, 0]);
  });
});

describe("readTfliteModel", () => {
  it("reads MediaPipe's BlazeFace: I/O, op set, float16 weights", async () => {
    const model = readTfliteGraph(await readFaceMeshTflite("face_detection_short_range.tflite"));
    expect(model.version).toBe(3);
    const io = (indices: readonly number[]) =>
      indices.map((i) => [model.tensors[i]?.name, model.tensors[i]?.shape]);
    expect(io(model.inputs)).toEqual([["input", [1, 128, 128, 3]]]);
    expect(io(model.outputs)).toEqual([
      ["regressors", [1, 896, 16]],
      ["classificators", [1, 896, 1]],
    ]);
    expect(new Set(model.operators.map((op) => op.opName))).toEqual(
      new Set([
        "DEQUANTIZE",
        "CONV_2D",
        "RELU",
        "DEPTHWISE_CONV_2D",
        "ADD",
        "PAD",
        "MAX_POOL_2D",
        "RESHAPE",
        "CONCATENATION",
      ]),
    );
    const first = model.operators.find((op) => op.opName === "CONV_2D");
    expect(first?.options).toMatchObject({ padding: 0, stride_w: 2, stride_h: 2 });
    expect(model.tensors.filter((t) => t.data).map((t) => t.type)).toContain("float16");
  });

  it("reads MediaPipe's 468-point face mesh: I/O and op set", async () => {
    const model = readTfliteGraph(await readFaceMeshTflite("face_landmark.tflite"));
    const io = (indices: readonly number[]) =>
      indices.map((i) => [model.tensors[i]?.name, model.tensors[i]?.shape]);
    expect(io(model.inputs)).toEqual([["input_1", [1, 192, 192, 3]]]);
    expect(io(model.outputs)).toEqual([
      ["conv2d_21", [1, 1, 1, 1404]],
      ["conv2d_31", [1, 1, 1, 1]],
    ]);
    expect(new Set(model.operators.map((op) => op.opName))).toEqual(
      new Set(["DEQUANTIZE", "CONV_2D", "PRELU", "DEPTHWISE_CONV_2D", "ADD", "MAX_POOL_2D", "PAD"]),
    );
  });

  it("refuses bytes that are not TFLite", () => {
    for (const bytes of [new Uint8Array(0), new TextEncoder().encode("definitely not a model")]) {
      const err = failure(() => readTfliteGraph(bytes));
      expect(err.code).toBe("MODEL_SOURCE_INVALID");
      expect(err.message).toMatch(/TFL3/);
    }
  });

  it("refuses a TFL3 identifier followed by garbage", () => {
    const garbage = Uint8Array.from(seededUniform(3, 4096, -1, 1), (v) =>
      Math.floor((v + 1) * 128),
    );
    garbage.set(new TextEncoder().encode("TFL3"), 4);
    for (const root of [0x10, 0x7fff_fff0, 4000]) {
      new DataView(garbage.buffer).setUint32(0, root, true);
      expect(failure(() => readTfliteGraph(garbage)).code).toBe("MODEL_SOURCE_INVALID");
    }
  });

  it("refuses truncated files, whether the cut falls in the tables or in the weights", async () => {
    const tflite = await readFaceMeshTflite("face_detection_short_range.tflite");
    for (const length of [8, 64, 4096, tflite.length >> 1, tflite.length - 1]) {
      const err = failure(() => convertTfliteToOnnx(tflite.subarray(0, length), RELU_OPTIONS));
      expect(err.code).toBe("MODEL_SOURCE_INVALID");
      expect(err.message).toMatch(/Not a readable TFLite model/);
    }
  });

  it("refuses a constant whose bytes do not match its shape", () => {
    const model: FixtureModel = {
      ...RELU_MODEL,
      tensors: [...RELU_MODEL.tensors, { name: "short", shape: [4], data: new Float32Array(3) }],
    };
    const err = failure(() => readTfliteGraph(buildTfliteFixture(model)));
    expect(err.message).toMatch(/"short" holds 12 bytes/);
  });
});

describe("convertTfliteToOnnx refusals", () => {
  it("names every unsupported operator, builtin and custom", () => {
    const model: FixtureModel = {
      tensors: [
        { name: "input", shape: [1, 2, 2, 1] },
        { name: "soft", shape: [1, 2, 2, 1] },
        { name: "out", shape: [1, 2, 2, 1] },
      ],
      operators: [
        { code: 25, inputs: [0], outputs: [1] },
        { code: 32, customCode: "Landmarks2TransformMatrix", inputs: [1], outputs: [2] },
      ],
      inputs: [0],
      outputs: [2],
    };
    const err = failure(() => convertTfliteToOnnx(buildTfliteFixture(model), RELU_OPTIONS));
    expect(err.code).toBe("MODEL_SOURCE_INVALID");
    expect(err.message).toContain("SOFTMAX");
    expect(err.message).toContain("CUSTOM:Landmarks2TransformMatrix");
  });

  it("refuses an output name the model does not have, listing those it has", () => {
    const err = failure(() =>
      convertTfliteToOnnx(buildTfliteFixture(RELU_MODEL), {
        ...RELU_OPTIONS,
        outputs: [{ from: "nope", name: "output", shape: [1, 4] }],
      }),
    );
    expect(err.message).toMatch(/no output "nope"; it has "out"/);
  });

  it("refuses an output shape with another element count", () => {
    const err = failure(() =>
      convertTfliteToOnnx(buildTfliteFixture(RELU_MODEL), {
        ...RELU_OPTIONS,
        outputs: [{ from: "out", name: "output", shape: [1, 5] }],
      }),
    );
    expect(err.message).toMatch(/cannot be shaped \[1,5\]/);
  });

  it("refuses a fused activation it does not know", () => {
    const model: FixtureModel = {
      ...RELU_MODEL,
      tensors: [...RELU_MODEL.tensors, { name: "b", shape: [1], data: Float32Array.of(1) }],
      operators: [{ code: 0, inputs: [0, 2], outputs: [1], options: [[0, "byte", 5]] }],
    };
    const err = failure(() => convertTfliteToOnnx(buildTfliteFixture(model), RELU_OPTIONS));
    expect(err.message).toMatch(/fused activation 5/);
  });

  it("refuses a convolution whose filter is computed, not constant", () => {
    const model: FixtureModel = {
      tensors: [
        { name: "input", shape: [1, 2, 2, 1] },
        { name: "filter", shape: [1, 1, 1, 1] },
        { name: "out", shape: [1, 2, 2, 1] },
      ],
      operators: [
        { code: 19, inputs: [0], outputs: [1] },
        {
          code: 3,
          inputs: [0, 1, -1],
          outputs: [2],
          options: [
            [1, "int", 1],
            [2, "int", 1],
          ],
        },
      ],
      inputs: [0],
      outputs: [2],
    };
    const err = failure(() => convertTfliteToOnnx(buildTfliteFixture(model), RELU_OPTIONS));
    expect(err.message).toMatch(/CONV_2D with a computed filter \("filter"\)/);
  });
});
