import { rotatedRectTransform, type RotatedRect } from "../image/rotated-rect.ts";
import { FACE_MESH_INPUT_SIZE, FACE_MESH_LANDMARK_COUNT } from "./face-mesh-constants.ts";
import type { FaceLandmarks } from "./face-landmarks.ts";
import { sigmoid } from "./sigmoid.ts";

/** The face mesh's two outputs, as the runtime returns them (`tensor.data`). */
export interface FaceMeshOutputs {
  /** `landmarks [1, 1404]`: x, y, z per point, in 192×192 input pixels. */
  readonly landmarks: ArrayLike<number>;
  /** `face_flag [1, 1]`: face presence logit. */
  readonly faceFlag: ArrayLike<number>;
}

/** Options of {@link decodeFaceMesh}. */
export interface DecodeFaceMeshOptions {
  /** Write the points into this array (length 1404) instead of allocating one. */
  readonly out?: Float32Array;
}

/**
 * Landmarks in frame pixels from the face mesh's raw outputs: each point goes back through the
 * very transform that cut the crop (so rotation and scale undo exactly), `z` scaled like `x`,
 * as MediaPipe's `LandmarkProjectionCalculator` does.
 *
 * @throws {RangeError} if an output has the wrong length or a non-finite value (the wrong
 *   model is bound or the runtime is broken, which no frame can cause), or the ROI is bad.
 * @example
 * ```ts
 * const out = await session.run({ input: new Tensor("float32", faceMeshInput(frame, roi), [1, 3, 192, 192]) });
 * const mesh = decodeFaceMesh(
 *   { landmarks: out.landmarks.data as Float32Array, faceFlag: out.face_flag.data as Float32Array },
 *   roi,
 * );
 * ```
 */
export function decodeFaceMesh(
  outputs: FaceMeshOutputs,
  roi: RotatedRect,
  options: DecodeFaceMeshOptions = {},
): FaceLandmarks {
  const { landmarks, faceFlag } = outputs;
  const length = FACE_MESH_LANDMARK_COUNT * 3;
  if (landmarks.length !== length) {
    throw new RangeError(`landmarks must hold ${length} values, got ${landmarks.length}`);
  }
  const flag = faceFlag[0];
  if (faceFlag.length !== 1 || !Number.isFinite(flag)) {
    throw new RangeError("face_flag must hold one finite value");
  }
  const points = options.out ?? new Float32Array(length);
  if (points.length !== length) throw new RangeError(`out must hold ${length} values`);
  const { a, b, c, d, e, f } = rotatedRectTransform(roi, FACE_MESH_INPUT_SIZE);
  const zScale = roi.width / FACE_MESH_INPUT_SIZE;
  for (let i = 0; i < length; i += 3) {
    const x = landmarks[i] ?? Number.NaN;
    const y = landmarks[i + 1] ?? Number.NaN;
    const z = landmarks[i + 2] ?? Number.NaN;
    if (!Number.isFinite(x + y + z)) throw new RangeError(`Landmark ${i / 3} is not finite`);
    points[i] = a * x + c * y + e;
    points[i + 1] = b * x + d * y + f;
    points[i + 2] = z * zScale;
  }
  return { points, presence: sigmoid(flag ?? Number.NaN), roi };
}
