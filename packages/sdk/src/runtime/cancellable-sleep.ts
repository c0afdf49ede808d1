import { LumenError } from "@lumen/protocol";

/**
 * Resolves after `ms`, or rejects with `CANCELLED` as soon as `signal` aborts (at once when it
 * already has), clearing its timer either way.
 *
 * @example
 * ```ts
 * await cancellableSleep(50, abort.signal);
 * ```
 */
export function cancellableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = (): void => {
      clearTimeout(timer);
      reject(new LumenError("CANCELLED", "The session was cancelled"));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", cancelled);
      resolve();
    }, ms);
    if (signal.aborted) cancelled();
    else signal.addEventListener("abort", cancelled, { once: true });
  });
}
