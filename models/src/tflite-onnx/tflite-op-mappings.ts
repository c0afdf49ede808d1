import { LumenError } from "@lumen/protocol";
import type { OnnxAttribute } from "../onnx/onnx-model.ts";
import { permuteTensor } from "./permute-tensor.ts";
import { tfPadding } from "./tf-padding.ts";
import type { TfliteOnnxContext } from "./tflite-onnx-context.ts";
import type { TfliteOperator, TfliteTensor } from "./tflite-graph.ts";

/** Emits the ONNX nodes of one TFLite operator into the conversion's context. */
type OpMapping = (context: TfliteOnnxContext, op: TfliteOperator) => void;

// NHWC axis → NCHW axis, for ops that take an axis on a rank-4 tensor.
const NHWC_AXIS_IN_NCHW: readonly number[] = [0, 2, 3, 1];

function int(op: TfliteOperator, name: string): number {
  const value = op.options[name];
  if (typeof value !== "number") throw new TypeError(`${op.opName} has no option ${name}`);
  return value;
}

function ints(value: readonly number[]): OnnxAttribute {
  return { type: "ints", value };
}

function requireRank(op: TfliteOperator, tensor: TfliteTensor, rank: number): void {
  if (tensor.shape.length !== rank) {
    throw new LumenError(
      "MODEL_SOURCE_INVALID",
      `${op.opName} on "${tensor.name}" of shape [${tensor.shape.join(",")}]: rank ${rank} expected`,
    );
  }
}

// ONNX computes its own output size from the pads; checking it against the size TFLite
// recorded catches a padding mistake at conversion rather than as a shape error at run time.
function checkWindowOutput(
  op: TfliteOperator,
  input: TfliteTensor,
  output: TfliteTensor,
  kernel: readonly [number, number],
  stride: readonly [number, number],
  dilation: readonly [number, number],
  pads: readonly number[],
): void {
  for (const axis of [0, 1] as const) {
    const size = input.shape[axis + 1] ?? 0;
    const extent = (kernel[axis] - 1) * dilation[axis] + 1;
    const padded = size + (pads[axis] ?? 0) + (pads[axis + 2] ?? 0);
    const expected = Math.floor((padded - extent) / stride[axis]) + 1;
    if (expected !== output.shape[axis + 1]) {
      throw new LumenError(
        "MODEL_SOURCE_INVALID",
        `${op.opName} "${output.name}": padding gives size ${expected}, the model says ${output.shape[axis + 1] ?? "?"}`,
      );
    }
  }
}

