import type { PixelRect } from "../image/rgba-image.ts";
import type { MeasuredLight } from "../illumination/measure-frame-light.ts";
import type { HeadPose } from "./head-pose.ts";

/** What the challenge evaluators and the decision need to know of one face. Pure data. */
export interface FaceEvidence {
  /** Landmark box in frame pixels. */
  readonly box: PixelRect;
  /** Detector confidence, 0..1. */
  readonly detectionScore: number;
  /** MiniFASNet `real - spoof` logit margin; above 0 reads as live. */
  readonly liveness: number;
  /** MesoNet probability that the face is not a deepfake. */
  readonly realness: number;
  /**
   * Every passive model's score, log-odds of a bona fide face, by model id (`AnalysedFace`'s
   * `passive`): the inputs of the passive fusion.
   */
  readonly passive: Readonly<Record<string, number>>;
  readonly pose: HeadPose;
  /**
   * The face regions' and the background's light with the regions' surface normals, for the
   * illumination challenge; `null` when a region left the frame.
   */
  readonly light: MeasuredLight | null;
  /**
   * The face's embedding (`faceEmbedding`; biometric data, never logged), or `null` where no
   * face-recognition model ran; the face-consistency check compares them across the session.
   */
  readonly embedding: Float32Array | null;
  /** Mean face luma, 0..255. */
  readonly luma: number;
  /** Blur measure, see `faceQuality`. */
  readonly sharpness: number;
  /** Face width over the frame's shorter side. */
  readonly faceSize: number;
}

/**
 * One frame reduced to numbers: no pixels, so it can cross a worker boundary cheaply and be
 * kept for audit without holding biometric images. Pure data.
 */
export interface FrameEvidence {
  /** Capture time, epoch ms (from the result token). */
  readonly capturedAt: number;
  /** How many faces the detector found. */
  readonly faceCount: number;
  /** The best face, or `null` when none was found or the mesh rejected it. */
  readonly face: FaceEvidence | null;
}
