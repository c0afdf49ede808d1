/**
 * Why a session did not pass. Stable strings: relying parties branch on them.
 *
 * @example
 * ```ts
 * if (verdict.reasons.includes("SPOOF_SUSPECTED")) askForAnotherAttempt();
 * ```
 */
export const REASON_CODES = [
  "SPOOF_SUSPECTED",
  "DEEPFAKE_SUSPECTED",
  "CHALLENGE_FAILED",
  "FLASH_RESPONSE_MISSING",
  "REFLECTION_TIMING",
  "REFLECTION_NOT_3D",
  "REFLECTION_UNIFORM",
  "NO_FACE",
  "MULTIPLE_FACES",
  "FACE_CHANGED",
  "FACE_MISMATCH",
  "CLIENT_TAMPERED",
  "INJECTION_SUSPECTED",
  "LOW_QUALITY",
  "EXPIRED",
  "VERIFICATION_ERROR",
] as const;

/** One reason a session did not pass. */
export type ReasonCode = (typeof REASON_CODES)[number];

/**
 * The reasons of the illumination challenge: the screen's light did not reach the face as it
 * reaches a real one (no response, wrong timing, not 3D, or uniform like a tint).
 *
 * @example
 * ```ts
 * if (verdict.reasons.some((r) => ILLUMINATION_REASONS.includes(r))) suggestADimmerRoom();
 * ```
 */
export const ILLUMINATION_REASONS = [
  "FLASH_RESPONSE_MISSING",
  "REFLECTION_TIMING",
  "REFLECTION_NOT_3D",
  "REFLECTION_UNIFORM",
] as const satisfies readonly ReasonCode[];
