import { Builder } from "flatbuffers";

/** A tensor of a synthetic TFLite model; constants carry data. */
export interface FixtureTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** Default float32; float16 data is given as raw half bits. */
  readonly type?: "float32" | "float16" | "int32";
  readonly data?: Float32Array | Uint16Array | Int32Array;
}

/** One builtin option: schema slot, kind and value. */
export type FixtureOption =
  | readonly [slot: number, kind: "byte" | "int", value: number]
  | readonly [slot: number, kind: "ints", value: readonly number[]];

export interface FixtureOperator {
  /** The BuiltinOperator code (e.g. 3 for CONV_2D); 32 with `customCode` for a custom op. */
  readonly code: number;
  readonly customCode?: string;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly options?: readonly FixtureOption[];
}

export interface FixtureModel {
  readonly tensors: readonly FixtureTensor[];
  readonly operators: readonly FixtureOperator[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

const TYPE_CODES = { float32: 0, float16: 1, int32: 2 } as const;

function int32Vector(builder: Builder, values: readonly number[]): number {
  builder.startVector(4, values.length, 4);
  for (const value of [...values].reverse()) builder.addInt32(value);
  return builder.endVector();
}

function offsetVector(builder: Builder, offsets: readonly number[]): number {
  builder.startVector(4, offsets.length, 4);
  for (const offset of [...offsets].reverse()) builder.addOffset(offset);
  return builder.endVector();
}

function littleEndianBytes(data: Float32Array | Uint16Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  data.forEach((value, i) => {
    if (data instanceof Float32Array) view.setFloat32(4 * i, value, true);
    else if (data instanceof Uint16Array) view.setUint16(2 * i, value, true);
    else view.setInt32(4 * i, value, true);
  });
  return bytes;
}

/**
 * Writes a small TFLite flatbuffer (`TFL3`, one subgraph) for unit tests, with the npm
 * `flatbuffers` Builder and the schema's field slots; independent of the reader under test.
 */
export function buildTfliteFixture(model: FixtureModel): Uint8Array {
  const builder = new Builder(1024);
  // Options equal to a schema default (0, or -1 for axis) must still be written when a test
  // gives them, or the test would only exercise the reader's defaults.
  builder.forceDefaults(true);
  const codes = [...new Set(model.operators.map((op) => `${op.code}:${op.customCode ?? ""}`))];
  const opcodeOffsets = codes.map((key) => {
    const [code = "0", custom = ""] = key.split(":");
    const customOffset = custom ? builder.createString(custom) : 0;
    builder.startObject(4);
    builder.addFieldInt8(0, Math.min(Number(code), 127), 0);
    if (customOffset) builder.addFieldOffset(1, customOffset, 0);
    builder.addFieldInt32(2, 1, 1);
    builder.addFieldInt32(3, Number(code), 0);
    return builder.endObject();
  });

  const bufferOffsets = [0, ...model.tensors.filter((t) => t.data)].map((tensor) => {
    const data =
      typeof tensor === "number"
        ? 0
        : builder.createByteVector(littleEndianBytes(tensor.data ?? new Float32Array()));
    builder.startObject(3);
    if (data) builder.addFieldOffset(0, data, 0);
    return builder.endObject();
  });

  let nextBuffer = 1;
  const tensorOffsets = model.tensors.map((tensor) => {
    const shape = int32Vector(builder, tensor.shape);
    const name = builder.createString(tensor.name);
    builder.startObject(5);
    builder.addFieldOffset(0, shape, 0);
    builder.addFieldInt8(1, TYPE_CODES[tensor.type ?? "float32"], 0);
    builder.addFieldInt32(2, tensor.data ? nextBuffer++ : 0, 0);
    builder.addFieldOffset(3, name, 0);
    return builder.endObject();
  });

  const operatorOffsets = model.operators.map((op) => {
    const inputs = int32Vector(builder, op.inputs);
    const outputs = int32Vector(builder, op.outputs);
    let options = 0;
    if (op.options) {
      const vectors = op.options.map(([, kind, value]) =>
        kind === "ints" ? int32Vector(builder, value) : 0,
      );
      builder.startObject(8);
      op.options.forEach(([slot, kind, value], i) => {
        if (kind === "byte") builder.addFieldInt8(slot, value, 0);
        else if (kind === "int") builder.addFieldInt32(slot, value, 0);
        else builder.addFieldOffset(slot, vectors[i] ?? 0, 0);
      });
      options = builder.endObject();
    }
    builder.startObject(5);
    builder.addFieldInt32(0, codes.indexOf(`${op.code}:${op.customCode ?? ""}`), 0);
    builder.addFieldOffset(1, inputs, 0);
    builder.addFieldOffset(2, outputs, 0);
    if (options) builder.addFieldOffset(4, options, 0);
    return builder.endObject();
  });

  const tensors = offsetVector(builder, tensorOffsets);
  const inputs = int32Vector(builder, model.inputs);
  const outputs = int32Vector(builder, model.outputs);
  const operators = offsetVector(builder, operatorOffsets);
  builder.startObject(5);
  builder.addFieldOffset(0, tensors, 0);
  builder.addFieldOffset(1, inputs, 0);
  builder.addFieldOffset(2, outputs, 0);
  builder.addFieldOffset(3, operators, 0);
  const subgraph = builder.endObject();

  const operatorCodes = offsetVector(builder, opcodeOffsets);
  const subgraphs = offsetVector(builder, [subgraph]);
  const buffers = offsetVector(builder, bufferOffsets);
  builder.startObject(7);
  builder.addFieldInt32(0, 3, 0);
  builder.addFieldOffset(1, operatorCodes, 0);
  builder.addFieldOffset(2, subgraphs, 0);
  builder.addFieldOffset(4, buffers, 0);
  builder.finish(builder.endObject(), "TFL3");
  return builder.asUint8Array();
}
