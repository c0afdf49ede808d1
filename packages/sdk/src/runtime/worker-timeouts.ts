/**
 * How long the page waits for a worker before declaring it crashed (`WORKER_CRASHED`): a worker
 * killed from outside sends no event, so silence is the only sign.
 */
export interface WorkerTimeouts {
  /** Loading and verifying the models (downloads included). */
  readonly initMs: number;
  /** One frame. */
  readonly frameMs: number;
}

/**
 * Generous defaults: a slow phone on a software WebGPU adapter still answers a frame in well
 * under a second; the models are a few megabytes.
 *
 * @example
 * ```ts
 * const client = createAnalysisClient(worker, DEFAULT_WORKER_TIMEOUTS);
 * ```
 */
export const DEFAULT_WORKER_TIMEOUTS: WorkerTimeouts = Object.freeze({
  initMs: 120_000,
  frameMs: 15_000,
});
