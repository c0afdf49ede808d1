import type { InferenceSession } from "onnxruntime-web";
import {
  analysisModelsHash,
  ANALYSIS_MODEL_IDS,
  bindOnnxRunners,
  getModelSpec,
  loadVerifiedModel,
  type FrameAnalysisRunners,
  type ModelSource,
} from "@lumen/core";
import { RUNTIME_ASSETS } from "../runtime-assets.ts";
import type { ExecutionProvider } from "./analysis-api.ts";

type Ort = typeof import("onnxruntime-web");

/**
 * onnxruntime-web for `provider`, its binary fetched from `wasmBaseUrl`: the JSEP build (which
 * also runs WASM) where WebGPU may be used, else the plain SIMD build, about half its size.
 * Each is its own module with its own `env`.
 */
async function loadOrt(provider: ExecutionProvider, wasmBaseUrl: URL): Promise<Ort> {
  const files = RUNTIME_ASSETS["onnxruntime-web"];
  const ort =
    provider === "webgpu" ? await import("onnxruntime-web") : await import("onnxruntime-web/wasm");
  // The bundle carries ort's JS glue; only the binary is fetched, from the integrator's host.
  ort.env.wasm.wasmPaths = {
    wasm: new URL(provider === "webgpu" ? files.webgpu : files.wasm, wasmBaseUrl).href,
  };
  // Threads need SharedArrayBuffer, i.e. a cross-origin isolated page; the analysis worker
  // starts them with the WASM-only build's thread code, so the WebGPU build runs on one.
  ort.env.wasm.numThreads =
    provider === "wasm" && globalThis.crossOriginIsolated
      ? Math.min(4, navigator.hardwareConcurrency)
      : 1;
  ort.env.wasm.proxy = false;
  return ort;
}

/** Runners bound to onnxruntime-web, with what ran them. */
export interface OnnxFrameRunners {
  readonly runners: FrameAnalysisRunners;
  readonly executionProvider: ExecutionProvider;
  readonly webGpuUnavailable: string | null;
  /** The WASM threads onnxruntime-web settled on (it drops to 1 without SharedArrayBuffer). */
  readonly numThreads: number;
  readonly modelsHash: string;
  release(): Promise<void>;
}

interface GpuAdapterLike {
  readonly info?: {
    readonly vendor: string;
    readonly architecture: string;
    readonly isFallbackAdapter?: boolean;
  };
}

/** Why WebGPU will not be used, or `null` when an adapter worth using exists. */
async function webGpuAdapter(allowSoftware: boolean): Promise<string | null> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (gpu === undefined) return "navigator.gpu is missing";
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return `requestAdapter failed: ${String(error)}`;
  }
  if (adapter === null) return "no WebGPU adapter";
  // A software adapter (SwiftShader) computes the same numbers some 50 times slower than WASM.
  if (adapter.info?.isFallbackAdapter === true && !allowSoftware) {
    return `only a software WebGPU adapter (${adapter.info.vendor}/${adapter.info.architecture})`;
  }
  return null;
}

async function openSessions(
  ort: Ort,
  models: readonly Uint8Array[],
  provider: ExecutionProvider,
): Promise<InferenceSession[]> {
  const sessions: InferenceSession[] = [];
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
 * them to onnxruntime-web: WebGPU when asked for and a hardware adapter exists (a software
 * fallback adapter only with `allowSoftwareWebGpu`), else WASM, on the smaller WASM-only build. Each session is
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
  options: {
    readonly wasmBaseUrl: URL;
    readonly preferWebGpu: boolean;
    readonly allowSoftwareWebGpu?: boolean;
  },
): Promise<OnnxFrameRunners> {
  const specs = ANALYSIS_MODEL_IDS.map((id) => getModelSpec(id));
  const models = await Promise.all(specs.map((spec) => loadVerifiedModel(spec, source)));
  const modelsHash = await analysisModelsHash();

  let webGpuUnavailable = options.preferWebGpu
    ? await webGpuAdapter(options.allowSoftwareWebGpu ?? false)
    : "not requested";
  let executionProvider: ExecutionProvider = "wasm";
  let sessions: InferenceSession[] | null = null;
  // With an adapter, the JSEP build serves WebGPU and, should its sessions fail, WASM too.
  const ort = await loadOrt(webGpuUnavailable === null ? "webgpu" : "wasm", options.wasmBaseUrl);
  if (webGpuUnavailable === null) {
    try {
      sessions = await openSessions(ort, models, "webgpu");
      executionProvider = "webgpu";
    } catch (error) {
      webGpuUnavailable = `WebGPU session failed: ${String(error)}`;
    }
  }
  sessions ??= await openSessions(ort, models, "wasm");
  const [detector, mesh, antiSpoof, deepfake] = sessions;
  if (!detector || !mesh || !antiSpoof || !deepfake) throw new Error("a session is missing");
  const runners = bindOnnxRunners(
    { detector, mesh, antiSpoof, deepfake },
    (data, dims) => new ort.Tensor("float32", data, dims),
  );
  return {
    runners,
    executionProvider,
    webGpuUnavailable,
    // Read back after the first session: onnxruntime-web writes 1 here when it cannot thread.
    numThreads: ort.env.wasm.numThreads ?? 1,
    modelsHash,
    release: async () => {
      await Promise.all(sessions.map((session) => session.release()));
    },
  };
}
