import type { RgbaImage } from "../image/rgba-image.ts";
import { rotatedRectTransform, type RotatedRect } from "../image/rotated-rect.ts";
import { warpToTensor } from "../image/warp-to-tensor.ts";
import { FACE_MESH_INPUT_SIZE } from "./face-mesh-constants.ts";

/** Options of {@link faceMeshInput}. */
export interface FaceMeshInputOptions {
  /** Write into this array (length 3·192·192) instead of allocating one. */
  readonly out?: Float32Array;
}

/**
 * The face mesh's input: the ROI cut out upright, resized bilinearly to 192×192, RGB scaled to
 * [0, 1], NCHW float32 `[1, 3, 192, 192]`. Outside the frame the edge pixels are repeated,
 * MediaPipe's default border for this model.
 *
 * @throws {LumenError} `IMAGE_INVALID` for a malformed frame.
 * @throws {RangeError} for an empty or non-finite ROI, or a wrong-sized `out`.
 * @example
 * ```ts
 * const input = faceMeshInput(frame, faceMeshRoi(face));
 * const out = await session.run({ input: new Tensor("float32", input, [1, 3, 192, 192]) });
 * ```
 */
export function faceMeshInput(
  frame: RgbaImage,
  roi: RotatedRect,
  options: FaceMeshInputOptions = {},
): Float32Array {
  return warpToTensor(frame, rotatedRectTransform(roi, FACE_MESH_INPUT_SIZE), {
    size: FACE_MESH_INPUT_SIZE,
    scale: 1 / 255,
    border: "replicate",
    ...(options.out ? { out: options.out } : {}),
  });
}
