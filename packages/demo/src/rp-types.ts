// Shared by the demo's backend (Node) and its pages (browser): data types only, no DOM, no Node.
import type {
  Policy,
  RecordedSession,
  SessionAnalysis,
  SessionResult,
  VerdictClaims,
} from "@lumen/protocol";

/** The server's per-frame and per-challenge measurements behind a decision. */
export type { SessionAnalysis, SessionResult };

/** `POST /rp/sessions` answer: what the page hands the SDK. */
export interface RpSession {
  readonly sessionId: string;
  readonly clientToken: string;
  readonly expiresAt: number;
  /** The Lumen server the browser talks to directly. */
  readonly serverUrl: string;
}

/** `POST /rp/sessions` body. */
export interface RpSessionRequest {
  readonly policy?: Policy;
}

/**
 * `GET /rp/sessions/:id`: the session as the relying party's backend sees it, after checking
 * the verdict's signature against the server's JWKS. Trust `verdict` only when
 * `verdictVerified` is true.
 */
export interface RpResult {
  readonly session: SessionResult;
  /** The verified verdict's claims; `null` when there is none or it failed verification. */
  readonly verdict: VerdictClaims | null;
  readonly verdictVerified: boolean;
  /** Why verification failed (no secret, no token); `null` when verified or absent. */
  readonly verificationError: string | null;
  readonly jwksUrl: string;
}

/**
 * `POST /rp/recordings` body: a donated session (`session.json`'s content) and its evidence
 * JPEGs in upload order, each in base64. Biometric data: sent only with the person's consent.
 */
export interface RpRecordingRequest {
  readonly session: RecordedSession;
  readonly frames: readonly string[];
}

/** `POST /rp/recordings` answer: where the recording was written, relative to the recordings folder. */
export interface RpRecordingSaved {
  /** `bona-fide/<sessionId>` or `attack/<species>/<sessionId>`. */
  readonly path: string;
}

/** Body of every error answer of the demo backend. */
export interface RpErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}

/** What a session id looks like; checked before anything is forwarded. */
export const SESSION_ID_PATTERN = /^ses_[A-Za-z0-9_-]{22}$/;
