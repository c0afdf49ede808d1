// The data the WebGPU comparison page (browser/sdk/sdk-webgpu.ts) and its test exchange: plain
// JSON, DOM-free so both the Node and the DOM program compile it.
import type { FrameScores } from "./frame-scores.ts";

/** What the test passes: where the worker's files are, and the frames to analyse. */
export interface WebGpuRunInput {
  readonly modelBaseUrl: string;
  readonly wasmBaseUrl: string;
  readonly frameUrls: readonly string[];
}

/** One analysis worker's run over every frame. */
export interface ProviderRun {
  /** What `AnalysisClient.init` reported. */
  readonly executionProvider: string;
  readonly webGpuUnavailable: string | null;
  readonly frames: readonly FrameScores[];
  readonly meanAnalysisMs: number;
}

/**
 * What the page reports: its own adapter probe; a run on WebGPU (software adapter allowed) and
 * one on WASM over every frame; and one frame with the session's default (software refused).
 */
export interface WebGpuRunOutput {
  readonly adapter: string | null;
  readonly webgpu: ProviderRun;
  readonly wasm: ProviderRun;
  readonly preferred: ProviderRun;
}

/** The page's test API, `globalThis.lumenWebGpu`. */
export interface WebGpuPage {
  run(input: WebGpuRunInput): Promise<WebGpuRunOutput>;
}
