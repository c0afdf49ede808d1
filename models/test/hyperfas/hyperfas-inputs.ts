import { loadStillChw } from "../helpers/load-still-chw.ts";

/** The stills HyperFAS is scored on: Silent-Face's live and spoof samples, MesoNet's crops. */
export const HYPERFAS_STILLS = [
  "silentface-image_T1.jpg",
  "silentface-image_F1.jpg",
  "silentface-image_F2.jpg",
  "mesonet-real00240.jpg",
  "mesonet-real00772.jpg",
  "mesonet-df00204.jpg",
  "mesonet-df01254.jpg",
] as const;

/** The side of HyperFAS's square input. */
export const HYPERFAS_SIZE = 224;

/**
 * A still as HyperFAS's input: whole image, bilinear to 224x224, planar CHW in **BGR** order,
 * `(value - 127.5) / 127.5`, as upstream `src/demo.py` feeds the Keras model.
 *
 * @example
 * ```ts
 * const input = await loadHyperfasStill("silentface-image_T1.jpg");
 * ```
 */
export async function loadHyperfasStill(name: string): Promise<Float32Array> {
  const chw = await loadStillChw(name, HYPERFAS_SIZE, 1 / 127.5, -1);
  const plane = HYPERFAS_SIZE * HYPERFAS_SIZE;
  const red = chw.slice(0, plane);
  chw.copyWithin(0, 2 * plane, 3 * plane);
  chw.set(red, 2 * plane);
  return chw;
}
