/**
 * Where a liveness session is. The flow only moves forward; `failed`, `cancelled`, `completed`
 * and `closed` are final.
 *
 * @example
 * ```ts
 * session.addEventListener("state", (event) => {
 *   if (event.detail.state === "challenge") showOverlay();
 * });
 * ```
 */
export type SessionState =
  | "idle"
  | "checking-support"
  | "opening-camera"
  | "loading-models"
  | "positioning"
  | "challenge"
  | "uploading"
  | "completed"
  | "failed"
  | "cancelled"
  | "closed";
