/**
 * Every error code Lumen emits, on the wire and in code. One table so `switch (err.code)`
 * narrows and the docs cannot drift from the code.
 *
 * @example
 * ```ts
 * import { ERROR_CODES } from "@lumen/protocol";
 * ERROR_CODES.MODEL_INTEGRITY_FAILED.message; // "A model file failed its SHA-256 check"
 * ```
 */
export const ERROR_CODES = {
  MODEL_NOT_FOUND: { message: "A model file could not be found or fetched" },
  MODEL_INTEGRITY_FAILED: { message: "A model file failed its SHA-256 check" },
  MODEL_UNKNOWN: { message: "No model with this id is pinned in the model catalog" },
  MODEL_MANIFEST_INVALID: { message: "The model manifest is malformed" },
  MODEL_SOURCE_INVALID: { message: "A model source file is malformed" },
  IMAGE_INVALID: { message: "An image is malformed or outside the allowed limits" },
  INFERENCE_FAILED: { message: "A model could not be run" },
} as const satisfies Record<string, { message: string }>;

/** A stable string naming one kind of failure. */
export type LumenErrorCode = keyof typeof ERROR_CODES;
