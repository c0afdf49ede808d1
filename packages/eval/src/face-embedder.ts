import { Tensor, type InferenceSession } from "onnxruntime-node";
import {
  ANALYSIS_MODEL_IDS,
  bindOnnxFaceEmbeddingRunner,
  bindOnnxRunners,
  detectFaceLandmarks,
  detectFaces,
  faceEmbedding,
  faceMeshRoi,
  getModelSpec,
  loadVerifiedModel,
  type FaceDetection,
  type RgbaImage,
} from "@lumen/core";
import { createFsModelSource, createOnnxSession } from "@lumen/server";

/** The face-recognition model the embeddings come from. */
export const FACE_RECOGNITION_MODEL_ID = "face-recognition-resnet29";

/** Embeds the face of a photo, on onnxruntime-node. */
export interface FaceEmbedder {
  /**
   * The 128-d embedding of the largest face the detector finds, or `null` when it finds none
   * or the face mesh rejects it (a failure to enrol).
   */
  embed(frame: RgbaImage): Promise<Float32Array | null>;
  /** Releases the inference sessions. */
  close(): Promise<void>;
}

function largest(faces: readonly FaceDetection[]): FaceDetection | undefined {
  let best: FaceDetection | undefined;
  for (const face of faces) {
    if (!best || face.box.width * face.box.height > best.box.width * best.box.height) best = face;
  }
  return best;
}

/**
 * A {@link FaceEmbedder} on the pinned models in `modelDir` (each passes its SHA-256 check):
 * the core's face detector and mesh find the face, `faceEmbedding` aligns and embeds it.
 *
 * @example
 * ```ts
 * const embedder = await createOnnxFaceEmbedder({ modelDir: "models/dist" });
 * const embedding = await embedder.embed(frame);
 * ```
 */
export async function createOnnxFaceEmbedder(options: {
  readonly modelDir: string;
}): Promise<FaceEmbedder> {
  const source = createFsModelSource(options.modelDir);
  const open = async (id: string): Promise<InferenceSession> =>
    createOnnxSession(await loadVerifiedModel(getModelSpec(id), source));
  // bindOnnxRunners binds the whole analysis; only its detector and mesh run here.
  const sessions = await Promise.all([...ANALYSIS_MODEL_IDS, FACE_RECOGNITION_MODEL_ID].map(open));
  const [detector, mesh, antiSpoof, deepfake, recognition] = sessions as [
    InferenceSession,
    InferenceSession,
    InferenceSession,
    InferenceSession,
    InferenceSession,
  ];
  const tensor = (data: Float32Array, dims: readonly number[]) => new Tensor("float32", data, dims);
  const runners = bindOnnxRunners({ detector, mesh, antiSpoof, deepfake }, tensor);
  const embed = bindOnnxFaceEmbeddingRunner(recognition, tensor);
  return {
    async embed(frame) {
      const face = largest(await detectFaces(frame, runners.detector));
      if (!face) return null;
      const landmarks = await detectFaceLandmarks(frame, faceMeshRoi(face), runners.mesh);
      return landmarks ? faceEmbedding(frame, landmarks.points, embed) : null;
    },
    close: async () => {
      await Promise.all(sessions.map((session) => session.release()));
    },
  };
}
