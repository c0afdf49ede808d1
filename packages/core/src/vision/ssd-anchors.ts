/** The parts of MediaPipe's `SsdAnchorsCalculatorOptions` that fixed-size anchors depend on. */
export interface SsdAnchorOptions {
  readonly inputWidth: number;
  readonly inputHeight: number;
  /** One stride per layer; consecutive equal strides share one feature map. */
  readonly strides: readonly number[];
  /** Only their count matters with fixed-size anchors: one anchor each per cell and layer. */
  readonly aspectRatios: readonly number[];
  /** Above 0 adds one more anchor per cell and layer (MediaPipe's default is 1). */
  readonly interpolatedScaleAspectRatio: number;
  /** Where in its cell an anchor sits, 0.5 being the cell's centre. */
  readonly anchorOffsetX: number;
  readonly anchorOffsetY: number;
}

/**
 * SSD anchor centres as MediaPipe's `SsdAnchorsCalculator` lays them out with
 * `fixed_anchor_size: true` (every anchor 1×1, so only the centres are kept): for each group
 * of layers with the same stride, row by row, column by column, every anchor of the cell.
 * Returns `[x0, y0, x1, y1, …]`, normalised to the model input.
 *
 * @throws {RangeError} for non-positive sizes or strides.
 * @example
 * ```ts
 * const anchors = ssdAnchors(FACE_DETECTOR_ANCHOR_OPTIONS); // 896 anchors, 1792 numbers
 * ```
 */
export function ssdAnchors(options: SsdAnchorOptions): Float32Array {
  const { inputWidth, inputHeight, strides, aspectRatios, interpolatedScaleAspectRatio } = options;
  if (!(inputWidth > 0 && inputHeight > 0 && strides.every((s) => s > 0))) {
    throw new RangeError("SSD anchors need a positive input size and strides");
  }
  const perLayer = aspectRatios.length + (interpolatedScaleAspectRatio > 0 ? 1 : 0);
  const groups: { stride: number; perCell: number }[] = [];
  for (const stride of strides) {
    const last = groups.at(-1);
    if (last?.stride === stride) last.perCell += perLayer;
    else groups.push({ stride, perCell: perLayer });
  }
  let count = 0;
  for (const { stride, perCell } of groups) {
    count += Math.ceil(inputWidth / stride) * Math.ceil(inputHeight / stride) * perCell;
  }
  const centres = new Float32Array(2 * count);
  let i = 0;
  for (const { stride, perCell } of groups) {
    const cols = Math.ceil(inputWidth / stride);
    const rows = Math.ceil(inputHeight / stride);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        for (let k = 0; k < perCell; k++) {
          centres[i++] = (x + options.anchorOffsetX) / cols;
          centres[i++] = (y + options.anchorOffsetY) / rows;
        }
      }
    }
  }
  return centres;
}
