import type { PixelRect, RgbaImage } from "../image/rgba-image.ts";
import type { FaceDetectionOptions } from "./decode-face-detections.ts";
import { detectFaceLandmarks, type FaceMeshRunner } from "./detect-face-landmarks.ts";
import { detectFaces, type FaceDetectorRunner } from "./detect-faces.ts";
import { faceEmbedding, type FaceEmbeddingRunner } from "./face-embedding.ts";
import type { FaceDetection } from "./face-detection.ts";
import type { FaceLandmarks } from "./face-landmarks.ts";
import { faceMeshRoi } from "./face-mesh-roi.ts";
import { landmarksBox } from "./landmarks-box.ts";
import { mesonetInput, mesonetScore } from "./mesonet.ts";
import { minifasnetInput, minifasnetScore } from "./minifasnet.ts";

/** Runs a classifier on one NCHW float32 input and returns its raw output values. */
export type ClassifierRunner = (input: Float32Array) => Promise<ArrayLike<number>>;

/** The four models a frame goes through, each bound by the caller to its runtime. */
export interface FrameAnalysisRunners {
  readonly detector: FaceDetectorRunner;
  readonly mesh: FaceMeshRunner;
  /** MiniFASNet: `[1, 3, 128, 128]` in, `[real, spoof]` logits out. */
  readonly antiSpoof: ClassifierRunner;
  /** MesoNet-4: `[1, 3, 256, 256]` in, one sigmoid probability out. */
  readonly deepfake: ClassifierRunner;
  /**
   * The face-recognition model (`faceEmbedding`): where bound (the server), each face gets its
   * embedding, which decides whether the face stays the same through a session.
   */
  readonly embed?: FaceEmbeddingRunner;
}

/** The face a frame is judged on: the detector's best, with its mesh and scores. */
export interface AnalysedFace {
  readonly detection: FaceDetection;
  readonly landmarks: FaceLandmarks;
  /** Bounding box of the landmarks, the face box the classifiers crop from. */
  readonly box: PixelRect;
  /** MiniFASNet `real - spoof` logit margin; above 0 reads as live. */
  readonly liveness: number;
  /** MesoNet probability that the face is real (not a deepfake). */
  readonly realness: number;
  /** The face's embedding (biometric data), or `null` without an `embed` runner. */
  readonly embedding: Float32Array | null;
}

/** What one frame shows. Pure data. */
export interface FrameAnalysis {
  /** Every face the detector found, best first; more than one is an attack signal. */
  readonly faces: readonly FaceDetection[];
  /** The best face analysed, or `null` when no face was found or the mesh rejected it. */
  readonly face: AnalysedFace | null;
}

/**
 * The per-frame analysis shared by the SDK and the server: detect faces, mesh the best one,
 * then score it for presentation attacks and deepfakes. Both sides run exactly this code on
 * the same pixels, so their numbers can be compared to catch a tampered client.
 *
 * @example
 * ```ts
 * const analysis = await analyseFrame(frame, runners);
 * if (analysis.faces.length > 1) reasons.add("MULTIPLE_FACES");
 * ```
 */
export async function analyseFrame(
  frame: RgbaImage,
  runners: FrameAnalysisRunners,
  options: FaceDetectionOptions = {},
): Promise<FrameAnalysis> {
  const faces = await detectFaces(frame, runners.detector, options);
  const detection = faces[0];
  if (!detection) return { faces, face: null };
  const landmarks = await detectFaceLandmarks(frame, faceMeshRoi(detection), runners.mesh);
  if (!landmarks) return { faces, face: null };
  const box = landmarksBox(landmarks.points);
  const liveness = minifasnetScore(await runners.antiSpoof(minifasnetInput(frame, box)));
  const realness = mesonetScore(await runners.deepfake(mesonetInput(frame, box)));
  const embedding = runners.embed
    ? await faceEmbedding(frame, landmarks.points, runners.embed)
    : null;
  return { faces, face: { detection, landmarks, box, liveness, realness, embedding } };
}
