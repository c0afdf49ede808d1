import { Tensor, type InferenceSession } from "onnxruntime-node";
import {
  analyseFrame,
  bindOnnxFaceEmbeddingRunner,
  bindOnnxRunners,
  embedReferenceFace,
  getModelSpec,
  loadVerifiedModel,
  type FrameAnalysis,
  type RgbaImage,
} from "@lumen/core";
import type { ReferenceKind } from "@lumen/protocol";
import { createOnnxSession } from "../runtime/create-onnx-session.ts";
import { createFsModelSource } from "../runtime/fs-model-source.ts";

/**
 * Runs the shared per-frame analysis on the server's own copies of the models, with the face
 * embedding (which the SDK does not compute) for the identity check.
 */
export interface FrameAnalyzer {
  analyse(frame: RgbaImage): Promise<FrameAnalysis>;
  /** The embedding of a reference image's face (`embedReferenceFace`, with its checks). */
  embedReference(image: RgbaImage, kind: ReferenceKind): Promise<Float32Array>;
  /** Releases the inference sessions. */
  close(): Promise<void>;
}

/** Options of {@link createOnnxFrameAnalyzer}. */
export interface OnnxFrameAnalyzerOptions {
  /** Folder holding the files `pnpm models` builds (`models/dist/`). */
  readonly modelDir: string;
}

/**
 * A {@link FrameAnalyzer} on onnxruntime-node. Every model passes the pinned SHA-256 check
 * before a session is created.
 *
 * @example
 * ```ts
 * const analyzer = await createOnnxFrameAnalyzer({ modelDir: "models/dist" });
 * const { faces, face } = await analyzer.analyse(decodeJpeg(bytes, { maxPixels: 1280 * 720 }));
 * ```
 */
export async function createOnnxFrameAnalyzer(
  options: OnnxFrameAnalyzerOptions,
): Promise<FrameAnalyzer> {
  const source = createFsModelSource(options.modelDir);
  const open = async (id: string): Promise<InferenceSession> =>
    createOnnxSession(await loadVerifiedModel(getModelSpec(id), source));
  const sessions = await Promise.all(
    [
      "face-detector",
      "face-mesh",
      "minifasnet-v2-se",
      "mesonet4-df",
      "face-recognition-resnet29",
    ].map(open),
  );
  const [detector, mesh, antiSpoof, deepfake, recognition] = sessions as [
    InferenceSession,
    InferenceSession,
    InferenceSession,
    InferenceSession,
    InferenceSession,
  ];
  const tensor = (data: Float32Array, dims: readonly number[]): Tensor =>
    new Tensor("float32", data, dims);
  const runners = {
    ...bindOnnxRunners({ detector, mesh, antiSpoof, deepfake }, tensor),
    embed: bindOnnxFaceEmbeddingRunner(recognition, tensor),
  };
  return {
    analyse: (frame) => analyseFrame(frame, runners),
    embedReference: (image, kind) =>
      embedReferenceFace(
        image,
        { detector: runners.detector, mesh: runners.mesh, embed: runners.embed },
        kind,
      ),
    close: async () => {
      await Promise.all(sessions.map((session) => session.release()));
    },
  };
}
