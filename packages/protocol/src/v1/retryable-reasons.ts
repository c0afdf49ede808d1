import type { ReasonCode } from "./reason-codes.ts";

/**
 * Reasons that say nothing against the person, only against the capture (or the server): a `fail`
 * carrying no other reason lets the relying party offer a new session. Any reason that points at
 * an attack (spoof, deepfake, tampering, injection, a failed challenge) makes the fail final, so an
 * attacker cannot iterate for free.
 *
 * @example
 * ```ts
 * const retryAllowed = reasons.every((r) => RETRYABLE_REASONS.includes(r));
 * ```
 */
export const RETRYABLE_REASONS: readonly ReasonCode[] = [
  "LOW_QUALITY",
  "NO_FACE",
  "VERIFICATION_ERROR",
];
