import { LumenError } from "@lumen/protocol";

/**
 * `error` itself when it is a `LumenError`, else an `INTERNAL` one caused by it: what a session
 * reports never leaks an unknown error's message.
 *
 * @example
 * ```ts
 * promise.catch((error: unknown) => fail(asLumenError(error)));
 * ```
 */
export function asLumenError(error: unknown): LumenError {
  if (error instanceof LumenError) return error;
  return new LumenError("INTERNAL", "The liveness check failed unexpectedly", { cause: error });
}
