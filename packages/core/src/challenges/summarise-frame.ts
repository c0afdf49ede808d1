import type { RgbaImage } from "../image/rgba-image.ts";
import { measureFrameLight } from "../illumination/measure-frame-light.ts";
import type { FrameAnalysis } from "../vision/analyse-frame.ts";
import { faceQuality } from "./face-quality.ts";
import type { FrameEvidence } from "./frame-evidence.ts";
import { estimateHeadPose } from "./head-pose.ts";

/**
 * Reduces one analysed frame to the numbers the challenges and the decision use: pose, the face
 * regions' light, the face's embedding and quality on top of the models' scores. Needs the
 * pixels once; what it returns holds none (the embedding is biometric data all the same).
 *
 * @example
 * ```ts
 * const evidence = summariseFrame(frame, await analyseFrame(frame, runners), capturedAt);
 * ```
 */
export function summariseFrame(
  image: RgbaImage,
  analysis: FrameAnalysis,
  capturedAt: number,
): FrameEvidence {
  const { face } = analysis;
  if (!face) return { capturedAt, faceCount: analysis.faces.length, face: null };
  const points = face.landmarks.points;
  const quality = faceQuality(image, face.box);
  return {
    capturedAt,
    faceCount: analysis.faces.length,
    face: {
      box: face.box,
      detectionScore: face.detection.score,
      liveness: face.liveness,
      realness: face.realness,
      passive: face.passive,
      pose: estimateHeadPose(points),
      light: measureFrameLight(image, points),
      embedding: face.embedding,
      luma: quality.luma,
      sharpness: quality.sharpness,
      faceSize: quality.faceSize,
    },
  };
}
