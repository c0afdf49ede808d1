import { Tensor, type InferenceSession } from "onnxruntime-node";
import {
  analyseFrame,
  bindOnnxFaceEmbeddingRunner,
  bindOnnxPassiveRunner,
  bindOnnxRunners,
  embedReferenceFace,
  getModelSpec,
  loadVerifiedModel,
  PASSIVE_MODELS,
  SERVER_PASSIVE_MODEL_IDS,
  type FrameAnalysis,
  type ModelSpec,
  type PassiveModel,
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
  /**
   * The frame's analysis; with `passive: false` the further passive models (beyond MiniFASNet
   * and MesoNet) are skipped, see `isPassiveFrame`.
   */
  analyse(frame: RgbaImage, options?: { readonly passive?: boolean }): Promise<FrameAnalysis>;
  /** The embedding of a reference image's face (`embedReferenceFace`, with its checks). */
  embedReference(image: RgbaImage, kind: ReferenceKind): Promise<Float32Array>;
  /** Releases the inference sessions. */
  close(): Promise<void>;
}

/** A passive model the server runs on every face: how to feed and read it, and its pinned file. */
export interface PassiveModelFile {
  readonly model: PassiveModel;
  readonly spec: ModelSpec;
  /** Folder holding `spec.file`. */
  readonly directory: string;
}

/** Options of {@link createOnnxFrameAnalyzer}. */
export interface OnnxFrameAnalyzerOptions {
  /** Folder holding the files `pnpm models` builds (`models/dist/`). */
  readonly modelDir: string;
  /**
   * The passive models run on top of MiniFASNet and MesoNet; default: the shipped
   * `SERVER_PASSIVE_MODEL_IDS` from `modelDir`.
   */
  readonly passiveModels?: readonly PassiveModelFile[];
}

/**
 * The shipped passive models the server runs (`SERVER_PASSIVE_MODEL_IDS`), from `modelDir`.
 *
 * @example
 * ```ts
 * const models = shippedPassiveModels("models/dist");
 * ```
 */
export function shippedPassiveModels(modelDir: string): PassiveModelFile[] {
  return SERVER_PASSIVE_MODEL_IDS.map((id) => ({
    model: PASSIVE_MODELS[id],
    spec: getModelSpec(id),
    directory: modelDir,
  }));
}

/**
 * A {@link FrameAnalyzer} on onnxruntime-node. Every model passes the pinned SHA-256 check
 * before a session is created.
 *
 * @example
 * ```ts
 * const analyzer = await createOnnxFrameAnalyzer({ modelDir: "models/dist" });
 * const { faces, face } = await analyzer.analyse(await decodeJpeg(bytes, { maxPixels: 1280 * 720 }));
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
  const passiveFiles = options.passiveModels ?? shippedPassiveModels(options.modelDir);
  const passiveSessions = await Promise.all(
    passiveFiles.map(async ({ spec, directory }) =>
      createOnnxSession(await loadVerifiedModel(spec, createFsModelSource(directory))),
    ),
  );
  sessions.push(...passiveSessions);
  const tensor = (data: Float32Array, dims: readonly number[]): Tensor =>
    new Tensor("float32", data, dims);
  const runners = {
    ...bindOnnxRunners({ detector, mesh, antiSpoof, deepfake }, tensor),
    embed: bindOnnxFaceEmbeddingRunner(recognition, tensor),
  };
  const passive = passiveFiles.map(({ model }, i) =>
    bindOnnxPassiveRunner(passiveSessions[i] as InferenceSession, model, tensor),
  );
  return {
    analyse: (frame, { passive: withPassive = true } = {}) =>
      analyseFrame(frame, withPassive ? { ...runners, passive } : runners),
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
