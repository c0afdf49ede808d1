import { LumenError } from "@lumen/protocol";
import type { PixelRect, RgbaImage } from "./rgba-image.ts";

/** Options of {@link cropToTensor}. */
export interface CropToTensorOptions {
  /** Side of the square output in pixels. */
  readonly size: number;
  /** Each channel value is multiplied by this (e.g. 1/255). */
  readonly scale: number;
  /** Write into this array (length 3·size·size) instead of allocating one. */
  readonly out?: Float32Array;
}

// reflect-101 (OpenCV's BORDER_REFLECT_101, numpy's "reflect"): the edge pixel is not repeated.
function reflect(index: number, length: number): number {
  if (length === 1) return 0;
  const period = 2 * (length - 1);
  let i = index % period;
  if (i < 0) i += period;
  return i < length ? i : period - i;
}

/**
 * Cuts a rectangle out of an image, resizes it bilinearly to a square and returns planar RGB
 * (CHW) floats. Parts of the rectangle outside the image are filled by reflection, so a face at
 * the frame edge keeps natural texture instead of black bars a model could key on.
 *
 * @example
 * ```ts
 * const input = cropToTensor(frame, { x: 100, y: 80, width: 240, height: 240 }, { size: 128, scale: 1 / 255 });
 * new Tensor("float32", input, [1, 3, 128, 128]);
 * ```
 */
export function cropToTensor(
  image: RgbaImage,
  rect: PixelRect,
  options: CropToTensorOptions,
): Float32Array {
  const { width, height, data } = image;
  const { size, scale } = options;
  if (!(width > 0 && height > 0 && data.length === width * height * 4)) {
    throw new LumenError("IMAGE_INVALID", `Image data does not match ${width}x${height} RGBA`);
  }
  if (!(rect.width > 0 && rect.height > 0 && Number.isFinite(rect.x + rect.y))) {
    throw new LumenError("IMAGE_INVALID", "Crop rectangle is empty or not finite");
  }
  const plane = size * size;
  const out = options.out ?? new Float32Array(3 * plane);
  if (out.length !== 3 * plane) throw new RangeError(`out must hold ${3 * plane} values`);

  const stepX = rect.width / size;
  const stepY = rect.height / size;
  for (let row = 0; row < size; row++) {
    // Pixel centres map to pixel centres, as OpenCV's INTER_LINEAR does.
    const sy = rect.y + (row + 0.5) * stepY - 0.5;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    const r0 = reflect(y0, height) * width;
    const r1 = reflect(y0 + 1, height) * width;
    for (let col = 0; col < size; col++) {
      const sx = rect.x + (col + 0.5) * stepX - 0.5;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const c0 = reflect(x0, width);
      const c1 = reflect(x0 + 1, width);
      const p00 = (r0 + c0) * 4;
      const p01 = (r0 + c1) * 4;
      const p10 = (r1 + c0) * 4;
      const p11 = (r1 + c1) * 4;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const o = row * size + col;
      for (let ch = 0; ch < 3; ch++) {
        const v =
          (data[p00 + ch] ?? 0) * w00 +
          (data[p01 + ch] ?? 0) * w01 +
          (data[p10 + ch] ?? 0) * w10 +
          (data[p11 + ch] ?? 0) * w11;
        out[ch * plane + o] = v * scale;
      }
    }
  }
  return out;
}
