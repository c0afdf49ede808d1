import type { TfliteModelView } from "../../src/tflite/read-tflite-model.ts";
import { BUILTIN_OPERATOR, TENSOR_TYPE } from "../../src/tflite/tflite-schema.ts";
import { float16ToFloat32 } from "../../src/tflite-onnx/float16-to-float32.ts";

interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

function strides(shape: readonly number[]): number[] {
  const result = shape.map(() => 1);
  for (let i = shape.length - 2; i >= 0; i--)
    result[i] = (result[i + 1] ?? 1) * (shape[i + 1] ?? 1);
  return result;
}

function* indices(shape: readonly number[]): Generator<number[]> {
  const total = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    const index: number[] = [];
    let rest = flat;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const size = shape[axis] ?? 1;
      index.unshift(rest % size);
      rest = Math.floor(rest / size);
    }
    yield index;
  }
}

function at(tensor: Tensor, index: readonly number[]): number {
  const s = strides(tensor.shape);
  return tensor.data[index.reduce((sum, i, axis) => sum + i * (s[axis] ?? 0), 0)] ?? NaN;
}

/**
 * A deliberately naive interpreter for the operators `extendTfliteModel` appended (RESHAPE,
 * SLICE, CONCATENATION, TRANSPOSE, DEQUANTIZE, 1x1 CONV_2D), so a unit test can check what the
 * fused graph computes without a TFLite runtime. `given` holds the values of the original
 * model's outputs the appended operators read.
 */
export function runAppendedOperators(
  model: TfliteModelView,
  firstOperator: number,
  given: ReadonlyMap<number, Float32Array>,
): Map<number, Tensor> {
  const subgraph = model.subgraphs[0];
  if (!subgraph) throw new Error("no subgraph");
  const values = new Map<number, Tensor>();
  const tensorShape = (index: number): number[] => [...(subgraph.tensors[index]?.shape ?? [])];
  for (const [index, data] of given) values.set(index, { shape: tensorShape(index), data });
  const constant = (index: number): Int32Array | Float32Array => {
    const tensor = subgraph.tensors[index];
    const bytes = tensor && model.buffers[tensor.buffer]?.data;
    if (!tensor || !bytes) throw new Error(`tensor ${index} has no data`);
    const copy = bytes.slice();
    if (tensor.type === TENSOR_TYPE.INT32) return new Int32Array(copy.buffer);
    if (tensor.type === TENSOR_TYPE.FLOAT32) return new Float32Array(copy.buffer);
    return Float32Array.from(new Uint16Array(copy.buffer), float16ToFloat32);
  };
  const input = (index: number): Tensor => {
    const value = values.get(index);
    if (value) return value;
    return { shape: tensorShape(index), data: Float32Array.from(constant(index)) };
  };

  for (const [i, op] of subgraph.operators.entries()) {
    if (i < firstOperator) continue;
    const code = model.operatorCodes[op.opcodeIndex]?.builtinCode;
    const [a = -1, b = -1, c = -1] = op.inputs;
    const out = op.outputs[0] ?? -1;
    const shape = tensorShape(out);
    const data = new Float32Array(shape.reduce((x, y) => x * y, 1));
    const outIndices = [...indices(shape)];
    switch (code) {
      case BUILTIN_OPERATOR.RESHAPE:
      case BUILTIN_OPERATOR.DEQUANTIZE:
        data.set(input(a).data);
        break;
      case BUILTIN_OPERATOR.SLICE: {
        const begin = constant(b);
        outIndices.forEach((index, k) => {
          data[k] = at(
            input(a),
            index.map((v, axis) => v + (begin[axis] ?? 0)),
          );
        });
        break;
      }
      case BUILTIN_OPERATOR.TRANSPOSE: {
        const perm = constant(b);
        outIndices.forEach((index, k) => {
          const source: number[] = [];
          index.forEach((v, axis) => (source[perm[axis] ?? 0] = v));
          data[k] = at(input(a), source);
        });
        break;
      }
      case BUILTIN_OPERATOR.CONCATENATION: {
        const axis = op.builtinOptions?.int32(0, 0) ?? 0;
        const parts = op.inputs.map(input);
        outIndices.forEach((index, k) => {
          let position = index[axis] ?? 0;
          for (const part of parts) {
            const size = part.shape[axis] ?? 0;
            if (position < size) {
              data[k] = at(
                part,
                index.map((v, ax) => (ax === axis ? position : v)),
              );
              break;
            }
            position -= size;
          }
        });
        break;
      }
      case BUILTIN_OPERATOR.CONV_2D: {
        const x = input(a);
        const filter = input(b);
        const bias = input(c);
        const inChannels = filter.shape[3] ?? 0;
        outIndices.forEach((index, k) => {
          const [n = 0, h = 0, w = 0, o = 0] = index;
          let sum = bias.data[o] ?? 0;
          for (let ic = 0; ic < inChannels; ic++) {
            sum += at(x, [n, h, w, ic]) * (filter.data[o * inChannels + ic] ?? 0);
          }
          data[k] = sum;
        });
        break;
      }
      default:
        throw new Error(`operator ${code ?? "?"} is not one the fusion may use`);
    }
    values.set(out, { shape, data });
  }
  return values;
}
