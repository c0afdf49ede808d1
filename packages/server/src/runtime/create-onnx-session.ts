import { InferenceSession } from "onnxruntime-node";
import { LumenError } from "@lumen/protocol";

/**
 * An onnxruntime-node session on the CPU from model bytes that already passed
 * `loadVerifiedModel`; taking bytes, not a path, means no unverified file is ever opened.
 *
 * @example
 * ```ts
 * const session = await createOnnxSession(await loadVerifiedModel(spec, source));
 * ```
 */
export async function createOnnxSession(verifiedModel: Uint8Array): Promise<InferenceSession> {
  try {
    return await InferenceSession.create(verifiedModel, {
      executionProviders: ["cpu"],
      graphOptimizationLevel: "all",
      // One inference thread per worker: the server scales with a pool of workers instead.
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
    });
  } catch (cause) {
    throw new LumenError("INFERENCE_FAILED", "The model could not be loaded by onnxruntime", {
      cause,
    });
  }
}
