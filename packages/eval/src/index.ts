export { main, EXIT_FAILED, EXIT_USAGE, type CliIo } from "./cli.ts";
export {
  collectItems,
  PRESENTATION_CLASSES,
  type CollectedItems,
  type DatasetItem,
  type MediaKind,
  type PresentationClass,
  type SkippedItem,
} from "./collect-items.ts";
export {
  collectIdentities,
  type CollectedIdentities,
  type IdentityImage,
} from "./collect-identities.ts";
export {
  collectSessionFolders,
  type CollectedSessions,
  type SessionFolder,
} from "./collect-sessions.ts";
export { EVAL_LIMITS } from "./eval-limits.ts";
export {
  evaluateSessionFolder,
  evaluateSessions,
  type EvaluateSessionsOptions,
} from "./evaluate-sessions.ts";
export { evaluateIdentities, type EvaluateIdentitiesOptions } from "./evaluate-identities.ts";
export { buildReport, evaluate, systemScore, type EvaluateOptions } from "./evaluate.ts";
export { formPairs, type IdentityPairs } from "./identity-pairs.ts";
export {
  acer,
  apcer,
  bpcer,
  bpcerAtApcer,
  equalErrorRate,
  operatingPoints,
  rocAuc,
  separation,
  type BpcerAtApcer,
  type OperatingPoint,
  type ScoreSeparation,
} from "./metrics.ts";
export {
  parseArgs,
  USAGE,
  type DataArgs,
  type EvalArgs,
  type HelpRequest,
  type IdentitiesArgs,
  type SessionsArgs,
} from "./parse-args.ts";
export {
  assessPassive,
  combinedScore,
  SCORED_REASONS,
  type PassiveAssessment,
} from "./passive-assessment.ts";
export {
  checkRecordedSession,
  readRecordedSession,
  writeRecordedSession,
  type RecordedSessionData,
} from "./recorded-session-folder.ts";
export { replayRecordedSession, type SessionReplay } from "./replay-session.ts";
export type { EvalReport, ItemResult, ReproductionCounts } from "./report.ts";
export { renderHtml } from "./render-html.ts";
export { renderVerificationHtml } from "./render-verification-html.ts";
export {
  falseMatchRate,
  falseNonMatchRate,
  fnmrAtFmr,
  verificationEer,
  verificationPoints,
  type VerificationPoint,
} from "./verification-metrics.ts";
export type {
  DistanceSummary,
  IdentityImageResult,
  VerificationReport,
} from "./verification-report.ts";
