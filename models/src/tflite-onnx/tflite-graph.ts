/**
 * A TFLite model's first subgraph as typed plain data, read by `readTfliteGraph`: only what a
 * converter needs (tensors and operators, with constant data and parsed builtin options).
 *
 * @example
 * ```ts
 * const model: TfliteGraph = readTfliteGraph(bytes);
 * const ops = new Set(model.operators.map((op) => op.opName)); // e.g. CONV_2D, PRELU…
 * ```
 */
export interface TfliteGraph {
  /** The schema version the file declares (3 for every current TFLite file). */
  readonly version: number;
  readonly description?: string;
  readonly tensors: readonly TfliteTensor[];
  /** Tensor indices of the subgraph's inputs and outputs, in the model's order. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** In execution order, which TFLite guarantees to be topological. */
  readonly operators: readonly TfliteOperator[];
}

/** Element types of TFLite tensors (`TensorType` in the schema). */
export type TfliteTensorType =
  | "float32"
  | "float16"
  | "int32"
  | "uint8"
  | "int64"
  | "string"
  | "bool"
  | "int16"
  | "complex64"
  | "int8"
  | "float64";

/** One tensor: an activation, or a constant when `data` is present. */
export interface TfliteTensor {
  readonly index: number;
  readonly name: string;
  /** TFLite's own layout: NHWC for images, `[out, kh, kw, in]` for conv kernels. */
  readonly shape: readonly number[];
  readonly type: TfliteTensorType;
  /** The constant's raw little-endian bytes (a view into the file); absent for activations. */
  readonly data?: Uint8Array;
}

/** One operator application. */
export interface TfliteOperator {
  /** The builtin operator's schema name (`CONV_2D`), or `CUSTOM:<code>` for a custom op. */
  readonly opName: string;
  /** Tensor indices; -1 marks an omitted optional input. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /**
   * The builtin options the converter knows for this op, by schema field name (e.g.
   * `stride_w`), with schema defaults filled in; empty for ops it has no table for.
   */
  readonly options: Readonly<Record<string, number | readonly number[]>>;
}
