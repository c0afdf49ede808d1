import { loadStillChw } from "../helpers/load-still-chw.ts";

/** The MesoNet upstream test crops; `df` ones are deepfakes. */
export const MESONET_STILLS = [
  "mesonet-df00204.jpg",
  "mesonet-df01254.jpg",
  "mesonet-real00240.jpg",
  "mesonet-real00772.jpg",
] as const;

/** The side of MesoNet's square input. */
export const MESONET_SIZE = 256;

/** A still as the model input: whole image, bilinear to 256x256, RGB / 255, planar CHW. */
export function loadMesonetStill(name: string): Promise<Float32Array> {
  return loadStillChw(name, MESONET_SIZE, 1 / 255);
}
