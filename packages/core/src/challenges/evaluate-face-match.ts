import type { FaceMatch } from "@lumen/protocol";
import { faceDistance } from "../vision/face-distance.ts";
import { meanEmbedding } from "../vision/mean-embedding.ts";
import type { FrameEvidence } from "./frame-evidence.ts";

/** How many of the session's most frontal face frames are averaged against the reference. */
export const FACE_MATCH_FRAMES = 5;

/** A face-match operating point: the largest embedding distance that matches, and its FMR. */
export interface FaceMatchThreshold {
  /** Largest `faceDistance` between the live face and the reference that is a match. */
  readonly maxDistance: number;
  /** The false-match rate this bound was set for, measured on the development data. */
  readonly fmr: number;
}

/**
 * The face match for a false-match rate of 1 in 100 (`standard`, `no-flash`): the largest
 * distance, to two decimals, whose FMR on the development identities is at most 1 %
 * (`pnpm eval --identities ../shared/media/identities`, faces enrolled as documents are: 85 of
 * 98 images, 89 genuine and 3,481 impostor pairs): FMR 0.83 % (29 pairs), FNMR 21 % (most of
 * it the set's 100 × 100 grey LFW crops). dlib's own operating point, 0.6, gives FMR 2.5 %.
 * Live frames against a still cut from the same video measure 0.12–0.22, against the four
 * other people of the shared genuine videos 0.60–0.95. Small data: the FMR is known to about
 * ±0.3 %, the FNMR to ±4 %.
 */
export const FACE_MATCH_AT_FMR_1_PERCENT: FaceMatchThreshold = { maxDistance: 0.54, fmr: 0.01 };
/**
 * The face match for a false-match rate of 1 in 1,000 (`high`): as
 * {@link FACE_MATCH_AT_FMR_1_PERCENT}, the largest two-decimal distance whose FMR on the same
 * data is at most 0.1 %: FMR 0.09 % (3 of 3,481 impostor pairs), FNMR 39 %. Three pairs cannot
 * establish 0.1 % with any confidence; the bound is the data's best estimate, not a guarantee.
 */
export const FACE_MATCH_AT_FMR_0_1_PERCENT: FaceMatchThreshold = {
  maxDistance: 0.48,
  fmr: 0.001,
};

function frontality(frame: FrameEvidence): number {
  const pose = frame.face?.pose;
  return pose ? Math.abs(pose.yawDegrees) + Math.abs(pose.pitchDegrees) : Infinity;
}

/**
 * Compares the live face with a reference image's face: the mean embedding of the session's
 * {@link FACE_MATCH_FRAMES} most frontal face frames (the pose a document portrait has), at most
 * `threshold.maxDistance` from the reference's embedding. A session without an embedded face
 * cannot be matched and reads as a mismatch with `similarity: null` (fail closed).
 *
 * @example
 * ```ts
 * const match = evaluateFaceMatch(frames, referenceEmbedding, DECISION_THRESHOLDS.standard.faceMatch);
 * if (match.decision === "mismatch") reasons.push("FACE_MISMATCH");
 * ```
 */
export function evaluateFaceMatch(
  frames: readonly FrameEvidence[],
  reference: Float32Array,
  threshold: FaceMatchThreshold,
): FaceMatch {
  const chosen = frames
    .filter((frame) => frame.face?.embedding)
    .sort((a, b) => frontality(a) - frontality(b))
    .slice(0, FACE_MATCH_FRAMES)
    .flatMap((frame) => (frame.face?.embedding ? [frame.face.embedding] : []));
  const bound = { threshold: 1 - threshold.maxDistance, fmr: threshold.fmr };
  if (chosen.length === 0) return { similarity: null, ...bound, decision: "mismatch" };
  const distance = faceDistance(meanEmbedding(chosen), reference);
  return {
    similarity: 1 - distance,
    ...bound,
    decision: distance <= threshold.maxDistance ? "match" : "mismatch",
  };
}
