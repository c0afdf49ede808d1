export { ERROR_CODES, type LumenErrorCode } from "./error-codes.ts";
export { LumenError } from "./lumen-error.ts";
export { PROTOCOL_LIMITS } from "./v1/limits.ts";
export {
  MAX_RECORDED_SESSION_JSON_BYTES,
  RECORDED_SESSION_FILE,
  RECORDED_SESSION_FORMAT,
  RecordedSession,
  RecordedSessionLabel,
  RecordedSpecies,
  recordedFrameName,
  recordedFramesProblem,
  recordedSessionFiles,
  recordedSessionFolder,
} from "./v1/recorded-session.ts";
export { ILLUMINATION_REASONS, REASON_CODES, type ReasonCode } from "./v1/reason-codes.ts";
export { RETRYABLE_REASONS } from "./v1/retryable-reasons.ts";
export * from "./v1/schemas.ts";
