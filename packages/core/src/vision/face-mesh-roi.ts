import type { RotatedRect } from "../image/rotated-rect.ts";
import type { FaceDetection } from "./face-detection.ts";
import { FACE_MESH_ROI_SCALE } from "./face-mesh-constants.ts";

/** Options of {@link faceMeshRoi}. */
export interface FaceMeshRoiOptions {
  /** Longer side of the box times this is the crop's side. Default {@link FACE_MESH_ROI_SCALE}. */
  readonly scale?: number;
}

// MediaPipe's NormalizeRadians: into [-π, π).
function normalizeRadians(angle: number): number {
  return angle - 2 * Math.PI * Math.floor((angle + Math.PI) / (2 * Math.PI));
}

/**
 * The face mesh's crop for a detection, as MediaPipe's face landmark graph makes it
 * (`DetectionsToRectsCalculator` then `RectTransformationCalculator`): centred on the box,
 * turned so the line from keypoint 0 to keypoint 1 (the eyes) is horizontal in the crop, a
 * square of the box's longer side times 1.5. The mesh was trained on upright faces, so a
 * tilted head is cropped upright.
 *
 * @throws {RangeError} for a detection without two eye keypoints, an empty box, a bad `scale`
 *   or non-finite values.
 * @example
 * ```ts
 * const roi = faceMeshRoi(face);
 * const input = faceMeshInput(frame, roi);
 * ```
 */
export function faceMeshRoi(
  detection: FaceDetection,
  options: FaceMeshRoiOptions = {},
): RotatedRect {
  const { scale = FACE_MESH_ROI_SCALE } = options;
  if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError("scale must be positive");
  const { box, keypoints } = detection;
  const start = keypoints[0];
  const end = keypoints[1];
  if (start === undefined || end === undefined) {
    throw new RangeError("A face mesh ROI needs the two eye keypoints");
  }
  const rotation = normalizeRadians(0 - Math.atan2(-(end.y - start.y), end.x - start.x));
  const side = Math.max(box.width, box.height) * scale;
  const roi = {
    xCenter: box.x + box.width / 2,
    yCenter: box.y + box.height / 2,
    width: side,
    height: side,
    rotation,
  };
  if (!(side > 0 && Number.isFinite(roi.xCenter + roi.yCenter + side + rotation))) {
    throw new RangeError("The detection's box is empty or not finite");
  }
  return roi;
}
