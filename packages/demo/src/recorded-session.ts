// Builds a donated session's `session.json` in the page, from what the SDK's evidence tap gave.
import {
  RECORDED_SESSION_FORMAT,
  RecordedSession,
  ResultTokenClaims,
  type Decision,
  type Policy,
  type ReasonCode,
  type RecordedSessionLabel,
} from "@lumen/protocol";
import type { LivenessEvidence } from "@lumen/sdk";

/** Inputs of {@link buildRecordedSession}. */
export interface RecordedSessionInput {
  readonly sessionId: string;
  readonly policy: Policy;
  readonly evidence: LivenessEvidence;
  readonly label: RecordedSessionLabel;
  /** The verified verdict's decision, when the page has one. */
  readonly serverDecision: {
    readonly decision: Decision;
    readonly reasons: readonly ReasonCode[];
  } | null;
  /** When the person ticked the consent box (epoch ms). */
  readonly consentAt: number;
  /** Epoch ms. */
  readonly now: number;
}

/** The result token's claims: its payload segment, base64url-decoded. */
function tokenClaims(token: string): ResultTokenClaims {
  const payload = token.split(".")[1] ?? "";
  const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
  return ResultTokenClaims.parse(JSON.parse(atob(base64)));
}

/**
 * The `session.json` of a donated session, checked against the recorded-session schema (the
 * backend checks it again).
 *
 * @throws {Error} When the evidence does not make a valid recording.
 * @example
 * ```ts
 * const session = buildRecordedSession({ sessionId, policy, evidence, label, serverDecision, consentAt, now: Date.now() });
 * ```
 */
export function buildRecordedSession(input: RecordedSessionInput): RecordedSession {
  const { evidence } = input;
  return RecordedSession.parse({
    format: RECORDED_SESSION_FORMAT,
    sessionId: input.sessionId,
    policy: input.policy,
    label: input.label,
    recordedAt: Math.round(input.now),
    start: evidence.start,
    startedAt: Math.round(evidence.startedAt),
    capture: evidence.capture,
    token: evidence.token,
    claims: tokenClaims(evidence.token),
    ...(input.serverDecision
      ? {
          serverDecision: {
            decision: input.serverDecision.decision,
            reasons: [...input.serverDecision.reasons],
          },
        }
      : {}),
    consent: { given: true, at: Math.round(input.consentAt) },
  });
}

/**
 * Bytes as base64, in chunks so a 400 kB frame never becomes one huge argument list.
 *
 * @example
 * ```ts
 * toBase64(new Uint8Array([255, 216, 255])); // "/9j/"
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
