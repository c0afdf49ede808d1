export { createLivenessSession } from "./create-liveness-session.ts";
export type { LivenessSession, LivenessSessionStats } from "./liveness-session.ts";
export {
  resolveLivenessSessionOptions,
  startAnalysisWorker,
  type LivenessAssets,
  type LivenessEvidence,
  type LivenessSessionOptions,
  type ResolvedLivenessSessionOptions,
  type VirtualCameraPolicy,
} from "./liveness-session-options.ts";
export type {
  ChallengeStep,
  FrameReport,
  LivenessEventMap,
  LivenessListener,
} from "./liveness-events.ts";
export type { SessionState } from "./session-state.ts";
export {
  illuminationBackground,
  type ChallengeDisplay,
  type IlluminationLight,
} from "./challenge-display.ts";
export type { GuidanceHint } from "./tracking/guidance-hint.ts";
export { guidanceHint, FACE_TO_OVAL_WIDTH } from "./tracking/guidance-hint.ts";
export { assertSupported, checkSupport, type SupportReport } from "./capture/check-support.ts";
export { cameraError } from "./capture/camera-error.ts";
export { CAMERA_CONSTRAINTS, openCamera, type OpenCameraOptions } from "./capture/open-camera.ts";
export {
  CAMERA_CHOICE_STORAGE_KEY,
  chooseCamera,
  describeCamera,
  isInfraredCameraLabel,
  listCameras,
  type CameraChoiceStorage,
  type CameraInfo,
  type CameraPreference,
} from "./capture/choose-camera.ts";
export { isVirtualCameraLabel } from "./capture/virtual-camera-label.ts";
export { registerLumenErrorTransfer } from "./runtime/lumen-error-transfer.ts";
export { createAnalysisClient, type AnalysisClient } from "./runtime/analysis-client.ts";
export { createFetchModelSource } from "./runtime/fetch-model-source.ts";
export type {
  AnalysedFaceResult,
  AnalyseFrameResult,
  ExecutionProvider,
} from "./workers/analysis-api.ts";
export { qualityIssue, TURNED_AWAY_DEGREES, type QualityIssue } from "./tracking/quality-issue.ts";
export { DEFAULT_WORKER_TIMEOUTS, type WorkerTimeouts } from "./runtime/worker-timeouts.ts";
export { LumenError, type LumenErrorCode } from "@lumen/protocol";
export {
  LumenLivenessElement,
  type ComponentSessionOptions,
  type CreateSessionForDisplay,
  type LumenErrorEventDetail,
} from "./ui/lumen-liveness-element.ts";
export { defineLumenLiveness } from "./ui/define-lumen-liveness.ts";
export { createOverlayDisplay, type OverlayDisplayOptions } from "./ui/create-overlay-display.ts";
export { resolveLocale, type ResolvedLocale } from "./ui/resolve-locale.ts";
export { messageFor } from "./ui/message-for.ts";
export type { UiPhase, UiState } from "./ui/ui-state.ts";
export type {
  ErrorMessageCode,
  LivenessStringOverrides,
  LivenessStrings,
  RunningState,
} from "./ui/liveness-strings.ts";
export { en as LOCALE_EN } from "./ui/locales/en.ts";
export { es as LOCALE_ES } from "./ui/locales/es.ts";
export { fr as LOCALE_FR } from "./ui/locales/fr.ts";
export { pt as LOCALE_PT } from "./ui/locales/pt.ts";
export { ar as LOCALE_AR } from "./ui/locales/ar.ts";
