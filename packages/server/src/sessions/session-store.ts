import type { FrameStore } from "./frame-store.ts";
import type {
  CaptureFacts,
  Challenge,
  Decision,
  DevicePublicJwk,
  EvidenceLimits,
  FaceMatch,
  Policy,
  ReasonCode,
  ReferenceKind,
  SessionAnalysis,
  SessionStatus,
} from "@lumen/protocol";

/** One session as stored. Times are epoch milliseconds. */
export interface SessionRecord {
  readonly id: string;
  /** The API key id that created it; no other key may see it. */
  readonly keyId: string;
  readonly reference: string | null;
  readonly policy: Policy;
  readonly status: SessionStatus;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly start: SessionStart | null;
  /** Set when an evidence upload passed every check and was handed to the verifier. */
  readonly evidenceAt: number | null;
  readonly outcome: SessionOutcome | null;
  readonly deletedAt: number | null;
  /** The reference image attached (its face's embedding is read with `referenceFace`). */
  readonly referenceImage: { readonly kind: ReferenceKind; readonly attachedAt: number } | null;
}

/** The face of a session's reference image: biometric data, kept and erased like frames. */
export interface ReferenceFace {
  readonly kind: ReferenceKind;
  readonly embedding: Float32Array;
  readonly attachedAt: number;
}

/** What `POST /start` fixed for the session. */
export interface SessionStart {
  readonly startedAt: number;
  readonly deadline: number;
  readonly nonce: string;
  readonly challenge: Challenge;
  readonly limits: EvidenceLimits;
  readonly devicePublicKey: DevicePublicJwk;
  readonly capture: CaptureFacts;
}

/** The verdict of a completed (or expired) session. */
export interface SessionOutcome {
  readonly completedAt: number;
  readonly decision: Decision;
  readonly reasons: readonly ReasonCode[];
  readonly scores: Readonly<Record<string, number>> | null;
  /** The signed verdict JWT; null when the session expired without evidence. */
  readonly verdict: string | null;
  readonly auditFrames: readonly number[];
  /** The re-check's per-frame analysis; null when it has none (expired, verifier failure). */
  readonly analysis: SessionAnalysis | null;
  /** The live face against the reference image; null without one. */
  readonly match: FaceMatch | null;
}

/** A new session. */
export interface NewSession {
  readonly id: string;
  readonly keyId: string;
  readonly reference: string | null;
  readonly policy: Policy;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** What {@link SessionStore.purgeExpired} removed. */
export interface PurgeResult {
  readonly frames: number;
  /** Reference faces erased with their retention over. */
  readonly references: number;
  readonly sessions: number;
  readonly expired: number;
}

/**
 * Sessions, their single-use state machine, replay records and the audit log. Every transition is
 * a compare-and-set: it returns `false` when the session was not in the expected state, so two
 * concurrent requests cannot both start or both complete one session.
 *
 * @example
 * ```ts
 * if (!store.markStarted(id, start)) throw new LumenError("SESSION_STATE_CONFLICT", "Already started");
 * ```
 */
export interface SessionStore {
  create(session: NewSession): void;
  get(id: string): SessionRecord | null;
  /** created → started. */
  markStarted(id: string, start: SessionStart): boolean;
  /** started (no evidence yet) → evidence claimed; the public status stays `started`. */
  claimEvidence(id: string, nowMs: number): boolean;
  /**
   * Attaches (or replaces) the reference image's face while the session is `created` or
   * `started` without evidence; `false` otherwise.
   */
  attachReference(id: string, reference: ReferenceFace): boolean;
  /** The session's reference face, or `null`. */
  referenceFace(id: string): ReferenceFace | null;
  /** Undoes {@link claimEvidence} when the verifier was too busy to look. */
  releaseEvidence(id: string): void;
  /** started with evidence claimed → completed. */
  complete(id: string, outcome: SessionOutcome): boolean;
  /** created | started (without evidence) → expired. */
  expire(id: string, nowMs: number): boolean;
  /** Erases personal data and frames; keeps a tombstone. */
  delete(id: string, nowMs: number): boolean;
  /** Records a result token's hash; `false` when it was seen before. */
  recordToken(hash: string, sessionId: string, forgetAfterMs: number): boolean;
  forgetToken(hash: string): void;
  /** Appends to the audit log; `detail` never holds biometric data, tokens or keys. */
  audit(entry: AuditEntry): void;
  auditLog(sessionId: string): readonly AuditEntry[];
  /**
   * Expires overdue sessions and deletes frames, reference faces (with the frames' retention)
   * and verdicts past their retention.
   */
  purgeExpired(nowMs: number): PurgeResult;
  /** The session's audit frames. */
  readonly frames: FrameStore;
  close(): void;
}

/** One audit log line. */
export interface AuditEntry {
  readonly at: number;
  readonly sessionId: string;
  readonly keyId: string;
  readonly event: string;
  readonly detail: string | null;
}
