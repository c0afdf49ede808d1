import type { RgbaImage } from "../image/rgba-image.ts";
import { faceChipInput } from "./face-chip.ts";

/** Numbers in one face embedding of `face-recognition-resnet29` (dlib's ResNet-29). */
export const FACE_EMBEDDING_LENGTH = 128;

/**
 * Runs the face-recognition model on one input, bound by the caller to its runtime: `input` is
 * NCHW float32 `[1, 3, 150, 150]`, the output its `embedding` (128 values).
 */
export type FaceEmbeddingRunner = (input: Float32Array) => Promise<ArrayLike<number>>;

/**
 * The 128-d embedding of one face: its aligned chip ({@link faceChipInput}) through the
 * injected face-recognition runner. Two embeddings are compared with {@link faceDistance}.
 * The result is biometric data: keep it like the frames it came from, never log it.
 *
 * @param points the face mesh's `x, y, z` triples in frame pixels (`FaceLandmarks.points`).
 * @throws {LumenError} `IMAGE_INVALID` for a malformed image.
 * @throws {RangeError} for bad landmarks, or an output that is not 128 finite values (the wrong
 *   model is bound or the runtime is broken, which no frame can cause).
 * @example
 * ```ts
 * const embed: FaceEmbeddingRunner = bindOnnxFaceEmbeddingRunner(session, (data, dims) => new Tensor("float32", data, dims));
 * const embedding = await faceEmbedding(frame, analysis.face.landmarks.points, embed);
 * ```
 */
export async function faceEmbedding(
  image: RgbaImage,
  points: Float32Array,
  run: FaceEmbeddingRunner,
): Promise<Float32Array> {
  const output = await run(faceChipInput(image, points));
  if (output.length !== FACE_EMBEDDING_LENGTH) {
    throw new RangeError(
      `The face embedding must hold ${FACE_EMBEDDING_LENGTH} values, got ${output.length}`,
    );
  }
  const embedding = Float32Array.from(output);
  if (!embedding.every(Number.isFinite)) throw new RangeError("The face embedding is not finite");
  return embedding;
}
