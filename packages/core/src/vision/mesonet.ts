import { cropToTensor } from "../image/crop-to-tensor.ts";
import type { PixelRect, RgbaImage } from "../image/rgba-image.ts";
import { enlargeToSquare } from "./face-box.ts";

const INPUT_SIZE = 256;
// MesoNet was trained on aligned face crops that show the whole face with a small margin;
// 1.3x the landmark box reproduces that framing on the project's stills.
const CROP_SCALE = 1.3;

/**
 * The MesoNet-4 input for one face: NCHW float32 `[1, 3, 256, 256]`, RGB scaled to 0..1.
 *
 * @example
 * ```ts
 * const input = mesonetInput(frame, faceBox);
 * await session.run({ input: new Tensor("float32", input, [1, 3, 256, 256]) });
 * ```
 */
export function mesonetInput(image: RgbaImage, faceBox: PixelRect): Float32Array {
  return cropToTensor(image, enlargeToSquare(faceBox, CROP_SCALE), {
    size: INPUT_SIZE,
    scale: 1 / 255,
  });
}

/**
 * The realness score from MesoNet's single sigmoid output: about 1 for a real face, about 0
 * for a deepfake. Weak on webcam faces, so it is one signal among several, never decisive alone.
 *
 * @example
 * ```ts
 * mesonetScore(output.data); // 0.99 for a camera face, 0.05 for a DeepFake-style face
 * ```
 */
export function mesonetScore(output: ArrayLike<number>): number {
  const score = output[0];
  if (output.length !== 1 || score === undefined || !(score >= 0 && score <= 1)) {
    throw new RangeError(`MesoNet gives one probability, got ${output.length} values`);
  }
  return score;
}
