import { FACE_EMBEDDING_LENGTH } from "./face-embedding.ts";

/**
 * The element-wise mean of several face embeddings: a steadier description of one person than
 * any single frame's (pose, light and blur average out).
 *
 * @throws {RangeError} for no embeddings or one of the wrong length.
 * @example
 * ```ts
 * const before = meanEmbedding(embeddings.slice(0, split));
 * ```
 */
export function meanEmbedding(embeddings: readonly Float32Array[]): Float32Array {
  if (embeddings.length === 0) throw new RangeError("No embeddings to average");
  const mean = new Float32Array(FACE_EMBEDDING_LENGTH);
  for (const row of embeddings) {
    if (row.length !== FACE_EMBEDDING_LENGTH) {
      throw new RangeError(`A face embedding must hold ${FACE_EMBEDDING_LENGTH} values`);
    }
    for (let k = 0; k < mean.length; k++) {
      mean[k] = (mean[k] ?? 0) + (row[k] ?? 0) / embeddings.length;
    }
  }
  return mean;
}
