// The data the SDK session page (browser/sdk/sdk-session.ts) and its test exchange: plain JSON,
// DOM-free so both the Node and the DOM program compile it.

/** What the test passes to one run. */
export interface SdkRunInput {
  readonly serverUrl: string;
  readonly sessionId: string;
  readonly clientToken: string;
  readonly modelBaseUrl: string;
  readonly wasmBaseUrl: string;
  /**
   * Break the analysis worker once the session has reported three frames: `throw` makes it throw
   * an uncaught error (served as `/poisoned-analysis-worker.mjs`), `terminate` kills it from
   * outside, which sends no event at all.
   */
  readonly workerFault?: "throw" | "terminate";
  /** Replace getUserMedia with one that rejects with a DOMException of this name. */
  readonly cameraFailure?: string;
}

/** The session's counters, as `LivenessSession.stats` reports them. */
export interface SdkRunStats {
  readonly framesSeen: number;
  readonly framesAnalysed: number;
  readonly framesTracked: number;
  readonly framesDropped: number;
  readonly evidenceFrames: number;
  readonly executionProvider: string | null;
  readonly webGpuUnavailable: string | null;
  readonly meanAnalysisMs: number | null;
  readonly virtualCameraLabel: boolean;
}

/** What one run reports back. */
export interface SdkRunOutput {
  readonly status: string | null;
  readonly retryAllowed: boolean | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly stats: SdkRunStats;
  readonly states: readonly string[];
  readonly hints: readonly string[];
  /** The `quality` events' issues, in order (`null`: fine again). */
  readonly qualityIssues: readonly (string | null)[];
  readonly steps: readonly string[];
  readonly colourPaints: readonly { colour: string | null; at: number }[];
  readonly framesReported: number;
  readonly framesTracked: number;
  /** Whether a worker was created by the SDK through `createWorker`. */
  readonly workersCreated: number;
}

/** The page's test API, `globalThis.lumenSdk`. */
export interface SdkSessionPage {
  run(input: SdkRunInput): Promise<SdkRunOutput>;
}
