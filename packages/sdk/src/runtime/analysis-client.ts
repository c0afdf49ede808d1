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
export function createAnalysisClient(worker: Worker): AnalysisClient {
  registerLumenErrorTransfer();
  const remote: Remote<AnalysisWorkerApi> = wrap<AnalysisWorkerApi>(worker);
  let busy = false;
  let droppedFrames = 0;
  let failure: LumenError | null = null;
  const pending = new Set<(error: LumenError) => void>();

  const fail = (error: LumenError): void => {
    failure ??= error;
    for (const reject of pending) reject(failure);
    pending.clear();
  };
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    fail(new LumenError("WORKER_CRASHED", `The analysis worker stopped: ${event.message}`));
  });
  worker.addEventListener("messageerror", () => {
    fail(new LumenError("WORKER_CRASHED", "The analysis worker sent an unreadable message"));
  });

  // Races a worker call against the worker's death, which comlink alone would never report.
  const guarded = <T>(call: () => Promise<T>): Promise<T> => {
    if (failure) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      pending.add(reject);
      call().then(
        (value) => {
          pending.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          pending.delete(reject);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  };

  return {
    init: (init) => guarded(() => remote.init(init)),
    offer(frame, request) {
      if (busy || failure) {
        droppedFrames++;
        frame.close();
        return null;
      }
      busy = true;
      return guarded(() => remote.analyse(transfer(frame, [frame]), request)).finally(() => {
        busy = false;
      });
    },
    get busy() {
      return busy;
    },
    get droppedFrames() {
      return droppedFrames;
    },
    terminate() {
      fail(new LumenError("CANCELLED", "The analysis worker was terminated"));
      remote[releaseProxy]();
      worker.terminate();
    },
  };
}
