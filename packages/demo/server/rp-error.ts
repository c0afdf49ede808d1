/** Codes the demo backend answers with, besides success. */
export type RpErrorCode =
  | "REQUEST_INVALID"
  | "PAYLOAD_TOO_LARGE"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "CONFLICT"
  | "UPSTREAM_FAILED"
  | "INTERNAL";

/**
 * An error the demo server answers as `{ error: { code, message } }` with `status`. Messages
 * are for the browser: never a key, a token or an upstream body.
 *
 * @example
 * ```ts
 * throw new RpError(400, "REQUEST_INVALID", "The session id is malformed");
 * ```
 */
export class RpError extends Error {
  override readonly name = "RpError";

  constructor(
    readonly status: number,
    readonly code: RpErrorCode,
    message: string,
  ) {
    super(message);
  }
}
