// The data the bench page (browser/bench-page.ts) and browser-bench.ts exchange: plain JSON,
// DOM-free so both the Node and the DOM program compile it.

/** Where the page's worker and bare runtime load their files from. */
export interface BenchAssets {
  readonly modelBaseUrl: string;
  readonly wasmBaseUrl: string;
}

/** What `initPipeline` reports once the SDK's worker and the bare runtime are loaded. */
export interface PipelineReady {
  readonly frames: number;
  /** The WASM threads of the SDK's analysis worker; the bare sessions use the same. */
  readonly numThreads: number;
  readonly executionProvider: string;
  /** Bare model calls per round (onnxruntime-web runs). */
  readonly bareCalls: number;
}

/** Milliseconds per frame of one pass over every frame, by way of running it. */
export interface PipelineRound {
  /** The SDK's analysis worker through its client, as a session sends it frames. */
  readonly sdkMs: number;
  /** The same `session.run` calls on the main thread. */
  readonly bareMs: number;
}

/** A session's identity on the API server. */
export interface BenchSessionInput {
  readonly serverUrl: string;
  readonly sessionId: string;
  readonly clientToken: string;
  readonly assets: BenchAssets;
  /** The frames the canvas source plays, in order (then backwards, and again). */
  readonly frameUrls: readonly string[];
  /** How often the source advances to its next frame (a canvas `captureStream` at that rate). */
  readonly framesPerSecond: number;
}

/** One timed session start. */
export interface FirstFrameOutput {
  /** From `start()` to the first `frame` event with a tracked face. */
  readonly firstTrackedMs: number;
}

/** One full capture, `positioning` to `uploading`. */
export interface CaptureOutput {
  readonly status: string | null;
  readonly errorCode: string | null;
  readonly captureMs: number;
  readonly framesSeen: number;
  readonly framesAnalysed: number;
  /** The worker's own mean time per frame, as the session's stats report it. */
  readonly meanAnalysisMs: number | null;
}

/** The page's API, `globalThis.lumenBench`. */
export interface BenchPage {
  initPipeline(assets: BenchAssets, frameUrls: readonly string[]): Promise<PipelineReady>;
  pipelineRound(mode: keyof PipelineRound): Promise<number>;
  firstTrackedFrame(input: BenchSessionInput): Promise<FirstFrameOutput>;
  capture(input: BenchSessionInput): Promise<CaptureOutput>;
}
