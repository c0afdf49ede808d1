import { LumenError } from "@lumen/protocol";
import { sha256Hex } from "../crypto/sha256-hex.ts";
import { getModelSpec } from "../models/model-catalog.ts";
import type { PassiveModel } from "../passive/passive-model.ts";
import type { FrameAnalysisRunners, PassiveRunner } from "./analyse-frame.ts";
import { FACE_CHIP_SIZE } from "./face-chip.ts";
import type { FaceEmbeddingRunner } from "./face-embedding.ts";

/** The ONNX models of the per-frame analysis, in {@link FrameAnalysisSessions} order. */
export const ANALYSIS_MODEL_IDS = [
  "face-detector",
  "face-mesh",
  "minifasnet-v2-se",
  "mesonet4-df",
] as const;

/**
 * SHA-256 (hex) of the analysis models' ids and pinned hashes, in {@link ANALYSIS_MODEL_IDS}
 * order: the `models` claim of the SDK's result token, and what an evaluation report names.
 *
 * @example
 * ```ts
 * const models = await analysisModelsHash();
 * ```
 */
export async function analysisModelsHash(): Promise<string> {
  const pins = ANALYSIS_MODEL_IDS.map((id) => getModelSpec(id)).map(({ id, sha256 }) => ({
    id,
    sha256,
  }));
  // Ids and hex digests only: ASCII, so one byte per character is the UTF-8 encoding.
  const json = JSON.stringify(pins);
  return sha256Hex(Uint8Array.from(json, (c) => c.charCodeAt(0)));
}

/** What {@link bindOnnxRunners} reads of an output tensor (onnxruntime-web and -node alike). */
export interface OnnxOutputLike {
  readonly type: string;
  readonly data: unknown;
}

/** The part of an onnxruntime `InferenceSession` the frame analysis uses. */
export interface OnnxSessionLike<T> {
  run(feeds: Record<string, T>): Promise<Record<string, OnnxOutputLike>>;
}

/** One session per model of {@link FrameAnalysisRunners}. */
export interface FrameAnalysisSessions<T> {
  readonly detector: OnnxSessionLike<T>;
  readonly mesh: OnnxSessionLike<T>;
  readonly antiSpoof: OnnxSessionLike<T>;
  readonly deepfake: OnnxSessionLike<T>;
}

function float32(outputs: Record<string, OnnxOutputLike>, name: string): Float32Array {
  const tensor = outputs[name];
  if (tensor?.type !== "float32" || !(tensor.data instanceof Float32Array)) {
    throw new LumenError("INFERENCE_FAILED", `The model gave no float32 output "${name}"`);
  }
  return tensor.data;
}

/**
 * Binds four onnxruntime sessions (web or node: the caller passes its own `Tensor` maker) to the
 * runners `analyseFrame` takes, so the SDK, the server and the tests feed and read the models in
 * exactly one way.
 *
 * @example
 * ```ts
 * const runners = bindOnnxRunners(sessions, (data, dims) => new Tensor("float32", data, dims));
 * const analysis = await analyseFrame(frame, runners);
 * ```
 */
export function bindOnnxRunners<T>(
  sessions: FrameAnalysisSessions<T>,
  tensor: (data: Float32Array, dims: readonly number[]) => T,
): FrameAnalysisRunners {
  const run = (session: OnnxSessionLike<T>, input: Float32Array, size: number) =>
    session.run({ input: tensor(input, [1, 3, size, size]) });
  return {
    detector: async (input) => {
      const out = await run(sessions.detector, input, 128);
      return {
        regressors: float32(out, "regressors"),
        classificators: float32(out, "classificators"),
      };
    },
    mesh: async (input) => {
      const out = await run(sessions.mesh, input, 192);
      return { landmarks: float32(out, "landmarks"), faceFlag: float32(out, "face_flag") };
    },
    antiSpoof: async (input) => float32(await run(sessions.antiSpoof, input, 128), "output"),
    deepfake: async (input) => float32(await run(sessions.deepfake, input, 256), "output"),
  };
}

/**
 * Binds an onnxruntime session of `face-recognition-resnet29` (web or node) to the runner
 * `faceEmbedding` takes: the chip as `input [1, 3, 150, 150]`, the `embedding` output read.
 *
 * @example
 * ```ts
 * const embed = bindOnnxFaceEmbeddingRunner(session, (data, dims) => new Tensor("float32", data, dims));
 * const embedding = await faceEmbedding(frame, analysis.face.landmarks.points, embed);
 * ```
 */
export function bindOnnxFaceEmbeddingRunner<T>(
  session: OnnxSessionLike<T>,
  tensor: (data: Float32Array, dims: readonly number[]) => T,
): FaceEmbeddingRunner {
  return async (input) => {
    const out = await session.run({
      input: tensor(input, [1, 3, FACE_CHIP_SIZE, FACE_CHIP_SIZE]),
    });
    return float32(out, "embedding");
  };
}

/**
 * Binds an onnxruntime session of a passive model (web or node) to the runner `analyseFrame`
 * takes: its input fed under the model's input name in its layout, its output read by name.
 *
 * @example
 * ```ts
 * const runner = bindOnnxPassiveRunner(session, PASSIVE_MODELS["mesonet4-f2f"], (data, dims) => new Tensor("float32", data, dims));
 * ```
 */
export function bindOnnxPassiveRunner<T>(
  session: OnnxSessionLike<T>,
  model: PassiveModel,
  tensor: (data: Float32Array, dims: readonly number[]) => T,
): PassiveRunner {
  const dims =
    model.layout === "NCHW" ? [1, 3, model.size, model.size] : [1, model.size, model.size, 3];
  return {
    model,
    run: async (input) =>
      float32(await session.run({ [model.inputName]: tensor(input, dims) }), model.outputName),
  };
}
