import { LumenError } from "@lumen/protocol";
import type { OnnxAttribute } from "../onnx/onnx-model.ts";
import type { OnnxGraphBuilder } from "../onnx/onnx-graph-builder.ts";
import { decodeTensorData, type TensorValues } from "./decode-tensor-data.ts";
import { permuteTensor } from "./permute-tensor.ts";
import type { TfliteGraph, TfliteOperator, TfliteTensor } from "./tflite-graph.ts";

// NHWC → NCHW and back, as `Transpose` perms.
const NHWC_TO_NCHW = [0, 3, 1, 2] as const;
const NCHW_TO_NHWC = [0, 2, 3, 1] as const;

// TFLite ActivationFunctionType, as ONNX nodes. SIGN_BIT (5) is not an activation anyone fuses.
const FUSED_ACTIVATIONS = ["NONE", "RELU", "RELU_N1_TO_1", "RELU6", "TANH"] as const;

/** True when moving axes by `perm` keeps every non-1 axis in order: a Reshape does the job. */
function isPureReshape(shape: readonly number[], perm: readonly number[]): boolean {
  const moved = perm.filter((axis) => (shape[axis] ?? 1) !== 1);
  return moved.every((axis, i) => i === 0 || axis > (moved[i - 1] ?? -1));
}

/**
 * The state of one TFLite → ONNX conversion shared by the op mappings: which ONNX value holds
 * each TFLite tensor, constants (including folded DEQUANTIZE results), and unique names.
 *
 * The layout rule it enforces: every rank-4 activation lives in ONNX as NCHW (TFLite's NHWC
 * with axes [0,3,1,2]); every other rank keeps TFLite's axis order. Op mappings read and write
 * values through it and never see the other layout.
 *
 * @example
 * ```ts
 * const context = new TfliteOnnxContext(model, graph);
 * context.define(model.inputs[0], graph.addInput("input", "float32", [1, 3, 128, 128]));
 * const x = context.value(op.inputs[0]); // an ONNX value name, NCHW if rank 4
 * ```
 */
export class TfliteOnnxContext {
  readonly model: TfliteGraph;
  readonly graph: OnnxGraphBuilder;
  readonly #values = new Map<number, string>();
  readonly #constants = new Map<number, TensorValues>();
  readonly #names = new Set<string>();

  constructor(model: TfliteGraph, graph: OnnxGraphBuilder) {
    this.model = model;
    this.graph = graph;
  }

  /** The tensor at `index`; fails on an omitted (-1) or missing index. */
  tensor(index: number | undefined): TfliteTensor {
    const tensor = index === undefined ? undefined : this.model.tensors[index];
    if (!tensor) throw new LumenError("MODEL_SOURCE_INVALID", `No tensor ${index ?? "(none)"}`);
    return tensor;
  }

  /** An input tensor of `op` by position, failing with the op's name when it is absent. */
  input(op: TfliteOperator, position: number): TfliteTensor {
    const index = op.inputs[position];
    if (index === undefined || index < 0) {
      throw new LumenError("MODEL_SOURCE_INVALID", `${op.opName} lacks input ${position}`);
    }
    return this.tensor(index);
  }

  /** The output tensor of `op` at `position` (default the first). */
  output(op: TfliteOperator, position = 0): TfliteTensor {
    const index = op.outputs[position];
    if (index === undefined) {
      throw new LumenError("MODEL_SOURCE_INVALID", `${op.opName} lacks output ${position}`);
    }
    return this.tensor(index);
  }

  /** The values of a constant tensor (stored, or folded at conversion), else undefined. */
  constant(tensor: TfliteTensor): TensorValues | undefined {
    const folded = this.#constants.get(tensor.index);
    if (folded) return folded;
    if (!tensor.data) return undefined;
    const values = decodeTensorData(tensor);
    this.#constants.set(tensor.index, values);
    return values;
  }

