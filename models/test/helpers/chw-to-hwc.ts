/**
 * Planar CHW square images (batched) to interleaved HWC, for references that run in
 * TensorFlow's NHWC layout.
 *
 * @example
 * ```ts
 * const nhwc = chwToHwc(nchw, 256);
 * ```
 */
export function chwToHwc(chw: Float32Array, size: number): Float32Array {
  const plane = size * size;
  const out = new Float32Array(chw.length);
  for (let n = 0; n < chw.length / (3 * plane); n++) {
    for (let c = 0; c < 3; c++)
      for (let p = 0; p < plane; p++) {
        out[(n * plane + p) * 3 + c] = chw[(n * 3 + c) * plane + p] ?? 0;
      }
  }
  return out;
}
