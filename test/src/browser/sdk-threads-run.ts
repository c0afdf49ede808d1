// The data the WASM threads page (browser/sdk/sdk-threads.ts) and its test exchange: plain JSON,
// DOM-free so both the Node and the DOM program compile it.
import type { FrameScores } from "./frame-scores.ts";

/** What the test passes: where the worker's files are, and the frames to analyse. */
export interface ThreadsRunInput {
  readonly modelBaseUrl: string;
  readonly wasmBaseUrl: string;
  readonly frameUrls: readonly string[];
}

/** The analysis worker's run over every frame, on WASM, in one page. */
export interface ThreadsRunOutput {
  /** The page's `crossOriginIsolated`. */
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
  /** What `AnalysisClient.init` reported. */
  readonly executionProvider: string;
  readonly numThreads: number;
  readonly frames: readonly FrameScores[];
  readonly meanAnalysisMs: number;
}

/** The page's test API, `globalThis.lumenThreads`. */
export interface ThreadsPage {
  run(input: ThreadsRunInput): Promise<ThreadsRunOutput>;
}
