import type { AffineTransform } from "./affine-transform.ts";
import { assertRgbaImage } from "./assert-rgba-image.ts";
import { borderIndex, type BorderMode } from "./border-mode.ts";
import type { RgbaImage } from "./rgba-image.ts";

/** Options of {@link warpToTensor}. */
export interface WarpToTensorOptions {
  /** Side of the square output in pixels. */
  readonly size: number;
  /** Each channel value is multiplied by this (e.g. 1/255)… */
  readonly scale: number;
  /** …and then this is added (e.g. -1 with scale 2/255 for a [-1, 1] range). Default 0. */
  readonly offset?: number;
  /** How pixels outside the image are filled. Default `reflect`. */
  readonly border?: BorderMode;
  /** Write into this array (length 3·size·size) instead of allocating one. */
  readonly out?: Float32Array;
}

/**
 * Samples an image through an affine map into planar RGB (CHW) floats, bilinearly.
 * `cropToFrame` maps the output's pixel coordinates to the image's, both with pixel (i, j)
 * covering [i, i+1]×[j, j+1], so pixel centres map to pixel centres (as MediaPipe's GPU path
 * and OpenCV's resize do). Any crop, resize, rotation or flip is one call.
 *
 * @throws {LumenError} `IMAGE_INVALID` if the image's data does not match its size.
 * @throws {RangeError} for a non-finite transform, a bad `size` or a wrong-sized `out`.
 * @example
 * ```ts
 * const input = warpToTensor(frame, rotatedRectTransform(roi, 192), {
 *   size: 192,
 *   scale: 1 / 255,
 *   border: "replicate",
 * });
 * ```
 */
export function warpToTensor(
  image: RgbaImage,
  cropToFrame: AffineTransform,
  options: WarpToTensorOptions,
): Float32Array {
  assertRgbaImage(image);
  const { width, height, data } = image;
  const { size, scale, offset = 0, border = "reflect" } = options;
  if (!(Number.isInteger(size) && size > 0))
    throw new RangeError("size must be a positive integer");
  const { a, b, c, d, e, f } = cropToFrame;
  if (!Number.isFinite(a + b + c + d + e + f)) {
    throw new RangeError("The crop transform is not finite");
  }
  if (!Number.isFinite(scale + offset)) throw new RangeError("scale and offset must be finite");
  const plane = size * size;
  const out = options.out ?? new Float32Array(3 * plane);
  if (out.length !== 3 * plane) throw new RangeError(`out must hold ${3 * plane} values`);

  const sampler = { data, width, height, border, scale, offset, plane, out };
  if (b === 0 && c === 0) {
    // Axis-aligned (crops and resizes): each column's source x and each row's source y once,
    // not per sample, by the same arithmetic as below (the zero terms kept), so the same floats.
    const colX0 = new Int32Array(size);
    const colFx = new Float64Array(size);
    for (let col = 0; col < size; col++) {
      const sx = a * (col + 0.5) + c * 0.5 + e - 0.5;
      colX0[col] = Math.floor(sx);
      colFx[col] = sx - Math.floor(sx);
    }
    for (let row = 0; row < size; row++) {
      const sy = b * 0.5 + d * (row + 0.5) + f - 0.5;
      const y0 = Math.floor(sy);
      const fy = sy - y0;
      for (let col = 0; col < size; col++) {
        bilinear(sampler, row * size + col, colX0[col] as number, y0, colFx[col] as number, fy);
      }
    }
    return out;
  }
  for (let row = 0; row < size; row++) {
    const v = row + 0.5;
    for (let col = 0; col < size; col++) {
      const u = col + 0.5;
      // Back to index space, where pixel i's centre is at i.
      const sx = a * u + c * v + e - 0.5;
      const sy = b * u + d * v + f - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      bilinear(sampler, row * size + col, x0, y0, sx - x0, sy - y0);
    }
  }
  return out;
}

interface Sampler {
  readonly data: RgbaImage["data"];
  readonly width: number;
  readonly height: number;
  readonly border: BorderMode;
  readonly scale: number;
  readonly offset: number;
  readonly plane: number;
  readonly out: Float32Array;
}

/** Writes output sample `o` from the four pixels around (x0 + fx, y0 + fy), in index space. */
function bilinear(s: Sampler, o: number, x0: number, y0: number, fx: number, fy: number): void {
  const { data, width, height, scale, offset, plane, out } = s;
  const w00 = (1 - fx) * (1 - fy);
  const w01 = fx * (1 - fy);
  const w10 = (1 - fx) * fy;
  const w11 = fx * fy;
  if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
    // Inside the image (nearly every sample): no border rule to apply.
    const p00 = (y0 * width + x0) * 4;
    const p10 = p00 + width * 4;
    for (let ch = 0; ch < 3; ch++) {
      const value =
        (data[p00 + ch] as number) * w00 +
        (data[p00 + 4 + ch] as number) * w01 +
        (data[p10 + ch] as number) * w10 +
        (data[p10 + 4 + ch] as number) * w11;
      out[ch * plane + o] = value * scale + offset;
    }
    return;
  }
  const c0 = borderIndex(x0, width, s.border);
  const c1 = borderIndex(x0 + 1, width, s.border);
  const r0 = borderIndex(y0, height, s.border);
  const r1 = borderIndex(y0 + 1, height, s.border);
  // -1 marks a black border pixel.
  const p00 = r0 < 0 || c0 < 0 ? -1 : (r0 * width + c0) * 4;
  const p01 = r0 < 0 || c1 < 0 ? -1 : (r0 * width + c1) * 4;
  const p10 = r1 < 0 || c0 < 0 ? -1 : (r1 * width + c0) * 4;
  const p11 = r1 < 0 || c1 < 0 ? -1 : (r1 * width + c1) * 4;
  for (let ch = 0; ch < 3; ch++) {
    const value =
      (p00 < 0 ? 0 : (data[p00 + ch] ?? 0)) * w00 +
      (p01 < 0 ? 0 : (data[p01 + ch] ?? 0)) * w01 +
      (p10 < 0 ? 0 : (data[p10 + ch] ?? 0)) * w10 +
      (p11 < 0 ? 0 : (data[p11 + ch] ?? 0)) * w11;
    out[ch * plane + o] = value * scale + offset;
  }
}