function convolution(context: TfliteOnnxContext, op: TfliteOperator, depthwise: boolean): void {
  const input = context.input(op, 0);
  const filter = context.input(op, 1);
  const output = context.output(op);
  requireRank(op, input, 4);
  requireRank(op, filter, 4);
  const kernelData = context.requireConstant(op, filter, "filter");
  if (!(kernelData instanceof Float32Array)) {
    throw new LumenError(
      "MODEL_SOURCE_INVALID",
      `${op.opName} filter "${filter.name}" is not float`,
    );
  }
  const [, kh = 1, kw = 1] = filter.shape;
  const inChannels = input.shape[3] ?? 1;
  const outChannels = output.shape[3] ?? 1;
  // TFLite kernels: conv [out, kh, kw, in], depthwise [1, kh, kw, in·multiplier]. ONNX wants
  // [out, in/group, kh, kw]; a depthwise conv is a grouped conv with one group per channel,
  // and TFLite's channel order c·multiplier + m is exactly ONNX's group-major order.
  const perm = depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2];
  const weightDims = perm.map((axis) => filter.shape[axis] ?? 1);
  if ((weightDims[0] ?? 0) !== outChannels) {
    throw new LumenError(
      "MODEL_SOURCE_INVALID",
      `${op.opName} "${output.name}": filter [${filter.shape.join(",")}] gives ${weightDims[0] ?? 0} channels, not ${outChannels}`,
    );
  }
  const inputs = [
    context.value(input),
    context.initializer(filter.name, weightDims, permuteTensor(kernelData, filter.shape, perm)),
  ];
  const biasIndex = op.inputs[2];
  if (biasIndex !== undefined && biasIndex >= 0) {
    const bias = context.tensor(biasIndex);
    const biasData = context.requireConstant(op, bias, "bias");
    inputs.push(context.initializer(bias.name, [outChannels], Float32Array.from(biasData)));
  }
  const stride = [int(op, "stride_h"), int(op, "stride_w")] as const;
  const dilation = [int(op, "dilation_h_factor"), int(op, "dilation_w_factor")] as const;
  const pads = tfPadding({
    padding: int(op, "padding"),
    inputHeight: input.shape[1] ?? 1,
    inputWidth: input.shape[2] ?? 1,
    kernelHeight: kh,
    kernelWidth: kw,
    strideHeight: stride[0],
    strideWidth: stride[1],
    dilationHeight: dilation[0],
    dilationWidth: dilation[1],
  });
  checkWindowOutput(op, input, output, [kh, kw], stride, dilation, pads);
  context.emit(op, "Conv", inputs, {
    kernel_shape: ints([kh, kw]),
    strides: ints(stride),
    dilations: ints(dilation),
    pads: ints(pads),
    group: { type: "int", value: depthwise ? inChannels : 1 },
  });
}

function maxPool(context: TfliteOnnxContext, op: TfliteOperator): void {
  const input = context.input(op, 0);
  requireRank(op, input, 4);
  const kernel = [int(op, "filter_height"), int(op, "filter_width")] as const;
  const stride = [int(op, "stride_h"), int(op, "stride_w")] as const;
  // Padded cells never win a TFLite max pool; ONNX MaxPool ignores its pads the same way.
  const pads = tfPadding({
    padding: int(op, "padding"),
    inputHeight: input.shape[1] ?? 1,
    inputWidth: input.shape[2] ?? 1,
    kernelHeight: kernel[0],
    kernelWidth: kernel[1],
    strideHeight: stride[0],
    strideWidth: stride[1],
    dilationHeight: 1,
    dilationWidth: 1,
  });
  checkWindowOutput(op, input, context.output(op), kernel, stride, [1, 1], pads);
  context.emit(op, "MaxPool", [context.value(input)], {
    kernel_shape: ints(kernel),
    strides: ints(stride),
    pads: ints(pads),
  });
}

// PReLU's slope broadcasts against NHWC in TFLite (typically [1, 1, C]); `broadcastConstant`
// makes it broadcast the same way against the NCHW activation.
function prelu(context: TfliteOnnxContext, op: TfliteOperator): void {
  const input = context.input(op, 0);
  const rank = input.shape.length;
  const slope = context.broadcastConstant(op, context.input(op, 1), rank, "alpha");
  context.emit(op, "PRelu", [context.value(input), slope]);
}

// Operands of equal rank map one to one; a constant of lower rank (e.g. a per-channel [C])
// broadcasts against NHWC from the right, so it is realigned for NCHW.
function operand(
  context: TfliteOnnxContext,
  op: TfliteOperator,
  tensor: TfliteTensor,
  rank: number,
): string {
  if (tensor.shape.length === rank) return context.value(tensor);
  return context.broadcastConstant(op, tensor, rank, "operand of lower rank");
}

function elementwise(opType: string): OpMapping {
  return (context, op) => {
    const rank = context.output(op).shape.length;
    const operands = [0, 1].map((i) => operand(context, op, context.input(op, i), rank));
    context.emit(op, opType, operands);
  };
}

function unary(opType: string): OpMapping {
  return (context, op) => {
    context.emit(op, opType, [context.value(context.input(op, 0))]);
  };
}

