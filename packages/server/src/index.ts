export { decodeJpeg, type DecodeJpegOptions } from "./frames/decode-jpeg.ts";
export { createOnnxSession } from "./runtime/create-onnx-session.ts";
export { createFsModelSource } from "./runtime/fs-model-source.ts";
export {
  createOnnxFrameAnalyzer,
  type FrameAnalyzer,
  type OnnxFrameAnalyzerOptions,
  type PassiveModelFile,
  shippedPassiveModels,
} from "./verification/onnx-frame-analyzer.ts";
export { loadConfig, type ServerConfig } from "./config/load-config.ts";
export {
  loadPassiveModelDeclarations,
  PASSIVE_MODEL_DECLARATION_LIMITS,
} from "./config/passive-model-declarations.ts";
export {
  operatorPassiveFusion,
  type OperatorPassiveModel,
} from "./verification/operator-passive-model.ts";
export type {
  AppDeps,
  RateLimitOptions,
  RequestLogEntry,
  ResolvedAppDeps,
} from "./http/app-deps.ts";
export { createApp } from "./http/create-app.ts";
export { applyKeepAliveTimeouts, KEEP_ALIVE_TIMEOUT_MS } from "./http/keep-alive-timeouts.ts";
export { openApiDocument } from "./http/openapi-document.ts";
export { ApiKeyRegistry } from "./keys/api-key-registry.ts";
export { createKeyStore, type KeyStoreOptions } from "./keys/create-key-store.ts";
export type { KeyStore, SigningKey } from "./keys/key-store.ts";
export {
  SlidingWindowLimiter,
  type SlidingWindowLimiterOptions,
} from "./rate-limit/sliding-window-limiter.ts";
export { checkJpegHeader, type JpegDimensions } from "./frames/check-jpeg-header.ts";
export { challengeDurationMs, drawChallenge, CHALLENGE_BOUNDS } from "./sessions/draw-challenge.ts";
export type { FrameStore } from "./sessions/frame-store.ts";
export { cryptoRandom, randomInt, type RandomSource } from "./sessions/random-source.ts";
export type {
  AuditEntry,
  NewSession,
  PurgeResult,
  SessionOutcome,
  SessionRecord,
  SessionStart,
  SessionStore,
} from "./sessions/session-store.ts";
export { SqliteFrameStore } from "./sessions/sqlite-frame-store.ts";
export {
  SqliteSessionStore,
  type SqliteSessionStoreOptions,
} from "./sessions/sqlite-session-store.ts";
export {
  issueClientToken,
  verifyClientToken,
  type ClientTokenContext,
} from "./tokens/client-token.ts";
export { signVerdict } from "./tokens/sign-verdict.ts";
export { verifyResultToken, type VerifyResultTokenOptions } from "./tokens/verify-result-token.ts";
export { verifyVerdict, type VerifyVerdictOptions } from "./verdict/verify-verdict.ts";
export type {
  EvidenceInput,
  EvidenceVerdict,
  EvidenceVerifier,
} from "./verification/evidence-verifier.ts";
export {
  createPooledEvidenceVerifier,
  type PooledEvidenceVerifierOptions,
} from "./verification/pooled-evidence-verifier.ts";
