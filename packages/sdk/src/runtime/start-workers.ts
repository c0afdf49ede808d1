import type { ResolvedLivenessSessionOptions } from "../liveness-session-options.ts";
import type { AnalysisWorkerReady } from "../workers/analysis-api.ts";
import { createAnalysisClient, type AnalysisClient } from "./analysis-client.ts";
import { createTrackingClient, type TrackingClient } from "./tracking-client.ts";

/** The two workers of a session, initialised. */
export interface StartedWorkers {
  readonly analysis: AnalysisClient;
  readonly tracking: TrackingClient;
  readonly ready: AnalysisWorkerReady;
}

/** The session's side of {@link startWorkers}. */
export interface StartWorkersHooks {
  /**
   * Called with each client as soon as it exists, before its models load, so a session
   * cancelled meanwhile can terminate it.
   */
  readonly adoptAnalysis: (client: AnalysisClient) => void;
  readonly adoptTracking: (client: TrackingClient) => void;
  /** Throws `CANCELLED` once the session is cancelled; checked between the two workers. */
  readonly throwIfCancelled: () => void;
}

/**
 * Starts the analysis worker (ONNX models, WebGPU when the page has it) and then the tracking
 * worker (MediaPipe), one after the other so their model downloads do not compete.
 *
 * @example
 * ```ts
 * const { analysis, tracking, ready } = await startWorkers(resolved, {
 *   adoptAnalysis: (client) => (analysisClient = client),
 *   adoptTracking: (client) => (trackingClient = client),
 *   throwIfCancelled,
 * });
 * ```
 */
export async function startWorkers(
  options: Pick<
    ResolvedLivenessSessionOptions,
    "assets" | "createWorker" | "createTrackingWorker" | "workerTimeouts"
  >,
  hooks: StartWorkersHooks,
): Promise<StartedWorkers> {
  const analysis = createAnalysisClient(options.createWorker(), options.workerTimeouts);
  hooks.adoptAnalysis(analysis);
  const ready = await analysis.init({
    modelBaseUrl: options.assets.modelBaseUrl.href,
    wasmBaseUrl: options.assets.wasmBaseUrl.href,
    preferWebGpu: "gpu" in navigator,
  });
  hooks.throwIfCancelled();
  const tracking = createTrackingClient(options.createTrackingWorker(), options.workerTimeouts);
  hooks.adoptTracking(tracking);
  await tracking.init({
    modelBaseUrl: options.assets.modelBaseUrl.href,
    tasksVisionBaseUrl: options.assets.tasksVisionBaseUrl.href,
  });
  return { analysis, tracking, ready };
}
