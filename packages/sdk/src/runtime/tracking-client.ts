import { releaseProxy, transfer, wrap, type Remote } from "comlink";
import { LumenError } from "@lumen/protocol";
import type {
  TrackFrameResult,
  TrackingWorkerApi,
  TrackingWorkerInit,
} from "../workers/tracking-api.ts";
import { registerLumenErrorTransfer } from "./lumen-error-transfer.ts";
import { guardWorker } from "./worker-guard.ts";
import { DEFAULT_WORKER_TIMEOUTS, type WorkerTimeouts } from "./worker-timeouts.ts";

/**
 * The page's side of the tracking worker, with the analysis client's back-pressure: one frame in
 * flight; a frame offered while busy is dropped (its bitmap closed), never queued.
 */
export interface TrackingClient {
  init(init: TrackingWorkerInit): Promise<void>;
  /**
   * Tracks `frame` (transferred) at `timestampMs` (made strictly increasing, as VIDEO mode
   * requires), or returns `null` and drops it when the worker is busy.
   */
  offer(frame: ImageBitmap, timestampMs: number): Promise<TrackFrameResult> | null;
  readonly busy: boolean;
  /** Why the worker is unusable (`WORKER_CRASHED`, or `CANCELLED` once terminated), else `null`. */
  readonly failure: LumenError | null;
  /** Terminates the worker; pending calls reject with `CANCELLED`. */
  terminate(): void;
}

/**
 * Wraps a module worker running `@lumen/sdk/tracking-worker` with comlink; a worker that dies
 * rejects every pending and later call with `WORKER_CRASHED`.
 *
 * @example
 * ```ts
 * const tracker = createTrackingClient(new Worker(trackingWorkerUrl, { type: "module" }));
 * await tracker.init({ modelBaseUrl, tasksVisionBaseUrl });
 * const result = await tracker.offer(bitmap, performance.now());
 * ```
 */
export function createTrackingClient(
  worker: Worker,
  timeouts: WorkerTimeouts = DEFAULT_WORKER_TIMEOUTS,
): TrackingClient {
  registerLumenErrorTransfer();
  const remote: Remote<TrackingWorkerApi> = wrap<TrackingWorkerApi>(worker);
  const guard = guardWorker(worker, "tracking");
  let busy = false;
  let lastTimestampMs = Number.NEGATIVE_INFINITY;
  return {
    init: (init) => guard.call(() => remote.init(init), timeouts.initMs),
    offer(frame, timestampMs) {
      if (busy || guard.failure) {
        frame.close();
        return null;
      }
      busy = true;
      const at = Math.max(Math.round(timestampMs), lastTimestampMs + 1);
      lastTimestampMs = at;
      return guard
        .call(() => remote.track(transfer(frame, [frame]), at), timeouts.frameMs)
        .finally(() => {
          busy = false;
        });
    },
    get busy() {
      return busy;
    },
    get failure() {
      return guard.failure;
    },
    terminate() {
      guard.fail(new LumenError("CANCELLED", "The tracking worker was terminated"));
      remote[releaseProxy]();
      worker.terminate();
    },
  };
}
