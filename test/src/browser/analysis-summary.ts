import type { FaceDetection, FrameAnalysis, PixelRect } from "@lumen/core";

/** The analysed face of an {@link AnalysisSummary}. */
export interface AnalysedFaceSummary {
  /** The 468 mesh landmarks as `x, y, z` triples in frame pixels. */
  readonly points: readonly number[];
  /** Face presence of the mesh (sigmoid of `face_flag`). */
  readonly presence: number;
  /** Bounding box of the landmarks, the box MiniFASNet and MesoNet crop from. */
  readonly box: PixelRect;
  /** MiniFASNet `real - spoof` logit margin. */
  readonly liveness: number;
  /** MesoNet-DF probability that the face is real. */
  readonly realness: number;
}

/**
 * `analyseFrame`'s result as plain JSON (no typed arrays), so the browser's copy crosses
 * `page.evaluate` unchanged and is compared field by field with the Node one.
 */
export interface AnalysisSummary {
  readonly faces: readonly FaceDetection[];
  readonly face: AnalysedFaceSummary | null;
}

/**
 * Used on both sides of test/src/face-pipeline-parity.test.ts, so the two summaries cannot
 * differ by construction.
 *
 * @example
 * ```ts
 * const summary = summariseAnalysis(await analyseFrame(frame, runners));
 * ```
 */
export function summariseAnalysis({ faces, face }: FrameAnalysis): AnalysisSummary {
  return {
    faces: faces.map(({ score, box, keypoints }) => ({
      score,
      box: { x: box.x, y: box.y, width: box.width, height: box.height },
      keypoints: keypoints.map(({ x, y }) => ({ x, y })),
    })),
    face: face && {
      points: Array.from(face.landmarks.points),
      presence: face.landmarks.presence,
      box: { x: face.box.x, y: face.box.y, width: face.box.width, height: face.box.height },
      liveness: face.liveness,
      realness: face.realness,
    },
  };
}