  /** Like {@link constant}, but an activation where `op` needs a constant is an error. */
  requireConstant(op: TfliteOperator, tensor: TfliteTensor, role: string): TensorValues {
    const values = this.constant(tensor);
    if (!values) {
      throw new LumenError(
        "MODEL_SOURCE_INVALID",
        `${op.opName} with a computed ${role} ("${tensor.name}") is not supported: it must be a constant`,
      );
    }
    return values;
  }

  /** Records a value computed at conversion time (e.g. a dequantized weight). */
  setConstant(tensor: TfliteTensor, values: TensorValues): void {
    this.#constants.set(tensor.index, values);
  }

  /** A value name not used yet, derived from a TFLite name. */
  uniqueName(base: string): string {
    let name = base === "" ? "value" : base;
    for (let n = 2; this.#names.has(name); n++) name = `${base}_${n}`;
    this.#names.add(name);
    return name;
  }

  /** Adds a float32 or int64 initializer under a unique name; returns that name. */
  initializer(base: string, dims: readonly number[], data: Float32Array | BigInt64Array): string {
    const name = this.uniqueName(base);
    if (data instanceof Float32Array) {
      return this.graph.addInitializer({ name, dataType: "float32", dims, data });
    }
    return this.graph.addInitializer({ name, dataType: "int64", dims, data });
  }

  /** Binds a TFLite tensor to the ONNX value that holds it (in the layout rule's layout). */
  define(tensor: TfliteTensor, name: string): void {
    if (this.#values.has(tensor.index)) {
      throw new LumenError("MODEL_SOURCE_INVALID", `Tensor "${tensor.name}" is written twice`);
    }
    this.#values.set(tensor.index, name);
  }

  /**
   * The ONNX value of a tensor in the layout rule's layout. A constant read as an activation
   * becomes an initializer; rank-4 constants are permuted to NCHW once, here.
   */
  value(tensor: TfliteTensor): string {
    const name = this.#values.get(tensor.index);
    if (name !== undefined) return name;
    const values = this.constant(tensor);
    if (!values) {
      throw new LumenError(
        "MODEL_SOURCE_INVALID",
        `Tensor "${tensor.name}" is read before any operator writes it`,
      );
    }
    const nchw = tensor.shape.length === 4;
    const data = nchw ? permuteTensor(values, tensor.shape, NHWC_TO_NCHW) : values;
    const dims = nchw ? NHWC_TO_NCHW.map((axis) => tensor.shape[axis] ?? 1) : tensor.shape;
    const initializer = this.initializer(
      tensor.name,
      dims,
      data instanceof Float32Array ? data : BigInt64Array.from(data, (v) => BigInt(v)),
    );
    this.#values.set(tensor.index, initializer);
    return initializer;
  }

  /**
   * A float constant that broadcasts against a rank-`rank` activation the way TFLite
   * broadcasts it (from the right, against NHWC): right-aligned with leading 1s to the
   * activation's rank, then, for rank 4, permuted to NCHW so ONNX broadcasts it identically.
   * E.g. a PReLU slope `[1, 1, C]` becomes `[1, C, 1, 1]`.
   */
  broadcastConstant(op: TfliteOperator, tensor: TfliteTensor, rank: number, role: string): string {
    const values = this.requireConstant(op, tensor, role);
    if (tensor.shape.length > rank) {
      throw new LumenError(
        "MODEL_SOURCE_INVALID",
        `${op.opName} ${role} "${tensor.name}" has a higher rank than the activation`,
      );
    }
    const aligned = [...new Array<number>(rank - tensor.shape.length).fill(1), ...tensor.shape];
    const floats = values instanceof Float32Array ? values : Float32Array.from(values);
    if (rank !== 4) return this.initializer(tensor.name, aligned, floats);
    return this.initializer(
      tensor.name,
      NHWC_TO_NCHW.map((axis) => aligned[axis] ?? 1),
      permuteTensor(floats, aligned, NHWC_TO_NCHW),
    );
  }

  /** The ONNX shape of a tensor under the layout rule. */
  onnxShape(tensor: TfliteTensor): number[] {
    return tensor.shape.length === 4
      ? NHWC_TO_NCHW.map((axis) => tensor.shape[axis] ?? 1)
      : [...tensor.shape];
  }

  /**
   * A value with the tensor's elements in TFLite's memory order (NHWC for rank 4), for a
   * Reshape to consume. Its ONNX shape may differ from the TFLite shape, which is why only a
   * Reshape may read it. The Transpose is left out when it would not move any data.
   */
  tfliteOrdered(tensor: TfliteTensor): string {
    const x = this.value(tensor);
    if (tensor.shape.length !== 4) return x;
    const nchw = this.onnxShape(tensor);
    if (isPureReshape(nchw, NCHW_TO_NHWC)) return x;
    return this.graph.addNode("Transpose", [x], {
      outputs: [this.uniqueName(`${tensor.name}/nhwc`)],
      attributes: { perm: { type: "ints", value: NCHW_TO_NHWC } },
    });
  }

  /**
   * Writes `tensor` from a value whose elements are in TFLite memory order: a Reshape to the
   * TFLite shape, then for rank 4 a Transpose to NCHW unless it would not move any data.
   */
  defineFromTfliteOrder(tensor: TfliteTensor, ordered: string): void {
    const { shape } = tensor;
    const nhwcToNchwMovesData = shape.length === 4 && !isPureReshape(shape, NHWC_TO_NCHW);
    const target = nhwcToNchwMovesData ? shape : this.onnxShape(tensor);
    const reshaped = this.graph.addNode(
      "Reshape",
      [ordered, this.initializer(`${tensor.name}/shape`, [target.length], shapeData(target))],
      { outputs: [this.uniqueName(nhwcToNchwMovesData ? `${tensor.name}/nhwc` : tensor.name)] },
    );
    if (!nhwcToNchwMovesData) {
      this.define(tensor, reshaped);
      return;
    }
    this.define(
      tensor,
      this.graph.addNode("Transpose", [reshaped], {
        outputs: [this.uniqueName(tensor.name)],
        attributes: { perm: { type: "ints", value: NHWC_TO_NCHW } },
      }),
    );
  }

  /**
   * Adds `opType` writing the op's first output, followed by the TFLite fused activation when
   * there is one (the node then writes an intermediate value).
   */
  emit(
    op: TfliteOperator,
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, OnnxAttribute>> = {},
  ): void {
    const out = this.output(op);
    const code = op.options.fused_activation_function;
    const activation = FUSED_ACTIVATIONS[typeof code === "number" ? code : 0];
    if (!activation) {
      throw new LumenError(
        "MODEL_SOURCE_INVALID",
        `${op.opName} "${out.name}" has fused activation ${String(code)}, which is not supported`,
      );
    }
    const raw = this.graph.addNode(opType, inputs, {
      outputs: [this.uniqueName(activation === "NONE" ? out.name : `${out.name}/linear`)],
      attributes,
    });
    this.define(out, activation === "NONE" ? raw : this.#activation(activation, raw, out.name));
  }

  #activation(kind: Exclude<(typeof FUSED_ACTIVATIONS)[number], "NONE">, x: string, name: string) {
    const outputs = [this.uniqueName(name)];
    switch (kind) {
      case "RELU":
        return this.graph.addNode("Relu", [x], { outputs });
      case "TANH":
        return this.graph.addNode("Tanh", [x], { outputs });
      case "RELU6":
      case "RELU_N1_TO_1": {
        const [low, high] = kind === "RELU6" ? [0, 6] : [-1, 1];
        const min = this.initializer(`${name}/min`, [], Float32Array.of(low));
        const max = this.initializer(`${name}/max`, [], Float32Array.of(high));
        return this.graph.addNode("Clip", [x, min, max], { outputs });
      }
    }
  }
}

// An int64 shape tensor's data.
function shapeData(shape: readonly number[]): BigInt64Array {
  return BigInt64Array.from(shape, (d) => BigInt(d));
}
