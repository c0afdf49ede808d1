import Database from "better-sqlite3";
import type { Database as SqliteDatabase } from "better-sqlite3";
import type { Decision, Policy, ReasonCode, ReferenceKind, SessionStatus } from "@lumen/protocol";
import type { FrameStore } from "./frame-store.ts";
import type {
  AuditEntry,
  NewSession,
  PurgeResult,
  ReferenceFace,
  SessionOutcome,
  SessionRecord,
  SessionStart,
  SessionStore,
} from "./session-store.ts";
import { SqliteFrameStore } from "./sqlite-frame-store.ts";

/** Options of {@link SqliteSessionStore}. */
export interface SqliteSessionStoreOptions {
  /** A database file, or `:memory:` for tests. */
  readonly path: string;
  /** Audit frames are deleted this long after they were stored. */
  readonly frameRetentionMs: number;
  /** Sessions, verdicts and their audit log are deleted this long after they ended. */
  readonly verdictRetentionMs: number;
}

interface SessionRow {
  id: string;
  key_id: string;
  reference: string | null;
  policy: string;
  status: string;
  created_at: number;
  expires_at: number;
  start: string | null;
  evidence_at: number | null;
  outcome: string | null;
  deleted_at: number | null;
  reference_kind: string | null;
  reference_attached_at: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL,
  reference TEXT,
  policy TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  deadline INTEGER,
  start TEXT,
  evidence_at INTEGER,
  outcome TEXT,
  ended_at INTEGER,
  deleted_at INTEGER
);
CREATE INDEX IF NOT EXISTS sessions_status ON sessions (status, expires_at);
CREATE TABLE IF NOT EXISTS used_tokens (
  hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  forget_after INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  event TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_log_session ON audit_log (session_id);
CREATE TABLE IF NOT EXISTS reference_faces (
  session_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  embedding BLOB NOT NULL,
  attached_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reference_faces_attached ON reference_faces (attached_at);
`;

/**
 * The embedded {@link SessionStore}: one SQLite file in WAL mode (readers never wait for the
 * writer), nothing else to install. Structured parts (challenge, device key, verdict) are JSON
 * columns: they are only ever read whole.
 *
 * @example
 * ```ts
 * const store = new SqliteSessionStore({ path: ":memory:", frameRetentionMs: 864e5, verdictRetentionMs: 30 * 864e5 });
 * ```
 */
export class SqliteSessionStore implements SessionStore {
  readonly frames: FrameStore;
  readonly #db: SqliteDatabase;
  readonly #options: SqliteSessionStoreOptions;

  constructor(options: SqliteSessionStoreOptions) {
    this.#options = options;
    this.#db = new Database(options.path);
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("synchronous = NORMAL");
    this.#db.exec(SCHEMA);
    this.frames = new SqliteFrameStore(this.#db);
  }

  create(session: NewSession): void {
    this.#db
      .prepare(
        `INSERT INTO sessions (id, key_id, reference, policy, status, created_at, expires_at)
         VALUES (?, ?, ?, ?, 'created', ?, ?)`,
      )
      .run(
        session.id,
        session.keyId,
        session.reference,
        session.policy,
        session.createdAt,
        session.expiresAt,
      );
  }

  get(id: string): SessionRecord | null {
    const row = this.#db
      .prepare(
        `SELECT s.*, r.kind AS reference_kind, r.attached_at AS reference_attached_at
         FROM sessions s LEFT JOIN reference_faces r ON r.session_id = s.id WHERE s.id = ?`,
      )
      .get(id) as SessionRow | undefined;
    if (row === undefined) return null;
    return {
      id: row.id,
      keyId: row.key_id,
      reference: row.reference,
      policy: row.policy as Policy,
      status: row.status as SessionStatus,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      start: row.start === null ? null : (JSON.parse(row.start) as SessionStart),
      evidenceAt: row.evidence_at,
      outcome: row.outcome === null ? null : parseOutcome(row.outcome),
      deletedAt: row.deleted_at,
      referenceImage:
        row.reference_kind === null || row.reference_attached_at === null
          ? null
          : { kind: row.reference_kind as ReferenceKind, attachedAt: row.reference_attached_at },
    };
  }

  attachReference(id: string, reference: ReferenceFace): boolean {
    const attach = this.#db.transaction((): boolean => {
      const open = this.#db
        .prepare(
          `SELECT 1 FROM sessions
           WHERE id = ? AND status IN ('created', 'started') AND evidence_at IS NULL`,
        )
        .get(id);
      if (open === undefined) return false;
      const { buffer, byteOffset, byteLength } = reference.embedding;
      this.#db
        .prepare(
          `INSERT INTO reference_faces (session_id, kind, embedding, attached_at)
           VALUES (?, ?, ?, ?)
           ON CONFLICT (session_id) DO UPDATE SET
             kind = excluded.kind, embedding = excluded.embedding, attached_at = excluded.attached_at`,
        )
        .run(id, reference.kind, Buffer.from(buffer, byteOffset, byteLength), reference.attachedAt);
      return true;
    });
    return attach.immediate();
  }

  referenceFace(id: string): ReferenceFace | null {
    const row = this.#db
      .prepare(`SELECT kind, embedding, attached_at FROM reference_faces WHERE session_id = ?`)
      .get(id) as { kind: string; embedding: Buffer; attached_at: number } | undefined;
    if (row === undefined) return null;
    // Copied out of the driver's buffer, whose offset need not be 4-byte aligned.
    const bytes = Uint8Array.from(row.embedding);
    return {
      kind: row.kind as ReferenceKind,
      embedding: new Float32Array(bytes.buffer),
      attachedAt: row.attached_at,
    };
  }

  markStarted(id: string, start: SessionStart): boolean {
    return (
      this.#db
        .prepare(
          `UPDATE sessions SET status = 'started', start = ?, deadline = ?
           WHERE id = ? AND status = 'created'`,
        )
        .run(JSON.stringify(start), start.deadline, id).changes === 1
    );
  }

  claimEvidence(id: string, nowMs: number): boolean {
    return (
      this.#db
        .prepare(
          `UPDATE sessions SET evidence_at = ?
           WHERE id = ? AND status = 'started' AND evidence_at IS NULL`,
        )
        .run(nowMs, id).changes === 1
    );
  }

  releaseEvidence(id: string): void {
    this.#db
      .prepare(`UPDATE sessions SET evidence_at = NULL WHERE id = ? AND status = 'started'`)
      .run(id);
  }

  complete(id: string, outcome: SessionOutcome): boolean {
    return (
      this.#db
        .prepare(
          `UPDATE sessions SET status = 'completed', outcome = ?, ended_at = ?
           WHERE id = ? AND status = 'started' AND evidence_at IS NOT NULL`,
        )
        .run(JSON.stringify(outcome), outcome.completedAt, id).changes === 1
    );
  }

  expire(id: string, nowMs: number): boolean {
    return (
      this.#db
        .prepare(
          `UPDATE sessions SET status = 'expired', outcome = ?, ended_at = ?
           WHERE id = ? AND evidence_at IS NULL AND (status = 'created' OR status = 'started')`,
        )
        .run(JSON.stringify(expiredOutcome(nowMs)), nowMs, id).changes === 1
    );
  }

  delete(id: string, nowMs: number): boolean {
    const erase = this.#db.transaction(() => {
      const changes = this.#db
        .prepare(
          `UPDATE sessions SET status = 'deleted', reference = NULL, start = NULL, outcome = NULL,
             deleted_at = ?, ended_at = COALESCE(ended_at, ?)
           WHERE id = ? AND status != 'deleted'`,
        )
        .run(nowMs, nowMs, id).changes;
      this.frames.deleteSession(id);
      this.#db.prepare(`DELETE FROM reference_faces WHERE session_id = ?`).run(id);
      return changes === 1;
    });
    return erase();
  }

  recordToken(hash: string, sessionId: string, forgetAfterMs: number): boolean {
    return (
      this.#db
        .prepare(
          `INSERT INTO used_tokens (hash, session_id, forget_after) VALUES (?, ?, ?)
           ON CONFLICT (hash) DO NOTHING`,
        )
        .run(hash, sessionId, forgetAfterMs).changes === 1
    );
  }

  forgetToken(hash: string): void {
    this.#db.prepare(`DELETE FROM used_tokens WHERE hash = ?`).run(hash);
  }

  audit(entry: AuditEntry): void {
    this.#db
      .prepare(
        `INSERT INTO audit_log (at, session_id, key_id, event, detail) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(entry.at, entry.sessionId, entry.keyId, entry.event, entry.detail);
  }

  auditLog(sessionId: string): readonly AuditEntry[] {
    const rows = this.#db
      .prepare(
        `SELECT at, session_id, key_id, event, detail FROM audit_log WHERE session_id = ? ORDER BY seq`,
      )
      .all(sessionId) as {
      at: number;
      session_id: string;
      key_id: string;
      event: string;
      detail: string | null;
    }[];
    return rows.map((row) => ({
      at: row.at,
      sessionId: row.session_id,
      keyId: row.key_id,
      event: row.event,
      detail: row.detail,
    }));
  }

  purgeExpired(nowMs: number): PurgeResult {
    const purge = this.#db.transaction((): PurgeResult => {
      const expired = this.#db
        .prepare(
          `UPDATE sessions SET status = 'expired', outcome = ?, ended_at = ?
           WHERE evidence_at IS NULL AND (
             (status = 'created' AND expires_at < ?) OR (status = 'started' AND deadline < ?))`,
        )
        .run(JSON.stringify(expiredOutcome(nowMs)), nowMs, nowMs, nowMs).changes;
      const frames = this.frames.deleteOlderThan(nowMs - this.#options.frameRetentionMs);
      const references = this.#db
        .prepare(`DELETE FROM reference_faces WHERE attached_at < ?`)
        .run(nowMs - this.#options.frameRetentionMs).changes;
      const cutoff = nowMs - this.#options.verdictRetentionMs;
      this.#db
        .prepare(
          `DELETE FROM audit_log WHERE session_id IN
             (SELECT id FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?)`,
        )
        .run(cutoff);
      const sessions = this.#db
        .prepare(`DELETE FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?`)
        .run(cutoff).changes;
      this.#db.prepare(`DELETE FROM used_tokens WHERE forget_after < ?`).run(nowMs);
      this.#db
        .prepare(`DELETE FROM reference_faces WHERE session_id NOT IN (SELECT id FROM sessions)`)
        .run();
      return { frames, references, sessions, expired };
    });
    return purge();
  }

  close(): void {
    this.#db.close();
  }
}

function expiredOutcome(nowMs: number): SessionOutcome {
  const decision: Decision = "fail";
  const reasons: ReasonCode[] = ["EXPIRED"];
  return {
    completedAt: nowMs,
    decision,
    reasons,
    scores: null,
    verdict: null,
    auditFrames: [],
    analysis: null,
    match: null,
  };
}

// Outcomes written before `analysis` or `match` existed lack the field: they read as having none.
function parseOutcome(json: string): SessionOutcome {
  const outcome = JSON.parse(json) as Omit<SessionOutcome, "analysis" | "match"> & {
    analysis?: SessionOutcome["analysis"];
    match?: SessionOutcome["match"];
  };
  return { ...outcome, analysis: outcome.analysis ?? null, match: outcome.match ?? null };
}
