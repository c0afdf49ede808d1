import { LumenError } from "@lumen/protocol";
import {
  readTfliteModel,
  type TfliteBufferView,
  type TfliteTensorView,
} from "../tflite/read-tflite-model.ts";
import { readBuiltinOptions } from "./read-builtin-options.ts";
import { tfliteBuiltinOpName } from "./tflite-builtin-ops.ts";
import type {
  TfliteGraph,
  TfliteOperator,
  TfliteTensor,
  TfliteTensorType,
} from "./tflite-graph.ts";

// TensorType enum order of the schema.
const TENSOR_TYPES: readonly TfliteTensorType[] = [
  "float32",
  "float16",
  "int32",
  "uint8",
  "int64",
  "string",
  "bool",
  "int16",
  "complex64",
  "int8",
  "float64",
];

const BYTES_PER_ELEMENT: Readonly<Partial<Record<TfliteTensorType, number>>> = {
  float32: 4,
  float16: 2,
  int32: 4,
  uint8: 1,
  int64: 8,
  bool: 1,
  int16: 2,
  int8: 1,
  float64: 8,
};

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Not a readable TFLite model: ${message}`);
}

function typeTensor(
  view: TfliteTensorView,
  index: number,
  buffers: readonly TfliteBufferView[],
): TfliteTensor {
  const { shape } = view;
  const type = TENSOR_TYPES[view.type];
  if (!type) throw invalid(`tensor ${index} has unknown type ${view.type}`);
  // The shared reader reads an absent name as ""; ONNX needs a non-empty one.
  const name = view.name || `tensor_${index}`;
  if (shape.some((d) => d < 0)) {
    throw invalid(`tensor ${index} "${name}" has a dynamic shape [${shape.join(",")}]`);
  }
  const buffer = buffers[view.buffer];
  if (view.buffer !== 0 && !buffer) throw invalid(`tensor ${index} reads missing buffer`);
  // Buffer 0 is the schema's empty sentinel; large models may keep data outside the flatbuffer
  // (Buffer.offset/size), which MediaPipe's files do not use and this reader does not support.
  const data = view.buffer === 0 ? undefined : buffer?.data;
  if (data && data.length > 0) {
    const size = BYTES_PER_ELEMENT[type];
    const count = shape.reduce((a, b) => a * b, 1);
    if (size !== undefined && data.length !== count * size) {
      throw invalid(
        `tensor ${index} "${name}" holds ${data.length} bytes for ${type} [${shape.join(",")}]`,
      );
    }
    return { index, name, shape, type, data };
  }
  if (buffer && (buffer.offset !== 0 || buffer.size !== 0)) {
    throw invalid(`tensor ${index} "${name}" keeps its data outside the flatbuffer`);
  }
  return { index, name, shape, type };
}

function checkIndices(indices: readonly number[], tensorCount: number, what: string): void {
  for (const i of indices) {
    if (!(i >= -1 && i < tensorCount)) throw invalid(`${what} names tensor ${i}`);
  }
}

/**
 * Reads the first subgraph of a TFLite flatbuffer (`TFL3`) into typed plain data: tensors with
 * their shapes, types and constant bytes, and operators with their builtin options. It types and
 * validates what the shared `readTfliteModel` parses, so the converter and the model editor
 * read files the same way. Constant bytes are views into `bytes`, so keep that array unchanged
 * while the model is in use.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the bytes are not a TFLite model, are
 *   truncated, or reference tensors, buffers or operator codes that do not exist.
 * @example
 * ```ts
 * const model = readTfliteGraph(await readFile("face_detection_short_range.tflite"));
 * model.tensors[model.inputs[0] ?? 0]?.shape; // [1, 128, 128, 3]
 * ```
 */
export function readTfliteGraph(bytes: Uint8Array): TfliteGraph {
  const model = readTfliteModel(bytes);
  const opNames = model.operatorCodes.map(({ builtinCode, customCode }) => {
    const name = tfliteBuiltinOpName(builtinCode);
    return name === "CUSTOM" ? `CUSTOM:${customCode ?? "?"}` : name;
  });
  const subgraph = model.subgraphs[0];
  // readTfliteModel already refuses a model without one; this narrows the type.
  if (!subgraph) throw invalid("it has no subgraph");

  const tensors = subgraph.tensors.map((t, i) => typeTensor(t, i, model.buffers));
  const { inputs, outputs } = subgraph;
  checkIndices(inputs, tensors.length, "a subgraph input");
  checkIndices(outputs, tensors.length, "a subgraph output");

  const operators = subgraph.operators.map((op, i): TfliteOperator => {
    const opName = opNames[op.opcodeIndex];
    if (opName === undefined) throw invalid(`operator ${i} uses missing opcode ${op.opcodeIndex}`);
    checkIndices(op.inputs, tensors.length, `operator ${i} (${opName})`);
    checkIndices(op.outputs, tensors.length, `operator ${i} (${opName})`);
    return {
      opName,
      inputs: op.inputs,
      outputs: op.outputs,
      options: readBuiltinOptions(opName, op.builtinOptions),
    };
  });
  const { version, description } = model;
  return {
    version,
    ...(description === undefined ? {} : { description }),
    tensors,
    inputs,
    outputs,
    operators,
  };
}
