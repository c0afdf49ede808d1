import { LumenError } from "@lumen/protocol";
import { encodeOnnxModel } from "../onnx/encode-onnx-model.ts";
import { OnnxGraphBuilder } from "../onnx/onnx-graph-builder.ts";
import { readTfliteGraph } from "./read-tflite-graph.ts";
import { TfliteOnnxContext } from "./tflite-onnx-context.ts";
import { TFLITE_OP_MAPPINGS } from "./tflite-op-mappings.ts";

/** One output of the converted model. */
export interface TfliteOnnxOutput {
  /** The name of the TFLite subgraph output tensor it comes from, e.g. `regressors`. */
  readonly from: string;
  /** The ONNX output name. */
  readonly name: string;
  /**
   * The ONNX output shape: the TFLite tensor's elements, in TFLite's row-major (NHWC) order,
   * reshaped to this. Must hold the same number of elements.
   */
  readonly shape: readonly number[];
}

/** Options of {@link convertTfliteToOnnx}. */
export interface ConvertTfliteOptions {
  /** The ONNX graph's name, e.g. `face_detector`. */
  readonly graphName: string;
  /** The ONNX name of the model's single input, which becomes NCHW (see the function). */
  readonly inputName: string;
  /** Every TFLite subgraph output to expose, in the order the ONNX outputs should have. */
  readonly outputs: readonly TfliteOnnxOutput[];
  /** Written as the model's doc string: what the model is, its inputs, outputs and units. */
  readonly docString?: string;
  /** Written into the model's `metadata_props` (e.g. the source file and its SHA-256). */
  readonly metadata?: Readonly<Record<string, string>>;
}

// Bump when the converter's output changes on purpose, so the pinned hashes change with a reason.
const CONVERTER_VERSION = "1";

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", message);
}

/**
 * Converts a float TFLite model (one subgraph, one rank-4 image input) into an ONNX model
 * (IR 8, opset 17), deterministically: the same bytes and options always give the same ONNX
 * bytes. Weights stored as float16 are widened exactly to float32.
 *
 * Layout: the input becomes NCHW, `[N, C, H, W]` float32, holding the same values TFLite takes
 * as NHWC `[N, H, W, C]` (same normalisation: the caller prepares the values). Every rank-4
 * activation inside is NCHW too. Each output is the TFLite tensor's elements in TFLite's own
 * row-major (NHWC) order, reshaped to the requested shape, so the numbers and their order are
 * exactly what TFLite returns.
 *
 * Operators: ADD, CONCATENATION, CONV_2D, DEPTHWISE_CONV_2D, DEQUANTIZE (float16 constants),
 * MAX_POOL_2D, PAD, PRELU, RELU, RESHAPE, with fused NONE/RELU/RELU6/RELU_N1_TO_1/TANH.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the bytes are not a readable TFLite model,
 *   use an operator outside that set (the message names it), or do not match the options.
 * @example
 * ```ts
 * const onnx = convertTfliteToOnnx(tflite, {
 *   graphName: "face_detector",
 *   inputName: "input",
 *   outputs: [
 *     { from: "regressors", name: "regressors", shape: [1, 896, 16] },
 *     { from: "classificators", name: "classificators", shape: [1, 896, 1] },
 *   ],
 * });
 * const session = await InferenceSession.create(onnx);
 * ```
 */
export function convertTfliteToOnnx(tflite: Uint8Array, options: ConvertTfliteOptions): Uint8Array {
  const model = readTfliteGraph(tflite);
  const unsupported = [
    ...new Set(model.operators.map((op) => op.opName).filter((name) => !TFLITE_OP_MAPPINGS[name])),
  ];
  if (unsupported.length > 0) {
    throw invalid(`TFLite operator(s) not supported by the converter: ${unsupported.join(", ")}`);
  }

  const graph = new OnnxGraphBuilder(options.graphName);
  const context = new TfliteOnnxContext(model, graph);
  const [inputIndex, ...extraInputs] = model.inputs;
  const input = context.tensor(inputIndex);
  if (extraInputs.length > 0 || input.shape.length !== 4 || input.type !== "float32") {
    throw invalid(
      `Expected one float32 NHWC input; the model has ${model.inputs.length}, the first ${input.type} [${input.shape.join(",")}]`,
    );
  }
  // Reserved first, so a TFLite tensor that happens to share an I/O name gets a suffix instead.
  for (const name of [options.inputName, ...options.outputs.map((o) => o.name)]) {
    if (context.uniqueName(name) !== name) throw new TypeError(`I/O name "${name}" is used twice`);
  }
  context.define(input, graph.addInput(options.inputName, "float32", context.onnxShape(input)));

  for (const op of model.operators) TFLITE_OP_MAPPINGS[op.opName]?.(context, op);

  const outputTensors = model.outputs.map((index) => context.tensor(index));
  for (const output of options.outputs) {
    const tensor = outputTensors.find((t) => t.name === output.from);
    if (!tensor) {
      throw invalid(
        `The model has no output "${output.from}"; it has ${outputTensors.map((t) => `"${t.name}"`).join(", ")}`,
      );
    }
    const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
    if (count(output.shape) !== count(tensor.shape)) {
      throw invalid(
        `Output "${output.from}" [${tensor.shape.join(",")}] cannot be shaped [${output.shape.join(",")}]`,
      );
    }
    const shape = context.initializer(
      `${output.name}/shape`,
      [output.shape.length],
      BigInt64Array.from(output.shape, (d) => BigInt(d)),
    );
    graph.addNode("Reshape", [context.tfliteOrdered(tensor), shape], { outputs: [output.name] });
    graph.addOutput(output.name, "float32", output.shape);
  }

  return encodeOnnxModel({
    irVersion: 8,
    opsetVersion: 17,
    producerName: "@lumen/models",
    producerVersion: CONVERTER_VERSION,
    ...(options.docString === undefined ? {} : { docString: options.docString }),
    graph: graph.build(),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
}
