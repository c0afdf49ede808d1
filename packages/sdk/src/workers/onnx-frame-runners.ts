import * as ort from "onnxruntime-web";
import {
  getModelSpec,
  loadVerifiedModel,
  sha256Hex,
  type FrameAnalysisRunners,
  type ModelSource,
} from "@lumen/core";
import type { ExecutionProvider } from "./analysis-api.ts";

/** The ONNX models of the per-frame analysis, in `FrameAnalysisRunners` order. */
export const ANALYSIS_MODEL_IDS = [
  "face-detector",
  "face-mesh",
  "minifasnet-v2-se",
  "mesonet4-df",
] as const;

/** Runners bound to onnxruntime-web, with what ran them. */
export interface OnnxFrameRunners {
  readonly runners: FrameAnalysisRunners;
  readonly executionProvider: ExecutionProvider;
  readonly webGpuUnavailable: string | null;
  readonly modelsHash: string;
  release(): Promise<void>;
}

function output(outputs: ort.InferenceSession.ReturnType, name: string): Float32Array {
  const tensor = outputs[name];
  if (tensor?.type !== "float32") throw new Error(`no float32 output "${name}"`);
  return tensor.data as Float32Array;
}

async function webGpuAdapter(): Promise<string | null> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (gpu === undefined) return "navigator.gpu is missing";
  try {
    return (await gpu.requestAdapter()) === null ? "no WebGPU adapter" : null;
  } catch (error) {
    return `requestAdapter failed: ${String(error)}`;
  }
}

async function openSessions(
  models: readonly Uint8Array[],
  provider: ExecutionProvider,
): Promise<ort.InferenceSession[]> {
  const sessions: ort.InferenceSession[] = [];
  try {
    for (const bytes of models) {
      sessions.push(
        await ort.InferenceSession.create(bytes, {
          executionProviders: [provider],
          graphOptimizationLevel: "all",
        }),
      );
    }
    return sessions;
  } catch (error) {
    await Promise.all(sessions.map((session) => session.release()));
    throw error;
  }
}

/**
 * Loads the four analysis models through `loadVerifiedModel` (size and SHA-256 pins) and binds
 * them to onnxruntime-web: WebGPU when asked for and an adapter exists, else WASM. Each session is
 * created on exactly one provider, so `executionProvider` is what ran, never a silent fallback.
 * Runs inside the analysis worker, which owns its realm, so setting `ort.env` here is local.
 *
 * @throws {LumenError} `MODEL_NOT_FOUND` or `MODEL_INTEGRITY_FAILED` from the loader.
 * @example
 * ```ts
 * const { runners, executionProvider } = await createOnnxFrameRunners(source, { wasmBaseUrl, preferWebGpu: true });
 * const analysis = await analyseFrame(frame, runners);
 * ```
 */
export async function createOnnxFrameRunners(
  source: ModelSource,
  options: { readonly wasmBaseUrl: URL; readonly preferWebGpu: boolean },
): Promise<OnnxFrameRunners> {
  // The bundle carries ort's JS glue; only the binary is fetched, from the integrator's host.
  ort.env.wasm.wasmPaths = {
    wasm: new URL("ort-wasm-simd-threaded.jsep.wasm", options.wasmBaseUrl).href,
  };
  // Threads need SharedArrayBuffer, i.e. a cross-origin isolated page.
  ort.env.wasm.numThreads = globalThis.crossOriginIsolated
    ? Math.min(4, navigator.hardwareConcurrency)
    : 1;
  ort.env.wasm.proxy = false;

  const specs = ANALYSIS_MODEL_IDS.map((id) => getModelSpec(id));
  const models = await Promise.all(specs.map((spec) => loadVerifiedModel(spec, source)));
  const modelsHash = await sha256Hex(
    new TextEncoder().encode(JSON.stringify(specs.map(({ id, sha256 }) => ({ id, sha256 })))),
  );

  let webGpuUnavailable = options.preferWebGpu ? await webGpuAdapter() : "not requested";
  let executionProvider: ExecutionProvider = "wasm";
  let sessions: ort.InferenceSession[] | null = null;
  if (webGpuUnavailable === null) {
    try {
      sessions = await openSessions(models, "webgpu");
      executionProvider = "webgpu";
    } catch (error) {
      webGpuUnavailable = `WebGPU session failed: ${String(error)}`;
    }
  }
  sessions ??= await openSessions(models, "wasm");
  const [detector, mesh, antiSpoof, deepfake] = sessions;
  if (!detector || !mesh || !antiSpoof || !deepfake) throw new Error("a session is missing");
  const run = (session: ort.InferenceSession, input: Float32Array, size: number) =>
    session.run({ input: new ort.Tensor("float32", input, [1, 3, size, size]) });
  const runners: FrameAnalysisRunners = {
    detector: async (input) => {
      const out = await run(detector, input, 128);
      return {
        regressors: output(out, "regressors"),
        classificators: output(out, "classificators"),
      };
    },
    mesh: async (input) => {
      const out = await run(mesh, input, 192);
      return { landmarks: output(out, "landmarks"), faceFlag: output(out, "face_flag") };
    },
    antiSpoof: async (input) => output(await run(antiSpoof, input, 128), "output"),
    deepfake: async (input) => output(await run(deepfake, input, 256), "output"),
  };
  return {
    runners,
    executionProvider,
    webGpuUnavailable,
    modelsHash,
    release: async () => {
      await Promise.all(sessions.map((session) => session.release()));
    },
  };
}
