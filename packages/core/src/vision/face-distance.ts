/**
 * The Euclidean distance between two face embeddings (from `faceEmbedding`): 0 for identical
 * faces; the face match's policy thresholds (`FACE_MATCH_AT_FMR_1_PERCENT`) bound it for one
 * person.
 *
 * @throws {RangeError} for embeddings that are empty, of different lengths or not finite.
 * @example
 * ```ts
 * const same = faceDistance(live, reference) <= FACE_MATCH_AT_FMR_1_PERCENT.maxDistance;
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
