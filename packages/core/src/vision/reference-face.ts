import { LumenError, type ReferenceKind } from "@lumen/protocol";
import { DECISION_THRESHOLDS } from "../challenges/decision-thresholds.ts";
import { faceQuality } from "../challenges/face-quality.ts";
import type { RgbaImage } from "../image/rgba-image.ts";
import { detectFaceLandmarks, type FaceMeshRunner } from "./detect-face-landmarks.ts";
import { detectFaces, type FaceDetectorRunner } from "./detect-faces.ts";
import type { FaceDetection } from "./face-detection.ts";
import { faceEmbedding, type FaceEmbeddingRunner } from "./face-embedding.ts";
import { faceMeshRoi } from "./face-mesh-roi.ts";
import { landmarksBox } from "./landmarks-box.ts";

/**
 * Smallest distance between the outer eye corners (face-mesh landmarks 33 and 263) of a
 * reference face, in image pixels. The 150 × 150 chip the embedding network reads puts them
 * about 74 px apart, so a face under 24 px is enlarged more than 3×. Measured on the shared
 * identities: the celeb5 web photos whose spans are 24–47 px still separate their five people
 * (no genuine pair farther apart than the nearest impostor pair), while a 48 px bound refused
 * 12 of those 30 photos. A document photographed by a phone gives far more (ICAO 9303 asks for
 * 90 px between the eye centres of the printed portrait's source).
 */
export const REFERENCE_MIN_EYE_SPAN_PX = 24;
/**
 * Mean face luma bounds (0..255) of a reference face: the capture's own `LOW_QUALITY` bounds
 * (`DECISION_THRESHOLDS.standard`), so a reference is held to what a live frame is.
 */
export const REFERENCE_LUMA_RANGE = {
  min: DECISION_THRESHOLDS.standard.minLuma,
  max: DECISION_THRESHOLDS.standard.maxLuma,
} as const;
/**
 * Smallest sharpness (`faceQuality`) of a reference face, twice the capture's `LOW_QUALITY`
 * bound: blur moves the embedding toward everyone's. On d3's still (sharpness 6.9, a 290 px
 * face) a Gaussian blur of σ = 6 px reads 2.4 and moves the embedding 0.28 (half the match
 * bound), σ = 10 moves it 0.44, σ = 14 0.59 (a mismatch with oneself). 3 refuses it from
 * σ ≈ 4 on; every face of the shared identity set reads 3.5 or more.
 */
export const REFERENCE_MIN_SHARPNESS = 2 * DECISION_THRESHOLDS.standard.minSharpness;

/** The models a reference face goes through, each bound by the caller to its runtime. */
export interface ReferenceFaceRunners {
  readonly detector: FaceDetectorRunner;
  readonly mesh: FaceMeshRunner;
  readonly embed: FaceEmbeddingRunner;
}

function unusable(message: string): LumenError {
  return new LumenError("REFERENCE_UNUSABLE", message);
}

function largest(faces: readonly FaceDetection[]): FaceDetection | undefined {
  let best: FaceDetection | undefined;
  for (const face of faces) {
    if (!best || face.box.width * face.box.height > best.box.width * best.box.height) best = face;
  }
  return best;
}

/**
 * The embedding of the face a reference image shows, after the checks that make it worth
 * comparing: a `portrait` must show exactly one face, a `document` (a photo of a whole identity
 * document, whose second, smaller "ghost" portrait is common) gives its largest; the face must
 * be meshed, at least {@link REFERENCE_MIN_EYE_SPAN_PX} wide between the eyes, neither too dark
 * nor too bright ({@link REFERENCE_LUMA_RANGE}) and sharp ({@link REFERENCE_MIN_SHARPNESS}).
 * The embedding is biometric data: keep it like a frame, never log it.
 *
 * @throws {LumenError} `REFERENCE_UNUSABLE` naming the first check the image fails;
 *   `IMAGE_INVALID` for a malformed image.
 * @example
 * ```ts
 * const embedding = await embedReferenceFace(image, { detector, mesh, embed }, "document");
 * ```
 */
export async function embedReferenceFace(
  image: RgbaImage,
  runners: ReferenceFaceRunners,
  kind: ReferenceKind,
): Promise<Float32Array> {
  const faces = await detectFaces(image, runners.detector);
  if (faces.length === 0) throw unusable("No face was found in the reference image");
  if (kind === "portrait" && faces.length > 1) {
    throw unusable(`The reference portrait shows ${faces.length} faces; it must show exactly one`);
  }
  const face = kind === "document" ? largest(faces) : faces[0];
  if (!face) throw unusable("No face was found in the reference image");
  const landmarks = await detectFaceLandmarks(image, faceMeshRoi(face), runners.mesh);
  if (!landmarks) {
    throw unusable("The reference face could not be located precisely (turned away or covered)");
  }
  const { points } = landmarks;
  const span = Math.hypot(
    (points[263 * 3] ?? Number.NaN) - (points[33 * 3] ?? Number.NaN),
    (points[263 * 3 + 1] ?? Number.NaN) - (points[33 * 3 + 1] ?? Number.NaN),
  );
  if (!(span >= REFERENCE_MIN_EYE_SPAN_PX)) {
    throw unusable(
      `The reference face is too small: ${span.toFixed(1)} px between the outer eye corners, at least ${REFERENCE_MIN_EYE_SPAN_PX} are needed`,
    );
  }
  const quality = faceQuality(image, landmarksBox(points));
  if (quality.luma < REFERENCE_LUMA_RANGE.min) throw unusable("The reference face is too dark");
  if (quality.luma > REFERENCE_LUMA_RANGE.max) throw unusable("The reference face is too bright");
  if (!(quality.sharpness >= REFERENCE_MIN_SHARPNESS)) {
    throw unusable("The reference face is blurred");
  }
  return faceEmbedding(image, points, runners.embed);
}
