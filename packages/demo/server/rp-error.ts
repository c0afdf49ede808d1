/**
 * Codes the demo backend answers with, besides success. `IMAGE_INVALID`, `REFERENCE_UNUSABLE`,
 * `SESSION_STATE_CONFLICT` and `SESSION_EXPIRED` are the verification server's refusals of a
 * reference image, relayed as they are so the page can say why and ask for another image.
 */
export type RpErrorCode =
  | "REQUEST_INVALID"
  | "PAYLOAD_TOO_LARGE"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "CONFLICT"
  | "IMAGE_INVALID"
  | "REFERENCE_UNUSABLE"
  | "SESSION_STATE_CONFLICT"
  | "SESSION_EXPIRED"
  | "UPSTREAM_FAILED"
  | "INTERNAL";

/**
 * An error the demo server answers as `{ error: { code, message } }` with `status`. Messages
 * are for the browser: never a key, a token or an upstream body (a relayed refusal keeps only
 * the verification server's error message, which that server writes for clients).
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
