/** Geometry of one spatial window op, in TFLite's terms. */
export interface TfWindow {
  /** TFLite `Padding`: 0 = SAME, 1 = VALID. */
  readonly padding: number;
  readonly inputHeight: number;
  readonly inputWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
}

function samePads(size: number, kernel: number, stride: number, dilation: number): number[] {
  const extent = (kernel - 1) * dilation + 1;
  const total = Math.max((Math.ceil(size / stride) - 1) * stride + extent - size, 0);
  // TensorFlow puts the odd pixel after (bottom/right); ONNX's SAME_UPPER does too, but
  // explicit pads keep the graph free of auto_pad, which some runtimes treat differently.
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * ONNX `pads` ([top, left, bottom, right]) that reproduce TensorFlow's SAME or VALID padding
 * for a window op: SAME gives an output of ceil(in / stride) with the odd pixel of padding at
 * the bottom and right; VALID pads nothing.
 *
 * @example
 * ```ts
 * tfPadding({ padding: 0, inputHeight: 64, inputWidth: 64, kernelHeight: 3, kernelWidth: 3,
 *   strideHeight: 2, strideWidth: 2, dilationHeight: 1, dilationWidth: 1 }); // [0, 0, 1, 1]
 * ```
 */
export function tfPadding(window: TfWindow): number[] {
  if (window.padding !== 0) return [0, 0, 0, 0];
  const [top, bottom] = samePads(
    window.inputHeight,
    window.kernelHeight,
    window.strideHeight,
    window.dilationHeight,
  );
  const [left, right] = samePads(
    window.inputWidth,
    window.kernelWidth,
    window.strideWidth,
    window.dilationWidth,
  );
  return [top ?? 0, left ?? 0, bottom ?? 0, right ?? 0];
}
