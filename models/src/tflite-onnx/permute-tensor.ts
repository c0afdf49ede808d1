import type { TensorValues } from "./decode-tensor-data.ts";

/**
 * Reorders a row-major tensor's axes, like numpy's `transpose(perm)`: output axis `i` is input
 * axis `perm[i]`. Used to move TFLite's NHWC-family constants (kernels, PReLU slopes) into
 * ONNX's NCHW layout once, at conversion time, so the graph carries no Transpose for them.
 *
 * @example
 * ```ts
 * // TFLite conv kernel [out, kh, kw, in] → ONNX [out, in, kh, kw]
 * const oihw = permuteTensor(kernel, [24, 5, 5, 3], [0, 3, 1, 2]);
 * ```
 */
export function permuteTensor<T extends TensorValues>(
  values: T,
  shape: readonly number[],
  perm: readonly number[],
): T {
  const rank = shape.length;
  if (perm.length !== rank || [...perm].sort().some((axis, i) => axis !== i)) {
    throw new RangeError(`[${perm.join(",")}] is not a permutation of ${rank} axes`);
  }
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const outShape = perm.map((axis) => shape[axis] ?? 1);
  const inStrides = perm.map((axis) => strides[axis] ?? 0);
  const out = values.slice() as T;
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < values.length; o++) {
    let from = 0;
    for (let a = 0; a < rank; a++) from += (index[a] ?? 0) * (inStrides[a] ?? 0);
    out[o] = values[from] ?? 0;
    // Odometer increment over the output shape, last axis fastest.
    for (let a = rank - 1; a >= 0; a--) {
      const next = (index[a] ?? 0) + 1;
      if (next < (outShape[a] ?? 1)) {
        index[a] = next;
        break;
      }
      index[a] = 0;
    }
  }
  return out;
}
