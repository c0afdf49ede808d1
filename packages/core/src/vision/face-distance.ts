/**
 * The face-distance threshold in force: two embeddings of `face-recognition-resnet29` at most
 * this far apart are the same person. 0.6 is dlib's published operating point for this network
 * (`dnn_face_recognition_ex.cpp`; 99.38 % accuracy on LFW), a general-purpose choice rather
 * than one set for a stated false-match rate: `pnpm eval --identities` reports the FMR and
 * FNMR it gives on a data set and the distances at FMR 1 % and 0.1 %.
 */
export const FACE_MATCH_THRESHOLD = 0.6;

/**
 * The Euclidean distance between two face embeddings (from `faceEmbedding`): 0 for identical
 * faces, at most {@link FACE_MATCH_THRESHOLD} for the same person.
 *
 * @throws {RangeError} for embeddings that are empty, of different lengths or not finite.
 * @example
 * ```ts
 * const same = faceDistance(live, reference) <= FACE_MATCH_THRESHOLD;
 * ```
 */
export function faceDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) {
    throw new RangeError(
      `Face embeddings must have the same non-zero length, got ${a.length} and ${b.length}`,
    );
  }
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? Number.NaN) - (b[i] ?? Number.NaN);
    sum += d * d;
  }
  if (!Number.isFinite(sum)) throw new RangeError("Face embeddings must be finite");
  return Math.sqrt(sum);
}
