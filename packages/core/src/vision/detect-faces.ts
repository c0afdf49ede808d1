import type { RgbaImage } from "../image/rgba-image.ts";
import {
  decodeFaceDetections,
  resolveFaceDetectionOptions,
  type FaceDetectionOptions,
  type FaceDetectorOutputs,
} from "./decode-face-detections.ts";
import type { FaceDetection } from "./face-detection.ts";
import { faceDetectorInput } from "./face-detector-input.ts";

/**
 * Runs the face detector on one input, bound by the caller to its runtime (onnxruntime-web in
 * the SDK, onnxruntime-node on the server): `input` is NCHW float32 `[1, 3, 128, 128]`.
 */
export type FaceDetectorRunner = (input: Float32Array) => Promise<FaceDetectorOutputs>;

/**
 * Finds faces in a frame: {@link faceDetectorInput}, the injected model run, then
 * {@link decodeFaceDetections}.
 *
 * @returns faces in frame pixels, best first; empty when there is none.
 * @throws {LumenError} `IMAGE_INVALID` for a malformed or empty frame.
 * @throws {RangeError} for bad options, or outputs of the wrong size or with NaN.
 * @example
 * ```ts
 * const runDetector: FaceDetectorRunner = async (input) => {
 *   const out = await session.run({ input: new Tensor("float32", input, [1, 3, 128, 128]) });
 *   return { regressors: out.regressors.data as Float32Array, classificators: out.classificators.data as Float32Array };
 * };
 * const [face] = await detectFaces(frame, runDetector, { maxFaces: 1 });
 * ```
 */
export async function detectFaces(
  frame: RgbaImage,
  runDetector: FaceDetectorRunner,
  options: FaceDetectionOptions = {},
): Promise<FaceDetection[]> {
  const resolved = resolveFaceDetectionOptions(options);
  const { input, letterbox } = faceDetectorInput(frame);
  return decodeFaceDetections(await runDetector(input), letterbox, resolved);
}
