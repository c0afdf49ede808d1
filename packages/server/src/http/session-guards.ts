import { LumenError, type SessionStatus } from "@lumen/protocol";
import type { SessionRecord, SessionStore } from "../sessions/session-store.ts";

/**
 * The session `id` if it exists and belongs to `keyId`; another key's session is reported as
 * missing, so session ids cannot be probed across relying parties.
 */
export function ownedSession(store: SessionStore, id: string, keyId: string): SessionRecord {
  const session = store.get(id);
  if (session?.keyId !== keyId) throw new LumenError("SESSION_NOT_FOUND", "No such session");
  return session;
}

/** Moves an overdue session to `expired` (a legitimate transition) and reports whether it did. */
export function expireIfOverdue(
  store: SessionStore,
  session: SessionRecord,
  nowMs: number,
): boolean {
  if (session.evidenceAt !== null) return false;
  const overdue =
    (session.status === "created" && nowMs > session.expiresAt) ||
    (session.status === "started" && session.start !== null && nowMs > session.start.deadline);
  if (!overdue || !store.expire(session.id, nowMs)) return false;
  store.audit({
    at: nowMs,
    sessionId: session.id,
    keyId: session.keyId,
    event: "expired",
    detail: null,
  });
  return true;
}

/**
 * Throws unless the session is in one of the `expected` states with no evidence received yet,
 * expiring it first if it is overdue.
 */
export function requireState(
  store: SessionStore,
  session: SessionRecord,
  expected: readonly Extract<SessionStatus, "created" | "started">[],
  nowMs: number,
): void {
  if (expireIfOverdue(store, session, nowMs) || session.status === "expired") {
    throw new LumenError("SESSION_EXPIRED", "The session expired");
  }
  if (!expected.some((status) => status === session.status) || session.evidenceAt !== null) {
    throw new LumenError(
      "SESSION_STATE_CONFLICT",
      `The session is ${session.evidenceAt === null ? session.status : "being verified"}; sessions are single-use`,
    );
  }
}
