import { LumenError } from "@lumen/protocol";
import type { PixelRect, RgbaImage } from "./rgba-image.ts";
import { warpToTensor, type WarpToTensorOptions } from "./warp-to-tensor.ts";

/** Options of {@link cropToTensor}: those of `warpToTensor`. */
export type CropToTensorOptions = WarpToTensorOptions;

/**
 * Cuts a rectangle out of an image, resizes it bilinearly to a square and returns planar RGB
 * (CHW) floats, `value · scale + offset`. By default parts of the rectangle outside the image
 * are filled by reflection, so a face at the frame edge keeps natural texture instead of black
 * bars a model could key on; `border: "zero"` gives MediaPipe's black letterbox instead.
 *
 * @throws {LumenError} `IMAGE_INVALID` for a malformed image or an empty or non-finite crop.
 * @throws {RangeError} for a bad `size` or a wrong-sized `out`.
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
  if (!(
    rect.width > 0 &&
    rect.height > 0 &&
    Number.isFinite(rect.x + rect.y + rect.width + rect.height)
  )) {
    throw new LumenError("IMAGE_INVALID", "Crop rectangle is empty or not finite");
  }
  const { size } = options;
  return warpToTensor(
    image,
    { a: rect.width / size, b: 0, c: 0, d: rect.height / size, e: rect.x, f: rect.y },
    options,
  );
}
