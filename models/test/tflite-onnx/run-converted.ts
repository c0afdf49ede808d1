import { InferenceSession, Tensor } from "onnxruntime-node";
import { convertTfliteToOnnx } from "../../src/tflite-onnx/convert-tflite-to-onnx.ts";
import { buildTfliteFixture, type FixtureModel } from "./build-tflite-fixture.ts";
import type { Nhwc } from "./nhwc-reference.ts";

/**
 * Converts a synthetic one-input model and runs it in onnxruntime-node on an NHWC image (given
 * to ONNX as NCHW, as the converter's layout says). Returns the model's first output in
 * TFLite's element order, which is how the converter lays outputs out.
 */
export async function runConverted(model: FixtureModel, x: Nhwc): Promise<Float32Array> {
  const outputTensor = model.tensors[model.outputs[0] ?? -1];
  if (!outputTensor) throw new Error("fixture has no output");
  const onnx = convertTfliteToOnnx(buildTfliteFixture(model), {
    graphName: "fixture",
    inputName: "input",
    outputs: [{ from: outputTensor.name, name: "output", shape: outputTensor.shape }],
  });
  const session = await InferenceSession.create(onnx);
  const nchw = new Float32Array(x.data.length);
  for (let p = 0; p < x.h * x.w; p++)
    for (let c = 0; c < x.c; c++) nchw[c * x.h * x.w + p] = x.data[p * x.c + c] ?? 0;
  const { output } = await session.run({ input: new Tensor("float32", nchw, [1, x.c, x.h, x.w]) });
  await session.release();
  return output?.data as Float32Array;
}
