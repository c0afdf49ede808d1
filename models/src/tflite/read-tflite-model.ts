import { LumenError } from "@lumen/protocol";
import { FlatbufferView } from "./flatbuffer-view.ts";

/** One tensor of a subgraph; `position` is where its table lies in the file. */
export interface TfliteTensorView {
  readonly position: number;
  readonly name: string;
  readonly shape: readonly number[];
  /** TFLite `TensorType` (FLOAT32 = 0, FLOAT16 = 1, INT32 = 2…). */
  readonly type: number;
  readonly buffer: number;
}

/** One operator of a subgraph. */
export interface TfliteOperatorView {
  readonly position: number;
  readonly opcodeIndex: number;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /**
   * The `builtin_options` table, left unparsed because its fields depend on the operator; the
   * converter reads the ones it maps (`readBuiltinOptions`).
   */
  readonly builtinOptions: FlatbufferView | undefined;
}

/** One entry of the model's operator-code table. */
export interface TfliteOperatorCodeView {
  readonly position: number;
  /** The effective builtin code (the larger of the deprecated int8 and the int32 field). */
  readonly builtinCode: number;
  readonly customCode: string | undefined;
  readonly version: number;
}

/** One subgraph; the `*Position` fields locate its original vectors and strings. */
export interface TfliteSubgraphView {
  readonly position: number;
  readonly tensors: readonly TfliteTensorView[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly operators: readonly TfliteOperatorView[];
  readonly inputsPosition: number | undefined;
  readonly namePosition: number | undefined;
}

/** One entry of `Model.buffers`; `data` is a view into the file. */
export interface TfliteBufferView {
  readonly position: number;
  readonly data: Uint8Array | undefined;
  /** Non-zero only in models that keep weights outside the flatbuffer (files over 2 GB). */
  readonly offset: number;
  readonly size: number;
}

/** One entry of `Model.metadata`: a named pointer to a buffer. */
export interface TfliteMetadataView {
  readonly position: number;
  readonly name: string;
  readonly buffer: number;
}

/**
 * The parts of a TFLite model that the project reads or edits, with the byte position of every
 * table so an editor can keep the original tables and point new offsets at them.
 */
export interface TfliteModelView {
  readonly bytes: Uint8Array;
  readonly version: number;
  readonly operatorCodes: readonly TfliteOperatorCodeView[];
  readonly subgraphs: readonly TfliteSubgraphView[];
  readonly buffers: readonly TfliteBufferView[];
  readonly metadata: readonly TfliteMetadataView[];
  readonly description: string | undefined;
  readonly descriptionPosition: number | undefined;
  readonly metadataBufferPosition: number | undefined;
  readonly signatureDefsPosition: number | undefined;
}

// Field slots of the TFLite schema (schema.fbs): the numbers are the schema's field ids.
const MODEL = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 } as const;
const MODEL_MORE = { metadataBuffer: 5, metadata: 6, signatureDefs: 7 } as const;
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;
const TENSOR = { shape: 0, type: 1, buffer: 2, name: 3 } as const;
const OPERATOR = { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptions: 4 } as const;
const OPCODE = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 } as const;
const BUFFER = { data: 0, offset: 1, size: 2 } as const;
const METADATA = { name: 0, buffer: 1 } as const;

function readSubgraph(table: FlatbufferView): TfliteSubgraphView {
  return {
    position: table.position,
    tensors: table.tables(SUBGRAPH.tensors).map((tensor) => ({
      position: tensor.position,
      name: tensor.string(TENSOR.name) ?? "",
      shape: tensor.int32s(TENSOR.shape),
      type: tensor.int8(TENSOR.type, 0),
      buffer: tensor.uint32(TENSOR.buffer, 0),
    })),
    inputs: table.int32s(SUBGRAPH.inputs),
    outputs: table.int32s(SUBGRAPH.outputs),
    operators: table.tables(SUBGRAPH.operators).map((op) => ({
      position: op.position,
      opcodeIndex: op.uint32(OPERATOR.opcodeIndex, 0),
      inputs: op.int32s(OPERATOR.inputs),
      outputs: op.int32s(OPERATOR.outputs),
      builtinOptions: op.table(OPERATOR.builtinOptions),
    })),
    inputsPosition: table.fieldTarget(SUBGRAPH.inputs),
    namePosition: table.fieldTarget(SUBGRAPH.name),
  };
}

/**
 * Reads the structure of a `.tflite` file (identifier `TFL3`): the one TFLite reader behind both
 * the in-place editor and the TFLite→ONNX converter (`readTfliteGraph` types its first
 * subgraph). Throws `MODEL_SOURCE_INVALID` when the bytes are not a TFLite flatbuffer or an
 * offset leads outside the file. Data and byte arrays are views into `bytes`.
 *
 * @example
 * ```ts
 * const model = readTfliteModel(bytes);
 * const [input] = model.subgraphs[0]?.inputs ?? [];
 * ```
 */
export function readTfliteModel(bytes: Uint8Array): TfliteModelView {
  const model = FlatbufferView.root(bytes, "TFL3", "TFLite model");
  const subgraphs = model.tables(MODEL.subgraphs).map(readSubgraph);
  if (subgraphs.length === 0) {
    throw new LumenError("MODEL_SOURCE_INVALID", "The TFLite model has no subgraph");
  }
  return {
    bytes,
    version: model.uint32(MODEL.version, 0),
    operatorCodes: model.tables(MODEL.operatorCodes).map((code) => ({
      position: code.position,
      // Codes above 127 live only in builtin_code; older files only fill the deprecated byte.
      builtinCode: Math.max(
        code.int8(OPCODE.deprecatedBuiltinCode, 0),
        code.int32(OPCODE.builtinCode, 0),
      ),
      customCode: code.string(OPCODE.customCode),
      version: code.int32(OPCODE.version, 1),
    })),
    subgraphs,
    buffers: model.tables(MODEL.buffers).map((buffer) => ({
      position: buffer.position,
      data: buffer.bytes(BUFFER.data),
      offset: buffer.uint64(BUFFER.offset, 0),
      size: buffer.uint64(BUFFER.size, 0),
    })),
    metadata: model.tables(MODEL_MORE.metadata).map((entry) => ({
      position: entry.position,
      name: entry.string(METADATA.name) ?? "",
      buffer: entry.uint32(METADATA.buffer, 0),
    })),
    description: model.string(MODEL.description),
    descriptionPosition: model.fieldTarget(MODEL.description),
    metadataBufferPosition: model.fieldTarget(MODEL_MORE.metadataBuffer),
    signatureDefsPosition: model.fieldTarget(MODEL_MORE.signatureDefs),
  };
}
