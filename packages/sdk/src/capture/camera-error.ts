import { LumenError } from "@lumen/protocol";

/**
 * Maps a `getUserMedia` rejection (a `DOMException` by name) to a typed Lumen error, so the UI
 * can tell "allow the camera" from "plug one in" from "close the other app".
 *
 * @example
 * ```ts
 * try {
 *   await navigator.mediaDevices.getUserMedia(constraints);
 * } catch (error) {
 *   throw cameraError(error);
 * }
 * ```
 */
export function cameraError(error: unknown): LumenError {
  if (error instanceof LumenError) return error;
  const name = error instanceof Error ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
    case "PermissionDeniedError":
      return new LumenError("CAMERA_DENIED", "Camera permission was denied", { cause: error });
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
    case "ConstraintNotSatisfiedError":
      return new LumenError("CAMERA_NOT_FOUND", "No camera matching the requirements was found", {
        cause: error,
      });
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return new LumenError("CAMERA_IN_USE", "The camera could not be started (in use?)", {
        cause: error,
      });
    case "TypeError":
      return new LumenError("UNSUPPORTED_BROWSER", "This browser cannot open the camera here", {
        cause: error,
      });
    default:
      return new LumenError("CAMERA_IN_USE", "The camera could not be started", { cause: error });
  }
}
