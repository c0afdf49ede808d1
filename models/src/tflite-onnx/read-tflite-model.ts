import { LumenError } from "@lumen/protocol";
import { FlatbufferTable } from "./flatbuffer-table.ts";
import { readBuiltinOptions } from "./read-builtin-options.ts";
import { tfliteBuiltinOpName } from "./tflite-builtin-ops.ts";
import type {
  TfliteModel,
  TfliteOperator,
  TfliteTensor,
  TfliteTensorType,
} from "./tflite-model.ts";

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

function readTensor(
  table: FlatbufferTable,
  index: number,
  buffers: readonly FlatbufferTable[],
): TfliteTensor {
  const shape = table.int32s(0);
  const typeCode = table.int8(1, 0);
  const type = TENSOR_TYPES[typeCode];
  if (!type) throw invalid(`tensor ${index} has unknown type ${typeCode}`);
  const name = table.string(3) ?? `tensor_${index}`;
  if (shape.some((d) => d < 0)) {
    throw invalid(`tensor ${index} "${name}" has a dynamic shape [${shape.join(",")}]`);
  }
  const bufferIndex = table.uint32(2, 0);
  const buffer = buffers[bufferIndex];
  if (bufferIndex !== 0 && !buffer) throw invalid(`tensor ${index} reads missing buffer`);
  // Buffer 0 is the schema's empty sentinel; large models may keep data outside the flatbuffer
  // (Buffer.offset/size), which MediaPipe's files do not use and this reader does not support.
  const data = bufferIndex === 0 ? undefined : buffer?.bytes(0);
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
  if (buffer && (buffer.has(1) || buffer.has(2))) {
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
 * Reads the first subgraph of a TFLite flatbuffer (`TFL3`) into plain data: tensors with their
 * shapes, types and constant bytes, and operators with their builtin options. Read-only and
 * self-contained: no TFLite runtime, no generated schema code. Constant bytes are views into
 * `bytes`, so keep that array unchanged while the model is in use.
 *
 * @throws {LumenError} `MODEL_SOURCE_INVALID` when the bytes are not a TFLite model, are
 *   truncated, or reference tensors, buffers or operator codes that do not exist.
 * @example
 * ```ts
 * const model = readTfliteModel(await readFile("face_detection_short_range.tflite"));
 * model.tensors[model.inputs[0] ?? 0]?.shape; // [1, 128, 128, 3]
 * ```
 */
export function readTfliteModel(bytes: Uint8Array): TfliteModel {
  const root = FlatbufferTable.root(bytes, "TFL3");
  const version = root.uint32(0, 0);
  const opNames = root.tables(1).map((code) => {
    // Codes above 127 live only in builtin_code; older files only fill the deprecated byte.
    const builtin = Math.max(code.int8(0, 0), code.int32(3, 0));
    const name = tfliteBuiltinOpName(builtin);
    return name === "CUSTOM" ? `CUSTOM:${code.string(1) ?? "?"}` : name;
  });
  const buffers = root.tables(4);
  const subgraphs = root.tables(2);
  const subgraph = subgraphs[0];
  if (!subgraph) throw invalid("it has no subgraph");

  const tensors = subgraph.tables(0).map((t, i) => readTensor(t, i, buffers));
  const inputs = subgraph.int32s(1);
  const outputs = subgraph.int32s(2);
  checkIndices(inputs, tensors.length, "a subgraph input");
  checkIndices(outputs, tensors.length, "a subgraph output");

  const operators = subgraph.tables(3).map((op, i): TfliteOperator => {
    const opcodeIndex = op.uint32(0, 0);
    const opName = opNames[opcodeIndex];
    if (opName === undefined) throw invalid(`operator ${i} uses missing opcode ${opcodeIndex}`);
    const opInputs = op.int32s(1);
    const opOutputs = op.int32s(2);
    checkIndices(opInputs, tensors.length, `operator ${i} (${opName})`);
    checkIndices(opOutputs, tensors.length, `operator ${i} (${opName})`);
    return {
      opName,
      inputs: opInputs,
      outputs: opOutputs,
      options: readBuiltinOptions(opName, op.table(4)),
    };
  });
  const description = root.string(3);
  return {
    version,
    ...(description === undefined ? {} : { description }),
    tensors,
    inputs,
    outputs,
    operators,
  };
}
