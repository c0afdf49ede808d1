import { readFile } from "node:fs/promises";
import jpeg from "jpeg-js";
import { cropToTensor } from "@lumen/core";

const STILLS_DIR = new URL("../../../../shared/media/stills/", import.meta.url);

/**
 * A still of `../shared/media/stills` as a model input: the whole image, bilinear to a square
 * of `size`, RGB times `scale` plus `offset`, planar CHW. Shared by the MesoNet, HyperFAS and
 * face recognition tests.
 *
 * @example
 * ```ts
 * const input = await loadStillChw("mesonet-real00240.jpg", 256, 1 / 255);
 * ```
 */
export async function loadStillChw(
  name: string,
  size: number,
  scale: number,
  offset = 0,
): Promise<Float32Array> {
  const image = jpeg.decode(await readFile(new URL(name, STILLS_DIR)), {
    useTArray: true,
    formatAsRGBA: true,
  });
  const rect = { x: 0, y: 0, width: image.width, height: image.height };
  return cropToTensor(image, rect, { size, scale, offset });
}
