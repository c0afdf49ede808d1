import type { LumenErrorCode } from "./error-codes.ts";

/**
 * The one error class of Lumen: a stable `code` to branch on, a human message, and the
 * underlying `cause` when there is one. Messages never carry biometric data or secrets.
 *
 * @example
 * ```ts
 * try {
 *   await loadVerifiedModel(entry, source);
 * } catch (err) {
 *   if (err instanceof LumenError && err.code === "MODEL_INTEGRITY_FAILED") refuseToRun();
 * }
 * ```
 */
export class LumenError extends Error {
  override readonly name = "LumenError";
  readonly code: LumenErrorCode;

  constructor(code: LumenErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
