import { releaseProxy, transfer, wrap, type Remote } from "comlink";
import { LumenError } from "@lumen/protocol";
import type {
  AnalyseFrameRequest,
  AnalyseFrameResult,
  AnalysisWorkerApi,
  AnalysisWorkerInit,
  AnalysisWorkerReady,
} from "../workers/analysis-api.ts";
import { registerLumenErrorTransfer } from "./lumen-error-transfer.ts";
import { guardWorker } from "./worker-guard.ts";
import { DEFAULT_WORKER_TIMEOUTS, type WorkerTimeouts } from "./worker-timeouts.ts";

/**
 * The page's side of the analysis worker, with back-pressure: one frame in flight at a time;
 * a frame offered while the worker is busy is dropped (and its bitmap closed), never queued, so
 * analysis always runs on the newest frame and memory stays flat.
 */
export interface AnalysisClient {
  init(init: AnalysisWorkerInit): Promise<AnalysisWorkerReady>;
  /** Analyses `frame` (transferred), or returns `null` and drops it when the worker is busy. */
  offer(frame: ImageBitmap, request: AnalyseFrameRequest): Promise<AnalyseFrameResult> | null;
  readonly busy: boolean;
  /** Why the worker is unusable (`WORKER_CRASHED`, or `CANCELLED` once terminated), else `null`. */
  readonly failure: LumenError | null;
  readonly droppedFrames: number;
  /** Terminates the worker; pending calls reject with `CANCELLED`. */
  terminate(): void;
}

/**
 * Wraps a module worker running `@lumen/sdk/analysis-worker` with comlink. A worker that dies
 * (an `error` event, e.g. out of memory in wasm) rejects every pending and later call with
 * `WORKER_CRASHED`; errors thrown inside keep their `LumenError` code.
 *
 * @example
 * ```ts
 * const client = createAnalysisClient(new Worker(workerUrl, { type: "module" }));
 * await client.init({ modelBaseUrl, wasmBaseUrl, preferWebGpu: true });
 * const result = await client.offer(bitmap, { evidence: false, maxPixels, maxJpegBytes });
 * ```
 */
export function createAnalysisClient(
  worker: Worker,
  timeouts: WorkerTimeouts = DEFAULT_WORKER_TIMEOUTS,
): AnalysisClient {
  registerLumenErrorTransfer();
  const remote: Remote<AnalysisWorkerApi> = wrap<AnalysisWorkerApi>(worker);
  let busy = false;
  let droppedFrames = 0;
  const guard = guardWorker(worker, "analysis");
  const submit = <T>(frame: ImageBitmap, call: () => Promise<T>): Promise<T> | null => {
    if (busy || guard.failure) {
      droppedFrames++;
      frame.close();
      return null;
    }
    busy = true;
    return guard.call(call, timeouts.frameMs).finally(() => {
      busy = false;
    });
  };

  return {
    init: (init) => guard.call(() => remote.init(init), timeouts.initMs),
    offer: (frame, request) =>
      submit(frame, () => remote.analyse(transfer(frame, [frame]), request)),
    get busy() {
      return busy;
    },
    get failure() {
      return guard.failure;
    },
    get droppedFrames() {
      return droppedFrames;
    },
    terminate() {
      guard.fail(new LumenError("CANCELLED", "The analysis worker was terminated"));
      remote[releaseProxy]();
      worker.terminate();
    },
  };
}
