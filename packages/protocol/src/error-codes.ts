/**
 * Every error code Lumen emits, on the wire and in code, each declared once with its message
 * and the HTTP status the server answers with. One table so `switch (err.code)` narrows, the
 * server's error handler cannot disagree with the docs, and the SDK can branch on the same codes.
 * Codes that only occur inside a process (model loading, inference) map to 500: a client never
 * caused them. Codes that only the browser SDK raises (camera, browser support, its workers, its
 * own network) follow the same rule: no server answers with them, and one that met such a code
 * would have failed on its own side, so 500.
 *
 * @example
 * ```ts
 * import { ERROR_CODES } from "@lumen/protocol";
 * ERROR_CODES.SESSION_EXPIRED.status; // 410
 * ```
 */
export const ERROR_CODES = {
  MODEL_NOT_FOUND: { status: 500, message: "A model file could not be found or fetched" },
  MODEL_INTEGRITY_FAILED: { status: 500, message: "A model file failed its SHA-256 check" },
  MODEL_UNKNOWN: { status: 500, message: "No model with this id is pinned in the model catalog" },
  MODEL_MANIFEST_INVALID: { status: 500, message: "The model manifest is malformed" },
  MODEL_SOURCE_INVALID: { status: 500, message: "A model source file is malformed" },
  IMAGE_INVALID: { status: 400, message: "An image is malformed or outside the allowed limits" },
  REFERENCE_UNUSABLE: {
    status: 422,
    message: "The reference image shows no single usable face",
  },
  INFERENCE_FAILED: { status: 500, message: "A model could not be run" },
  REQUEST_INVALID: { status: 400, message: "The request is malformed or has unknown fields" },
  UNAUTHORIZED: { status: 401, message: "A valid API key or client token is required" },
  FORBIDDEN: { status: 403, message: "This credential may not act on this session" },
  NOT_FOUND: { status: 404, message: "No such resource" },
  SESSION_NOT_FOUND: { status: 404, message: "No such session" },
  FRAME_NOT_FOUND: { status: 404, message: "No such audit frame (or it was deleted)" },
  SESSION_EXPIRED: { status: 410, message: "The session expired" },
  SESSION_STATE_CONFLICT: {
    status: 409,
    message: "The session is not in a state that allows this (sessions are single-use)",
  },
  TOKEN_INVALID: { status: 401, message: "The token is malformed, expired or wrongly signed" },
  NONCE_MISMATCH: { status: 400, message: "The token's nonce is not the one issued" },
  REPLAYED: { status: 409, message: "This result token was already presented" },
  FRAME_HASH_MISMATCH: { status: 400, message: "A frame does not match its SHA-256 claim" },
  FRAME_COUNT_INVALID: {
    status: 400,
    message: "The number of frames differs from the claims or the limits",
  },
  TIMESTAMP_INVALID: {
    status: 400,
    message: "Capture timestamps are not increasing or fall outside the session",
  },
  PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is too large" },
  RATE_LIMITED: { status: 429, message: "Too many requests; try again later" },
  BUSY: { status: 503, message: "The server is saturated; try again later" },
  CONFIG_INVALID: { status: 500, message: "The server configuration is invalid" },
  INTERNAL: { status: 500, message: "Internal server error" },
  CAMERA_DENIED: { status: 500, message: "Camera permission was denied" },
  CAMERA_NOT_FOUND: { status: 500, message: "No camera matching the requirements was found" },
  CAMERA_IN_USE: { status: 500, message: "The camera is in use by another application" },
  UNSUPPORTED_BROWSER: { status: 500, message: "This browser lacks a feature Lumen needs" },
  WORKER_CRASHED: { status: 500, message: "An analysis worker stopped unexpectedly" },
  NETWORK_FAILED: { status: 500, message: "The verification server could not be reached" },
  CANCELLED: { status: 500, message: "The session was cancelled" },
  VIRTUAL_CAMERA: { status: 500, message: "The camera label names a virtual camera" },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable string naming one kind of failure. */
export type LumenErrorCode = keyof typeof ERROR_CODES;
