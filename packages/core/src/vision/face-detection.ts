import type { PixelPoint, PixelRect } from "../image/rgba-image.ts";

/** One face found by the detector, in frame pixels. Pure data. */
export interface FaceDetection {
  /** Probability (0..1) that this is a face. */
  readonly score: number;
  /** Axis-aligned box, tight around eyes, nose and mouth. */
  readonly box: PixelRect;
  /** Six keypoints in the order of `FACE_DETECTOR_KEYPOINTS`. */
  readonly keypoints: readonly PixelPoint[];
}
