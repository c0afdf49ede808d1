import { cropToTensor } from "../image/crop-to-tensor.ts";
import type { PixelRect, RgbaImage } from "../image/rgba-image.ts";
import { passiveCropRect } from "./passive-crop-rect.ts";
import type { PassiveModel } from "./passive-model.ts";

function toBgr(chw: Float32Array, plane: number): void {
  for (let i = 0; i < plane; i++) {
    const r = chw[i] as number;
    chw[i] = chw[2 * plane + i] as number;
    chw[2 * plane + i] = r;
  }
}

function toHwc(chw: Float32Array, plane: number): Float32Array {
  const hwc = new Float32Array(chw.length);
  for (let i = 0; i < plane; i++) {
    hwc[3 * i] = chw[i] as number;
    hwc[3 * i + 1] = chw[plane + i] as number;
    hwc[3 * i + 2] = chw[2 * plane + i] as number;
  }
  return hwc;
}

/**
 * A passive model's input for one face, `[1, 3, size, size]` or `[1, size, size, 3]` float32
 * as the model declares: its crop of the frame, resized bilinearly, channels in its order,
 * `value · scale + offset`.
 *
 * @example
 * ```ts
 * const input = passiveModelInput(frame, face.box, PASSIVE_MODELS["hyperfas"]);
 * ```
 */
export function passiveModelInput(
  image: RgbaImage,
  faceBox: PixelRect,
  model: PassiveModel,
): Float32Array {
  const rect = passiveCropRect(faceBox, model.crop, image.width, image.height);
  const chw = cropToTensor(image, rect, {
    size: model.size,
    scale: model.scale,
    offset: model.offset,
  });
  const plane = model.size * model.size;
  if (model.colourOrder === "BGR") toBgr(chw, plane);
  return model.layout === "NHWC" ? toHwc(chw, plane) : chw;
}

/**
 * What decides a passive model's input besides the frame and the face: models with the same key
 * (MesoNet's four variants) take the very same tensor, so a frame's crop is made once for them.
 *
 * @example
 * ```ts
 * passiveInputKey(PASSIVE_MODELS["mesonet4-df"]) === passiveInputKey(PASSIVE_MODELS["mesonet4-f2f"]); // true
 * ```
 */
export function passiveInputKey(model: PassiveModel): string {
  const { crop, size, layout, colourOrder, scale, offset } = model;
  return [crop.kind, crop.scale, size, layout, colourOrder, scale, offset].join(" ");
}
