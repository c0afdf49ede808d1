import { cropToTensor } from "../image/crop-to-tensor.ts";
import type { PixelRect, RgbaImage } from "../image/rgba-image.ts";
import { enlargeToSquare } from "./face-box.ts";

const INPUT_SIZE = 128;
// The crop the weights were trained with (see the model's entry in the catalog).
const CROP_SCALE = 1.5;

/**
 * The MiniFASNet input for one face: NCHW float32 `[1, 3, 128, 128]`, RGB scaled to 0..1.
 *
 * @example
 * ```ts
 * const input = minifasnetInput(frame, faceBox);
 * await session.run({ input: new Tensor("float32", input, [1, 3, 128, 128]) });
 * ```
 */
export function minifasnetInput(image: RgbaImage, faceBox: PixelRect): Float32Array {
  return cropToTensor(image, enlargeToSquare(faceBox, CROP_SCALE), {
    size: INPUT_SIZE,
    scale: 1 / 255,
  });
}

/**
 * The liveness score from MiniFASNet's `[real, spoof]` logits: `real - spoof`, above 0 reads
 * as a live face. A logit margin keeps the full range, where a softmax saturates.
 *
 * @example
 * ```ts
 * minifasnetScore(output.data); // e.g. 3.2 for a live face, -4.1 for a printed photo
 * ```
 */
export function minifasnetScore(logits: ArrayLike<number>): number {
  const real = logits[0];
  const spoof = logits[1];
  if (logits.length !== 2 || real === undefined || spoof === undefined) {
    throw new RangeError(`MiniFASNet gives 2 logits, got ${logits.length}`);
  }
  return real - spoof;
}
