import { FACE_EMBEDDING_LENGTH } from "../../src/index.ts";

/** An embedding with `value` at `index` and 0 elsewhere. */
function axis(index: number, value: number): Float32Array {
  const embedding = new Float32Array(FACE_EMBEDDING_LENGTH);
  embedding[index] = value;
  return embedding;
}

/** One person's face embedding, for evidence fixtures. */
export const PERSON_A = axis(0, 0.5);
/** Another person's: 0.71 from {@link PERSON_A}, past the identity bound. */
export const PERSON_B = axis(1, 0.5);

/** `embedding` moved by `distance` along an axis it does not use (the same face, turned). */
export function nudged(embedding: Float32Array, distance: number): Float32Array {
  const out = Float32Array.from(embedding);
  out[FACE_EMBEDDING_LENGTH - 1] = (out[FACE_EMBEDDING_LENGTH - 1] ?? 0) + distance;
  return out;
}