function pad(context: TfliteOnnxContext, op: TfliteOperator): void {
  const input = context.input(op, 0);
  const paddings = context.requireConstant(op, context.input(op, 1), "paddings");
  const rank = input.shape.length;
  if (paddings.length !== 2 * rank) {
    throw new LumenError("MODEL_SOURCE_INVALID", `PAD "${input.name}" has malformed paddings`);
  }
  // TFLite: [[before, after] per axis]; ONNX: [all befores, all afters], in NCHW axis order.
  const axes = rank === 4 ? [0, 3, 1, 2] : [...Array(rank).keys()];
  const pads = [
    ...axes.map((axis) => paddings[2 * axis] ?? 0),
    ...axes.map((axis) => paddings[2 * axis + 1] ?? 0),
  ];
  const padsName = context.initializer(
    `${context.output(op).name}/pads`,
    [pads.length],
    BigInt64Array.from(pads, (p) => BigInt(p)),
  );
  context.emit(op, "Pad", [context.value(input), padsName], {
    mode: { type: "string", value: "constant" },
  });
}

// The target comes from the output tensor's recorded shape rather than new_shape, which may
// hold -1 or be absent (a second, shape-tensor input); the file states the resolved shape.
function reshape(context: TfliteOnnxContext, op: TfliteOperator): void {
  const input = context.input(op, 0);
  const output = context.output(op);
  const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
  if (count(input.shape) !== count(output.shape)) {
    throw new LumenError(
      "MODEL_SOURCE_INVALID",
      `RESHAPE "${output.name}": [${input.shape.join(",")}] cannot become [${output.shape.join(",")}]`,
    );
  }
  context.defineFromTfliteOrder(output, context.tfliteOrdered(input));
}

function concatenation(context: TfliteOnnxContext, op: TfliteOperator): void {
  const output = context.output(op);
  const rank = output.shape.length;
  const raw = int(op, "axis");
  const axis = raw < 0 ? raw + rank : raw;
  if (!(axis >= 0 && axis < rank)) {
    throw new LumenError("MODEL_SOURCE_INVALID", `CONCATENATION on axis ${raw} of rank ${rank}`);
  }
  const onnxAxis = rank === 4 ? (NHWC_AXIS_IN_NCHW[axis] ?? axis) : axis;
  const inputs = op.inputs.map((index) => context.value(context.tensor(index)));
  context.emit(op, "Concat", inputs, { axis: { type: "int", value: onnxAxis } });
}

// float16 weights reach the float ops through DEQUANTIZE; widening them at conversion keeps
// the ONNX graph all float32, the precision TFLite's float kernels compute in.
function dequantize(context: TfliteOnnxContext, op: TfliteOperator): void {
  const input = context.input(op, 0);
  const values = context.constant(input);
  if (!values || input.type !== "float16") {
    throw new LumenError(
      "MODEL_SOURCE_INVALID",
      `DEQUANTIZE of "${input.name}" (${input.type}${values ? "" : ", computed"}) is not supported: only float16 constants are`,
    );
  }
  context.setConstant(context.output(op), values);
}

/**
 * The TFLite builtin operators the converter maps, by schema name, each to the ONNX nodes
 * (opset 17) that compute the same float32 result on the NCHW layout.
 *
 * @example
 * ```ts
 * const mapping = TFLITE_OP_MAPPINGS[op.opName];
 * if (!mapping) throw new Error(`unsupported ${op.opName}`);
 * mapping(context, op);
 * ```
 */
export const TFLITE_OP_MAPPINGS: Readonly<Record<string, OpMapping>> = {
  ADD: elementwise("Add"),
  CONCATENATION: concatenation,
  CONV_2D: (context, op) => {
    convolution(context, op, false);
  },
  DEPTHWISE_CONV_2D: (context, op) => {
    convolution(context, op, true);
  },
  DEQUANTIZE: dequantize,
  MAX_POOL_2D: maxPool,
  PAD: pad,
  PRELU: prelu,
  RELU: unary("Relu"),
  RESHAPE: reshape,
};
