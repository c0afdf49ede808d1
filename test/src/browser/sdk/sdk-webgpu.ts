// Browser half of test/src/sdk-webgpu.test.ts (DOM types: its own tsconfig), bundled by esbuild
// when the test starts: the SDK's analysis worker, once preferring WebGPU and once on WASM, on
// the very same frames, with the execution provider each one reports; then as a session starts
// it by default (WebGPU preferred, a software adapter refused).
import { analyseFrameUrls } from "./analyse-frame-urls.ts";
import { createAnalysisClient } from "@lumen/sdk";
import type {
  ProviderRun,
  WebGpuPage,
  WebGpuRunInput,
  WebGpuRunOutput,
} from "../sdk-webgpu-run.ts";

interface GpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly isFallbackAdapter?: boolean;
}

async function probeAdapter(): Promise<string | null> {
  const gpu = (
    navigator as { gpu?: { requestAdapter(): Promise<{ info?: GpuAdapterInfo } | null> } }
  ).gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info;
  return info
    ? `${info.vendor}/${info.architecture}${info.isFallbackAdapter === true ? " (fallback)" : ""}`
    : "an adapter without info";
}

async function analyseAll(
  input: WebGpuRunInput,
  preferWebGpu: boolean,
  allowSoftwareWebGpu: boolean,
): Promise<ProviderRun> {
  // SwiftShader's WebGPU takes seconds a frame (tens under CI load): a correctness test, not a
  // speed one, so the per-frame watchdog is far above the SDK's default.
  const client = createAnalysisClient(
    new Worker("/analysis-worker.mjs", { type: "module", name: "lumen-analysis" }),
    { initMs: 300_000, frameMs: 120_000 },
  );
  try {
    const ready = await client.init({
      modelBaseUrl: input.modelBaseUrl,
      wasmBaseUrl: input.wasmBaseUrl,
      preferWebGpu,
      allowSoftwareWebGpu,
    });
    const { frames, meanAnalysisMs } = await analyseFrameUrls(client, input.frameUrls);
    return {
      executionProvider: ready.executionProvider,
      webGpuUnavailable: ready.webGpuUnavailable,
      frames,
      meanAnalysisMs,
    };
  } finally {
    client.terminate();
  }
}

async function run(input: WebGpuRunInput): Promise<WebGpuRunOutput> {
  const adapter = await probeAdapter();
  const webgpu = await analyseAll(input, true, true);
  const wasm = await analyseAll(input, false, false);
  // What a session does by default: WebGPU preferred, a software adapter refused, and said so.
  const preferred = await analyseAll(
    { ...input, frameUrls: input.frameUrls.slice(0, 1) },
    true,
    false,
  );
  return { adapter, webgpu, wasm, preferred };
}

const page: WebGpuPage = { run };
(globalThis as unknown as { lumenWebGpu: WebGpuPage }).lumenWebGpu = page;
