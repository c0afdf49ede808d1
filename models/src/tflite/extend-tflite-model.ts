import { Builder } from "flatbuffers";
import { LumenError } from "@lumen/protocol";
import { readTfliteModel, type TfliteModelView } from "./read-tflite-model.ts";

/** A tensor to append to subgraph 0. With `data` it is a constant backed by a new buffer. */
export interface TfliteTensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** A `TENSOR_TYPE` value. */
  readonly type: number;
  readonly data?: Uint8Array;
}

/** An operator to append to subgraph 0 (it runs after every original operator). */
export interface TfliteOperatorSpec {
  /** A `BUILTIN_OPERATOR` value; the operator-code table is extended when needed. */
  readonly builtinCode: number;
  /** Operator version for a new operator code (default 1). */
  readonly version?: number;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** The builtin-options union member: its tag and a writer that returns the table's offset. */
  readonly options?: { readonly type: number; readonly write: (builder: Builder) => number };
}

/** What to add to a model. Tensor indices of new tensors start at the original tensor count. */
export interface TfliteModelExtension {
  readonly tensors?: readonly TfliteTensorSpec[];
  readonly operators?: readonly TfliteOperatorSpec[];
  /** Replaces the outputs of subgraph 0. */
  readonly outputs?: readonly number[];
  /** Named metadata buffers (e.g. `TFLITE_METADATA`); an existing entry of that name is an error. */
  readonly metadata?: readonly { readonly name: string; readonly data: Uint8Array }[];
}

// Field slots of the TFLite schema (schema.fbs).
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 };
const MODEL_MORE = { metadataBuffer: 5, metadata: 6, signatureDefs: 7 };
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 };
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3 };
const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, optionsType: 3, options: 4 };
const OPCODE = { deprecatedBuiltinCode: 0, version: 2, builtinCode: 3 };
// Codes above this live only in the int32 field; below it both fields are written for old readers.
const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;
// TFLite aligns constant buffers to 16 bytes so runtimes can map weights without copying.
const BUFFER_ALIGNMENT = 16;

function invalid(message: string): LumenError {
  return new LumenError("MODEL_SOURCE_INVALID", `Cannot extend the TFLite model: ${message}`);
}

/**
 * An original object at file position `position` is referenced as a builder offset of
 * `-position`: the builder measures offsets from the end of what it wrote, and the original
 * file is placed right after that, so every such offset points forward as flatbuffers require.
 */
function original(position: number): number {
  return -position;
}

function offsetVector(builder: Builder, offsets: readonly number[]): number {
  builder.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) builder.addOffset(offsets[i] ?? 0);
  return builder.endVector();
}

function int32Vector(builder: Builder, values: readonly number[]): number {
  builder.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) builder.addInt32(values[i] ?? 0);
  return builder.endVector();
}

function alignedBytes(builder: Builder, bytes: Uint8Array): number {
  builder.startVector(1, bytes.length, BUFFER_ALIGNMENT);
  for (let i = bytes.length - 1; i >= 0; i--) builder.addInt8(bytes[i] ?? 0);
  return builder.endVector();
}

function checkIndices(what: string, indices: readonly number[], tensorCount: number): void {
  for (const index of indices) {
    if (!Number.isInteger(index) || index < 0 || index >= tensorCount) {
      throw invalid(`${what} refers to tensor ${index}, but there are ${tensorCount}`);
    }
  }
}

function operatorCodeIndices(
  builder: Builder,
  model: TfliteModelView,
  operators: readonly TfliteOperatorSpec[],
): { codes: number[]; indexOf: Map<number, number> } {
  const codes = model.operatorCodes.map((code) => original(code.position));
  const indexOf = new Map<number, number>();
  model.operatorCodes.forEach((code, index) => {
    if (code.customCode === undefined && !indexOf.has(code.builtinCode)) {
      indexOf.set(code.builtinCode, index);
    }
  });
  for (const op of operators) {
    if (indexOf.has(op.builtinCode)) continue;
    builder.startObject(4);
    builder.addFieldInt8(
      OPCODE.deprecatedBuiltinCode,
      Math.min(op.builtinCode, PLACEHOLDER_FOR_GREATER_OP_CODES),
      0,
    );
    builder.addFieldInt32(OPCODE.version, op.version ?? 1, 1);
    builder.addFieldInt32(OPCODE.builtinCode, op.builtinCode, 0);
    indexOf.set(op.builtinCode, codes.length);
    codes.push(builder.endObject());
  }
  return { codes, indexOf };
}

/**
 * Adds tensors, operators, outputs and metadata to a TFLite model without re-serialising it.
 * The result is a new root `Model` table (and the new tables and vectors it needs) written in
 * front of the unchanged original bytes; every original table stays valid because flatbuffer
 * offsets are relative and point forward, and the original body keeps its 16-byte alignment.
 * Only subgraph 0 is edited; other subgraphs are kept as they are.
 *
 * @example
 * ```ts
 * const withMetadata = extendTfliteModel(model, {
 *   metadata: [{ name: "TFLITE_METADATA", data: buildImageModelMetadata(options) }],
 * });
 * ```
 */
