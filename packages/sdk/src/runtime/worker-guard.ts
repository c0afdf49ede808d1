import { LumenError } from "@lumen/protocol";

/** Calls into a worker raced against its death. */
export interface WorkerGuard {
  /**
   * Runs `call`; rejects with `WORKER_CRASHED` as soon as the worker dies (which comlink alone
   * never reports), or when no answer comes within `timeoutMs`: a worker killed from outside
   * (terminated, or its process gone) sends no event at all.
   */
  call<T>(call: () => Promise<T>, timeoutMs: number): Promise<T>;
  /** Fails every pending and later call with `error` (the first failure sticks). */
  fail(error: LumenError): void;
  /** The failure, once there is one. */
  readonly failure: LumenError | null;
}

/**
 * Watches a worker for death: an `error` event (an uncaught exception, a failed module load, out
 * of memory in wasm) or an unreadable message rejects every pending and later call with
 * `WORKER_CRASHED`. Errors a call rejects with pass through unchanged (their `LumenError` code
 * kept by the comlink transfer handler).
 *
 * @example
 * ```ts
 * const guard = guardWorker(worker, "analysis");
 * const ready = await guard.call(() => remote.init(options), 60_000);
 * ```
 */
export function guardWorker(worker: Worker, name: string): WorkerGuard {
  let failure: LumenError | null = null;
  const pending = new Set<(error: LumenError) => void>();
  const fail = (error: LumenError): void => {
    failure ??= error;
    for (const reject of pending) reject(failure);
    pending.clear();
  };
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    fail(new LumenError("WORKER_CRASHED", `The ${name} worker stopped: ${event.message}`));
  });
  worker.addEventListener("messageerror", () => {
    fail(new LumenError("WORKER_CRASHED", `The ${name} worker sent an unreadable message`));
  });
  return {
    call<T>(call: () => Promise<T>, timeoutMs: number): Promise<T> {
      if (failure) return Promise.reject(failure);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          fail(
            new LumenError(
              "WORKER_CRASHED",
              `The ${name} worker did not answer in ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        const abort = (error: LumenError): void => {
          clearTimeout(timer);
          reject(error);
        };
        const settle = (): void => {
          clearTimeout(timer);
          pending.delete(abort);
        };
        pending.add(abort);
        call().then(
          (value) => {
            settle();
            resolve(value);
          },
          (error: unknown) => {
            settle();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
    },
    fail,
    get failure() {
      return failure;
    },
  };
}
