export { createLivenessSession } from "./create-liveness-session.ts";
export type { LivenessSession, LivenessSessionStats } from "./liveness-session.ts";
export {
  resolveLivenessSessionOptions,
  type LivenessAssets,
  type LivenessSessionOptions,
  type ResolvedLivenessSessionOptions,
} from "./liveness-session-options.ts";
export type {
  ChallengeStep,
  FrameReport,
  LivenessEventMap,
  LivenessListener,
} from "./liveness-events.ts";
export type { SessionState } from "./session-state.ts";
export type { ChallengeDisplay } from "./challenge-display.ts";
export type { GuidanceHint } from "./tracking/guidance-hint.ts";
export { guidanceHint, FACE_TO_OVAL_WIDTH } from "./tracking/guidance-hint.ts";
export { assertSupported, checkSupport, type SupportReport } from "./capture/check-support.ts";
export { cameraError } from "./capture/camera-error.ts";
export { CAMERA_CONSTRAINTS, openCamera } from "./capture/open-camera.ts";
export { isVirtualCameraLabel } from "./capture/virtual-camera-label.ts";
export { registerLumenErrorTransfer } from "./runtime/lumen-error-transfer.ts";
export { createAnalysisClient, type AnalysisClient } from "./runtime/analysis-client.ts";
export { createFetchModelSource } from "./runtime/fetch-model-source.ts";
export type { ExecutionProvider } from "./workers/analysis-api.ts";
export { LumenError, type LumenErrorCode } from "@lumen/protocol";
