import { transferHandlers, type TransferHandler } from "comlink";
import { ERROR_CODES, LumenError, type LumenErrorCode } from "@lumen/protocol";

interface SerializedThrow {
  readonly isError: boolean;
  readonly value: unknown;
}

interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly code?: string | undefined;
}

function isLumenErrorCode(code: unknown): code is LumenErrorCode {
  return typeof code === "string" && Object.hasOwn(ERROR_CODES, code);
}

/**
 * Replaces comlink's `throw` transfer handler (which keeps only name, message and stack) with
 * one that keeps a `LumenError`'s `code`, so an error thrown in a worker arrives on the page as
 * the same class with the same code and `switch (err.code)` still works. Call it once in every
 * realm that uses comlink: the page and each worker. Idempotent.
 *
 * @example
 * ```ts
 * registerLumenErrorTransfer();
 * Comlink.expose(api);
 * ```
 */
export function registerLumenErrorTransfer(): void {
  const original = transferHandlers.get("throw");
  if (!original || (original as { lumen?: true }).lumen) return;
  const handler: TransferHandler<unknown, SerializedThrow> & { lumen: true } = {
    lumen: true,
    canHandle: (value): value is unknown => original.canHandle(value),
    serialize(thrown) {
      const { value } = thrown as { value: unknown };
      if (value instanceof Error) {
        const error: SerializedError = {
          name: value.name,
          message: value.message,
          stack: value.stack,
          code: value instanceof LumenError ? value.code : undefined,
        };
        return [{ isError: true, value: error }, []];
      }
      return [{ isError: false, value }, []];
    },
    deserialize(serialized) {
      if (!serialized.isError) throw serialized.value;
      const error = serialized.value as SerializedError;
      if (isLumenErrorCode(error.code)) {
        const rebuilt = new LumenError(error.code, error.message);
        if (error.stack !== undefined) rebuilt.stack = error.stack;
        throw rebuilt;
      }
      throw Object.assign(new Error(error.message), error);
    },
  };
  transferHandlers.set("throw", handler);
}
