import { assertRgbaImage } from "../image/assert-rgba-image.ts";
import { cropToTensor } from "../image/crop-to-tensor.ts";
import type { RgbaImage } from "../image/rgba-image.ts";
import { FACE_DETECTOR_INPUT_SIZE } from "./face-detector-constants.ts";
import { letterbox, type Letterbox } from "./letterbox.ts";

/** What {@link faceDetectorInput} returns. */
export interface FaceDetectorInput {
  /** NCHW float32 `[1, 3, 128, 128]`, RGB in [-1, 1]. */
  readonly input: Float32Array;
  /** Where the frame sits in the input, for {@link decodeFaceDetections}. */
  readonly letterbox: Letterbox;
}

/** Options of {@link faceDetectorInput}. */
export interface FaceDetectorInputOptions {
  /** Write into this array (length 3·128·128) instead of allocating one. */
  readonly out?: Float32Array;
}

/**
 * The face detector's input for a whole frame, as MediaPipe's face detection graph makes it:
 * the frame centred in a square with black bars (the model was trained on undistorted faces,
 * and black, not reflected, bars are what it saw in training), resized bilinearly to 128×128,
 * RGB scaled to [-1, 1].
 *
 * @throws {LumenError} `IMAGE_INVALID` for a malformed or empty frame.
 * @example
 * ```ts
 * const { input, letterbox } = faceDetectorInput(frame);
 * const out = await session.run({ input: new Tensor("float32", input, [1, 3, 128, 128]) });
 * ```
 */
export function faceDetectorInput(
  frame: RgbaImage,
  options: FaceDetectorInputOptions = {},
): FaceDetectorInput {
  assertRgbaImage(frame);
  const box = letterbox(frame.width, frame.height);
  const input = cropToTensor(
    frame,
    { x: -box.padX, y: -box.padY, width: box.side, height: box.side },
    {
      size: FACE_DETECTOR_INPUT_SIZE,
      scale: 2 / 255,
      offset: -1,
      border: "zero",
      ...(options.out ? { out: options.out } : {}),
    },
  );
  return { input, letterbox: box };
}
