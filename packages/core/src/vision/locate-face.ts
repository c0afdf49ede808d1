import type { PixelRect, RgbaImage } from "../image/rgba-image.ts";
import type { FaceDetectionOptions } from "./decode-face-detections.ts";
import { detectFaceLandmarks, type FaceMeshRunner } from "./detect-face-landmarks.ts";
import { detectFaces, type FaceDetectorRunner } from "./detect-faces.ts";
import type { FaceDetection } from "./face-detection.ts";
import type { FaceLandmarks } from "./face-landmarks.ts";
import { faceMeshRoi } from "./face-mesh-roi.ts";
import { landmarksBox } from "./landmarks-box.ts";

/** The two models that find a face, each bound by the caller to its runtime. */
export interface FaceLocationRunners {
  readonly detector: FaceDetectorRunner;
  readonly mesh: FaceMeshRunner;
}

/** The best face of a frame, found and meshed. */
export interface LocatedFace {
  readonly detection: FaceDetection;
  readonly landmarks: FaceLandmarks;
  /** Bounding box of the landmarks, the face box the classifiers crop from. */
  readonly box: PixelRect;
}

/** Where the faces of one frame are. Pure data. */
export interface FaceLocation {
  /** Every face the detector found, best first; more than one is an attack signal. */
  readonly faces: readonly FaceDetection[];
  /** The best face meshed, or `null` when no face was found or the mesh rejected it. */
  readonly face: LocatedFace | null;
}

/**
 * The first half of `analyseFrame`: detect the faces, mesh the best one. Enough for placement,
 * image quality and head pose; the SDK runs only this on the frames it does not keep as
 * evidence, since nothing compares their scores.
 *
 * @example
 * ```ts
 * const { faces, face } = await locateFace(frame, { detector, mesh });
 * if (face) estimateHeadPose(face.landmarks.points);
 * ```
 */
export async function locateFace(
  frame: RgbaImage,
  runners: FaceLocationRunners,
  options: FaceDetectionOptions = {},
): Promise<FaceLocation> {
  const faces = await detectFaces(frame, runners.detector, options);
  const detection = faces[0];
  if (!detection) return { faces, face: null };
  const landmarks = await detectFaceLandmarks(frame, faceMeshRoi(detection), runners.mesh);
  if (!landmarks) return { faces, face: null };
  return { faces, face: { detection, landmarks, box: landmarksBox(landmarks.points) } };
}
