import type { RgbaImage } from "../image/rgba-image.ts";
import type { RotatedRect } from "../image/rotated-rect.ts";
import { decodeFaceMesh, type FaceMeshOutputs } from "./decode-face-mesh.ts";
import { FACE_MESH_MIN_PRESENCE } from "./face-mesh-constants.ts";
import { faceMeshInput } from "./face-mesh-input.ts";
import type { FaceLandmarks } from "./face-landmarks.ts";

/**
 * Runs the face mesh on one input, bound by the caller to its runtime: `input` is NCHW float32
 * `[1, 3, 192, 192]`.
 */
export type FaceMeshRunner = (input: Float32Array) => Promise<FaceMeshOutputs>;

/** Options of {@link detectFaceLandmarks}. */
export interface DetectFaceLandmarksOptions {
  /** Below this presence the result is `null`. Default {@link FACE_MESH_MIN_PRESENCE}. */
  readonly minPresence?: number;
}

/**
 * The 468 face landmarks in a ROI (from {@link faceMeshRoi}): {@link faceMeshInput}, the
 * injected model run, then {@link decodeFaceMesh}.
 *
 * @returns the landmarks in frame pixels, or `null` when the crop holds no face.
 * @throws {LumenError} `IMAGE_INVALID` for a malformed frame.
 * @throws {RangeError} for a bad ROI or option, or outputs of the wrong size or not finite.
 * @example
 * ```ts
 * const runMesh: FaceMeshRunner = async (input) => {
 *   const out = await session.run({ input: new Tensor("float32", input, [1, 3, 192, 192]) });
 *   return { landmarks: out.landmarks.data as Float32Array, faceFlag: out.face_flag.data as Float32Array };
 * };
 * const [face] = await detectFaces(frame, runDetector, { maxFaces: 1 });
 * const mesh = face && (await detectFaceLandmarks(frame, faceMeshRoi(face), runMesh));
 * ```
 */
export async function detectFaceLandmarks(
  frame: RgbaImage,
  roi: RotatedRect,
  runMesh: FaceMeshRunner,
  options: DetectFaceLandmarksOptions = {},
): Promise<FaceLandmarks | null> {
  const { minPresence = FACE_MESH_MIN_PRESENCE } = options;
  if (!(minPresence >= 0 && minPresence <= 1))
    throw new RangeError("minPresence must be in [0, 1]");
  const mesh = decodeFaceMesh(await runMesh(faceMeshInput(frame, roi)), roi);
  return mesh.presence >= minPresence ? mesh : null;
}
