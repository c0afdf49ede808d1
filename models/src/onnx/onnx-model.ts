/**
 * An ONNX model as plain data: the subset of `onnx.proto` Lumen's converters write. Built with
 * {@link OnnxGraphBuilder}, serialised with `encodeOnnxModel`.
 *
 * @example
 * ```ts
 * const model: OnnxModel = {
 *   irVersion: 8,
 *   opsetVersion: 17,
 *   producerName: "lumen-models",
 *   producerVersion: "1",
 *   graph: builder.build(),
 * };
 * ```
 */
export interface OnnxModel {
  /** The ONNX IR version; 8 pairs with opsets up to 18. */
  readonly irVersion: number;
  /** The version of the default (`ai.onnx`) operator set the graph uses. */
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly graph: OnnxGraph;
  readonly docString?: string;
  /** Written as `metadata_props`, sorted by key so the bytes do not depend on insertion order. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A graph: nodes in topological order, weights, and typed inputs and outputs. */
export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly docString?: string;
}

/** One operator application. */
export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  /** Value names; an empty string skips an optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, OnnxAttribute>>;
  /** Empty or absent for the default `ai.onnx` domain. */
  readonly domain?: string;
}

/**
 * A typed attribute value. The type is explicit because ONNX runtimes reject, say, an INT where
 * the operator wants a FLOAT, and a JS number cannot tell `1` from `1.0`.
 */
export type OnnxAttribute =
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "int"; readonly value: number }
  | { readonly type: "string"; readonly value: string }
  | { readonly type: "tensor"; readonly value: OnnxTensor }
  | { readonly type: "floats"; readonly value: readonly number[] }
  | { readonly type: "ints"; readonly value: readonly number[] };

/** Element types with the typed array that holds them (`float16` as raw IEEE half bits). */
export interface OnnxTensorDataByType {
  readonly float32: Float32Array;
  readonly float16: Uint16Array;
  readonly int8: Int8Array;
  readonly uint8: Uint8Array;
  readonly int32: Int32Array;
  readonly int64: BigInt64Array;
  readonly bool: Uint8Array;
}

/** An ONNX element type. */
export type OnnxDataType = keyof OnnxTensorDataByType;

/** A constant tensor: an initializer, or the value of a `tensor` attribute. */
export type OnnxTensor = {
  [T in OnnxDataType]: {
    readonly name: string;
    readonly dataType: T;
    readonly dims: readonly number[];
    /** Row-major elements; written little-endian as `raw_data`. */
    readonly data: OnnxTensorDataByType[T];
  };
}[OnnxDataType];

/** A dimension: a fixed size, or a name for a size known only at run time (e.g. `"N"`). */
export type OnnxDim = number | string;

/** The name, element type and shape of a graph input or output. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dataType: OnnxDataType;
  readonly shape: readonly OnnxDim[];
}
