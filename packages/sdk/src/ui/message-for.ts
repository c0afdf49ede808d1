import type { ErrorMessageCode, LivenessStrings } from "./liveness-strings.ts";

/**
 * The readable message for an error code: the SDK's typed errors (`CAMERA_DENIED`,
 * `MODEL_INTEGRITY_FAILED`, `WORKER_CRASHED`…), the server's codes the user can act on, and
 * `VIRTUAL_CAMERA`. Never the error's own `message`, which is written for developers; unknown
 * codes get the generic text.
 *
 * @example
 * ```ts
 * messageFor("CAMERA_DENIED", en); // "Camera access was blocked. …"
 * messageFor("TOKEN_INVALID", en); // "Something went wrong. Please try again."
 * ```
 */
export function messageFor(code: string, strings: LivenessStrings): string {
  const { errors } = strings;
  switch (code) {
    // A session the server no longer knows, or has already used, cannot be resumed: the user
    // has to start a new one, which is what the expiry text says.
    case "SESSION_NOT_FOUND":
    case "SESSION_STATE_CONFLICT":
      return errors.SESSION_EXPIRED;
    default:
      return Object.hasOwn(errors, code) ? errors[code as ErrorMessageCode] : errors.generic;
  }
}