export function extendTfliteModel(bytes: Uint8Array, extension: TfliteModelExtension): Uint8Array {
  const model = readTfliteModel(bytes);
  const [subgraph, ...otherSubgraphs] = model.subgraphs;
  if (!subgraph) throw invalid("it has no subgraph");
  if (model.buffers.some((buffer) => buffer.offset !== 0)) {
    // Such buffers hold file positions, which moving the original body would break.
    throw invalid("it keeps buffers outside the flatbuffer (offset/size), which is not supported");
  }
  const tensors = extension.tensors ?? [];
  const operators = extension.operators ?? [];
  const metadata = extension.metadata ?? [];
  const tensorCount = subgraph.tensors.length + tensors.length;
  for (const op of operators) {
    checkIndices(`operator ${op.builtinCode} inputs`, op.inputs, tensorCount);
    checkIndices(`operator ${op.builtinCode} outputs`, op.outputs, tensorCount);
  }
  if (extension.outputs) checkIndices("outputs", extension.outputs, tensorCount);
  for (const entry of metadata) {
    if (model.metadata.some((existing) => existing.name === entry.name)) {
      throw invalid(`it already has a "${entry.name}" metadata entry`);
    }
  }
  if (extension.outputs && model.signatureDefsPosition !== undefined) {
    throw invalid("it has signature definitions, which would no longer match its outputs");
  }

  const builder = new Builder(1 << 20);
  // The output's length is a multiple of the largest alignment used; forcing 16 up front keeps
  // the original body, appended after it, at a 16-byte boundary.
  builder.prep(BUFFER_ALIGNMENT, 0);

  const buffers = model.buffers.map((buffer) => original(buffer.position));
  const newBuffer = (data: Uint8Array): number => {
    const vector = alignedBytes(builder, data);
    builder.startObject(3);
    builder.addFieldOffset(0, vector, 0);
    buffers.push(builder.endObject());
    return buffers.length - 1;
  };

  const tensorTables = subgraph.tensors.map((tensor) => original(tensor.position));
  for (const tensor of tensors) {
    const buffer = tensor.data ? newBuffer(tensor.data) : 0;
    const name = builder.createString(tensor.name);
    const shape = int32Vector(builder, tensor.shape);
    builder.startObject(5);
    builder.addFieldOffset(TENSOR.shape, shape, 0);
    builder.addFieldInt8(TENSOR.type, tensor.type, 0);
    builder.addFieldInt32(TENSOR.buffer, buffer, 0);
    builder.addFieldOffset(TENSOR.name, name, 0);
    tensorTables.push(builder.endObject());
  }

  const { codes, indexOf } = operatorCodeIndices(builder, model, operators);
  const operatorTables = subgraph.operators.map((op) => original(op.position));
  for (const op of operators) {
    const inputs = int32Vector(builder, op.inputs);
    const outputs = int32Vector(builder, op.outputs);
    const options = op.options ? op.options.write(builder) : 0;
    builder.startObject(5);
    builder.addFieldInt32(OPERATOR.opcodeIndex, indexOf.get(op.builtinCode) ?? 0, 0);
    builder.addFieldOffset(OPERATOR.inputs, inputs, 0);
    builder.addFieldOffset(OPERATOR.outputs, outputs, 0);
    if (op.options) {
      builder.addFieldInt8(OPERATOR.optionsType, op.options.type, 0);
      builder.addFieldOffset(OPERATOR.options, options, 0);
    }
    operatorTables.push(builder.endObject());
  }

  const metadataTables = model.metadata.map((entry) => original(entry.position));
  for (const entry of metadata) {
    const buffer = newBuffer(entry.data);
    const name = builder.createString(entry.name);
    builder.startObject(2);
    builder.addFieldOffset(0, name, 0);
    builder.addFieldInt32(1, buffer, 0);
    metadataTables.push(builder.endObject());
  }

  const tensorVector = offsetVector(builder, tensorTables);
  const operatorVector = offsetVector(builder, operatorTables);
  const outputVector = int32Vector(builder, extension.outputs ?? subgraph.outputs);
  const inputVector =
    subgraph.inputsPosition === undefined
      ? int32Vector(builder, [])
      : original(subgraph.inputsPosition);
  builder.startObject(5);
  builder.addFieldOffset(SUBGRAPH.tensors, tensorVector, 0);
  builder.addFieldOffset(SUBGRAPH.inputs, inputVector, 0);
  builder.addFieldOffset(SUBGRAPH.outputs, outputVector, 0);
  builder.addFieldOffset(SUBGRAPH.operators, operatorVector, 0);
  if (subgraph.namePosition !== undefined) {
    builder.addFieldOffset(SUBGRAPH.name, original(subgraph.namePosition), 0);
  }
  const subgraphTable = builder.endObject();

  const subgraphVector = offsetVector(builder, [
    subgraphTable,
    ...otherSubgraphs.map((other) => original(other.position)),
  ]);
  const codeVector = offsetVector(builder, codes);
  const bufferVector = offsetVector(builder, buffers);
  const metadataVector = metadataTables.length > 0 ? offsetVector(builder, metadataTables) : 0;
  builder.startObject(8);
  builder.addFieldInt32(MODEL.version, model.version, 0);
  builder.addFieldOffset(MODEL.operatorCodes, codeVector, 0);
  builder.addFieldOffset(MODEL.subgraphs, subgraphVector, 0);
  if (model.descriptionPosition !== undefined) {
    builder.addFieldOffset(MODEL.description, original(model.descriptionPosition), 0);
  }
  builder.addFieldOffset(MODEL.buffers, bufferVector, 0);
  if (model.metadataBufferPosition !== undefined) {
    builder.addFieldOffset(MODEL_MORE.metadataBuffer, original(model.metadataBufferPosition), 0);
  }
  builder.addFieldOffset(MODEL_MORE.metadata, metadataVector, 0);
  if (model.signatureDefsPosition !== undefined) {
    builder.addFieldOffset(MODEL_MORE.signatureDefs, original(model.signatureDefsPosition), 0);
  }
  builder.finish(builder.endObject(), "TFL3");

  const head = builder.asUint8Array();
  if (head.length % BUFFER_ALIGNMENT !== 0) throw invalid("internal: unaligned header");
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head, 0);
  out.set(bytes, head.length);
  return out;
}
