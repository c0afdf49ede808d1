import { readFile } from "node:fs/promises";
import jpeg from "jpeg-js";
import { cropToTensor } from "@lumen/core";

/** The MesoNet upstream test crops; `df` ones are deepfakes. */
export const MESONET_STILLS = [
  "mesonet-df00204.jpg",
  "mesonet-df01254.jpg",
  "mesonet-real00240.jpg",
  "mesonet-real00772.jpg",
] as const;

const STILLS_DIR = new URL("../../../../shared/media/stills/", import.meta.url);
const SIZE = 256;

/** A still as the model input: whole image, bilinear to 256x256, RGB / 255, planar CHW. */
export async function loadStillChw(name: string): Promise<Float32Array> {
  const image = jpeg.decode(await readFile(new URL(name, STILLS_DIR)), {
    useTArray: true,
    formatAsRGBA: true,
  });
  const rect = { x: 0, y: 0, width: image.width, height: image.height };
  return cropToTensor(image, rect, { size: SIZE, scale: 1 / 255 });
}

/** Planar CHW images (batched) to interleaved HWC, for the Keras-layout reference. */
export function chwToHwc(chw: Float32Array): Float32Array {
  const plane = SIZE * SIZE;
  const out = new Float32Array(chw.length);
  for (let n = 0; n < chw.length / (3 * plane); n++) {
    for (let c = 0; c < 3; c++)
      for (let p = 0; p < plane; p++) {
        out[(n * plane + p) * 3 + c] = chw[(n * 3 + c) * plane + p] ?? 0;
      }
  }
  return out;
}
