/**
 * Keras "same" padding as ONNX `pads` `[top, left, bottom, right]`: the output is
 * ceil(in / stride), and an odd pixel of padding goes after (TensorFlow's convention, which
 * ONNX's `SAME_UPPER` also follows; explicit pads keep the graph free of `auto_pad`).
 * `dilation` widens the kernel to `dilation · (kernel - 1) + 1`.
 *
 * @example
 * ```ts
 * kerasSamePads(224, 3, 2); // [0, 0, 1, 1]
 * ```
 */
export function kerasSamePads(
  size: number,
  kernel: number,
  stride: number,
  dilation = 1,
): number[] {
  const span = dilation * (kernel - 1) + 1;
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + span - size, 0);
  const before = Math.floor(total / 2);
  return [before, before, total - before, total - before];
}

/**
 * A Keras Conv2D kernel `[kh, kw, in, out]` (HWIO) as the ONNX Conv weight `[out, in, kh, kw]`.
 *
 * @example
 * ```ts
 * const oihw = convKernelToOihw(kernel, [3, 3, 3, 8]);
 * ```
 */
export function convKernelToOihw(
  kernel: Float32Array,
  [kh, kw, cin, cout]: readonly [number, number, number, number],
): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) {
          out[((o * cin + i) * kh + y) * kw + x] = kernel[((y * kw + x) * cin + i) * cout + o] ?? 0;
        }
  return out;
}

/**
 * A Keras DepthwiseConv2D kernel `[kh, kw, channels, multiplier]` as the weight of an ONNX Conv
 * with `group = channels`: `[channels · multiplier, 1, kh, kw]`, output channel
 * `c · multiplier + m` (the order TensorFlow's depthwise convolution gives its outputs).
 *
 * @example
 * ```ts
 * const weight = depthwiseKernelToOihw(kernel, [3, 3, 16, 1]); // [16, 1, 3, 3]
 * ```
 */
export function depthwiseKernelToOihw(
  kernel: Float32Array,
  [kh, kw, channels, multiplier]: readonly [number, number, number, number],
): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let c = 0; c < channels; c++)
        for (let m = 0; m < multiplier; m++) {
          const from = ((y * kw + x) * channels + c) * multiplier + m;
          out[((c * multiplier + m) * kh + y) * kw + x] = kernel[from] ?? 0;
        }
  return out;
}

/**
 * The rows of a Dense kernel `[height · width · channels, units]` that follows a Keras Flatten
 * reordered for an ONNX Flatten of NCHW: Keras flattens NHWC, so its rows run (h, w, c); ONNX's
 * run (c, h, w). Reordering the rows once keeps the graph free of a Transpose before Flatten.
 *
 * @example
 * ```ts
 * const rows = denseRowsToChw(kernel, 16, 4, 4, 16);
 * ```
 */
export function denseRowsToChw(
  kernel: Float32Array,
  units: number,
  height: number,
  width: number,
  channels: number,
): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let c = 0; c < channels; c++)
    for (let h = 0; h < height; h++)
      for (let w = 0; w < width; w++) {
        const from = ((h * width + w) * channels + c) * units;
        out.set(kernel.subarray(from, from + units), ((c * height + h) * width + w) * units);
      }
  return out;
}
