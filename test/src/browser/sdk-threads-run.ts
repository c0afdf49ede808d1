// The data the WASM threads page (browser/sdk/sdk-threads.ts) and its test exchange: plain JSON,
// DOM-free so both the Node and the DOM program compile it.

/** What the test passes: where the worker's files are, and the frames to analyse. */
export interface ThreadsRunInput {
  readonly modelBaseUrl: string;
  readonly wasmBaseUrl: string;
  readonly frameUrls: readonly string[];
}

/** One analysed frame's scores. */
export interface ThreadsFrameScores {
  readonly faces: number;
  readonly presence: number | null;
  readonly liveness: number | null;
  readonly realness: number | null;
  /** The mesh landmarks, `x, y, z` in frame pixels. */
  readonly points: readonly number[];
}

/** The analysis worker's run over every frame, on WASM, in one page. */
export interface ThreadsRunOutput {
  /** The page's `crossOriginIsolated`. */
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
  /** What `AnalysisClient.init` reported. */
  readonly executionProvider: string;
  readonly numThreads: number;
  readonly frames: readonly ThreadsFrameScores[];
  readonly meanAnalysisMs: number;
}

/** The page's test API, `globalThis.lumenThreads`. */
export interface ThreadsPage {
  run(input: ThreadsRunInput): Promise<ThreadsRunOutput>;
}
