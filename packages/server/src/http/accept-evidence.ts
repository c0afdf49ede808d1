import { createHash, timingSafeEqual } from "node:crypto";
import { MODEL_CATALOG } from "@lumen/core";
import {
  LumenError,
  PROTOCOL_LIMITS,
  RETRYABLE_REASONS,
  SessionAnalysis,
  type EvidenceResponse,
  type ReasonCode,
  type ResultTokenClaims,
} from "@lumen/protocol";
import { checkJpegHeader } from "../frames/check-jpeg-header.ts";
import type { SessionRecord, SessionStart } from "../sessions/session-store.ts";
import { compactJwsSpelling } from "../tokens/compact-jws-spelling.ts";
import { signVerdict } from "../tokens/sign-verdict.ts";
import { verifyResultToken } from "../tokens/verify-result-token.ts";
import type { EvidenceVerdict } from "../verification/evidence-verifier.ts";
import type { ResolvedAppDeps } from "./app-deps.ts";
import type { EvidenceForm } from "./parse-evidence-form.ts";

/** Capture may begin slightly before the server recorded the start (clock skew, latency). */
const CAPTURE_LEAD_MS = 1000;

function sha256(bytes: Uint8Array | string): Buffer {
  return createHash("sha256").update(bytes).digest();
}

function sameText(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function inWindow(at: number, start: SessionStart): boolean {
  return at >= start.startedAt - CAPTURE_LEAD_MS && at <= start.deadline;
}

/** Binding, count, hash, timing and image checks: everything cheap, before the verifier. */
function checkEvidence(
  claims: ResultTokenClaims,
  frames: readonly Uint8Array[],
  start: SessionStart,
): void {
  if (claims.frames.length !== frames.length) {
    throw new LumenError(
      "FRAME_COUNT_INVALID",
      `The token claims ${claims.frames.length} frames, ${frames.length} were uploaded`,
    );
  }
  if (frames.length < start.limits.minFrames || frames.length > start.limits.maxFrames) {
    throw new LumenError(
      "FRAME_COUNT_INVALID",
      `Between ${start.limits.minFrames} and ${start.limits.maxFrames} frames are required`,
    );
  }
  let previous = -Infinity;
  for (const [i, claim] of claims.frames.entries()) {
    if (!(claim.capturedAt > previous) || !inWindow(claim.capturedAt, start)) {
      throw new LumenError(
        "TIMESTAMP_INVALID",
        `Frame ${i} capture time is out of order or outside the session`,
      );
    }
    previous = claim.capturedAt;
  }
  for (const at of [...claims.flashesShownAt, ...claims.posesShownAt]) {
    if (!inWindow(at, start)) {
      throw new LumenError("TIMESTAMP_INVALID", "A prompt time falls outside the session");
    }
  }
  for (const [i, frame] of frames.entries()) {
    const claim = claims.frames[i];
    if (claim === undefined || !timingSafeEqual(sha256(frame), Buffer.from(claim.sha256, "hex"))) {
      throw new LumenError("FRAME_HASH_MISMATCH", `Frame ${i} does not match its SHA-256 claim`);
    }
    const { width, height } = checkJpegHeader(frame, start.limits.maxFramePixels);
    if (width !== claim.width || height !== claim.height) {
      throw new LumenError("IMAGE_INVALID", `Frame ${i} is not the size its claim declares`);
    }
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new LumenError("INFERENCE_FAILED", `The verifier took more than ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function failedVerification(): EvidenceVerdict {
  return {
    decision: "fail",
    reasons: ["VERIFICATION_ERROR"],
    scores: {},
    auditFrames: [],
    analysis: null,
    match: null,
  };
}

/**
 * The verifier's analysis if it fits the wire schema and covers every uploaded frame, else
 * `null`: it only informs the relying party, so a malformed one is dropped, not the verdict.
 */
function checkedAnalysis(verdict: EvidenceVerdict, frameCount: number): SessionAnalysis | null {
  const parsed = SessionAnalysis.safeParse(verdict.analysis);
  return parsed.success && parsed.data.frames.length === frameCount ? parsed.data : null;
}

function catalogVersions(): Record<string, string> {
  return Object.fromEntries(MODEL_CATALOG.map((model) => [model.id, model.version]));
}

/** The rate-limit key of a relying party's user: references are only unique per API key. */
export function referenceKey(keyId: string, reference: string): string {
  return `${keyId}\u0000${reference}`;
}

/**
 * Checks an evidence upload against its session, runs the verifier, stores and signs the verdict,
 * and returns what the browser may learn. Every refusal before the verifier leaves the session
 * `started` (a later correct upload can still succeed), except that a token whose signature
 * verified is burnt, so it can never be presented again.
 */
export async function acceptEvidence(
  deps: ResolvedAppDeps,
  session: SessionRecord,
  form: EvidenceForm,
): Promise<EvidenceResponse> {
  const { store } = deps;
  const start = session.start;
  if (start === null) throw new LumenError("SESSION_STATE_CONFLICT", "The session has not started");
  const nowMs = deps.clock();
  const claims = await verifyResultToken(form.token, start.devicePublicKey, {
    nowMs,
    clockToleranceSeconds: deps.clockToleranceSeconds,
  });
  if (claims.sid !== session.id) {
    throw new LumenError("TOKEN_INVALID", "The result token is for another session");
  }
  if (!sameText(claims.nonce, start.nonce)) {
    throw new LumenError("NONCE_MISMATCH", "The result token's nonce is not this session's");
  }
  if (claims.iat * 1000 < start.startedAt - deps.clockToleranceSeconds * 1000) {
    throw new LumenError("TOKEN_INVALID", "The result token predates the session start");
  }
  // Keyed on what the signature covers, so no re-spelling of a burnt token is a new token.
  const spelling = compactJwsSpelling(form.token);
  const tokenHash = sha256(spelling.signingInput).toString("hex");
  const forgetAfterMs = start.deadline + deps.clockToleranceSeconds * 1000 + 60_000;
  if (!store.recordToken(tokenHash, session.id, forgetAfterMs)) {
    throw new LumenError("REPLAYED", "This result token was already presented");
  }
  if (!spelling.canonical) {
    throw new LumenError(
      "TOKEN_INVALID",
      "The result token is not a compact JWS in canonical unpadded base64url",
    );
  }
  checkEvidence(claims, form.frames, start);
  if (!store.claimEvidence(session.id, nowMs)) {
    throw new LumenError(
      "SESSION_STATE_CONFLICT",
      "Evidence for this session was already received",
    );
  }

  let verdict: EvidenceVerdict;
  try {
    verdict = await withTimeout(
      deps.verifier.verify({
        sessionId: session.id,
        policy: session.policy,
        challenge: start.challenge,
        startedAt: start.startedAt,
        deadline: start.deadline,
        capture: start.capture,
        claims,
        frames: form.frames,
        // Read once evidence is claimed: no reference can be attached from then on.
        reference: store.referenceFace(session.id)?.embedding ?? null,
      }),
      deps.verifierTimeoutMs,
    );
  } catch (err) {
    if (err instanceof LumenError && err.code === "BUSY") {
      // Nothing was looked at: hand the session back so the same upload can be retried.
      store.releaseEvidence(session.id);
      store.forgetToken(tokenHash);
      throw err;
    }
    // Fail closed: an error or a timeout is never a pass.
    verdict = failedVerification();
  }

  const completedAt = deps.clock();
  const reasons: ReasonCode[] = [...new Set(verdict.reasons)];
  const auditFrames = [...new Set(verdict.auditFrames)]
    .filter((i) => Number.isInteger(i) && i >= 0 && i < form.frames.length)
    .slice(0, PROTOCOL_LIMITS.maxAuditFrames);
  const verdictToken = await signVerdict(
    {
      iss: deps.issuer,
      aud: session.keyId,
      sub: session.id,
      reference: session.reference,
      decision: verdict.decision,
      reasons,
      match: verdict.match,
      models: catalogVersions(),
      iat: Math.floor(completedAt / 1000),
      exp: Math.floor((completedAt + deps.verdictRetentionMs) / 1000),
    },
    deps.keys,
  );
  const completed = store.complete(session.id, {
    completedAt,
    decision: verdict.decision,
    reasons,
    scores: { ...verdict.scores },
    verdict: verdictToken,
    auditFrames,
    analysis: checkedAnalysis(verdict, form.frames.length),
    match: verdict.match,
  });
  if (!completed) throw new LumenError("SESSION_STATE_CONFLICT", "The session changed meanwhile");
  for (const index of auditFrames) {
    const frame = form.frames[index];
    if (frame !== undefined) store.frames.put(session.id, index, frame, completedAt);
  }
  store.audit({
    at: completedAt,
    sessionId: session.id,
    keyId: session.keyId,
    event: "completed",
    detail: `${verdict.decision} ${reasons.join(",")}`.trim(),
  });

  if (verdict.decision === "pass") return { status: "pass", retryAllowed: false };
  const refKey = session.reference === null ? null : referenceKey(session.keyId, session.reference);
  if (verdict.decision === "fail" && refKey !== null) {
    deps.limiters.failuresPerReference.record(refKey, completedAt);
  }
  const retryable =
    verdict.decision === "fail" &&
    reasons.length > 0 &&
    reasons.every((reason) => RETRYABLE_REASONS.includes(reason)) &&
    (refKey === null || !deps.limiters.failuresPerReference.isLimited(refKey, completedAt));
  // `review` is reported as a final fail: the relying party, not the browser, learns the rest.
  return retryable
    ? { status: "retry", retryAllowed: true }
    : { status: "fail", retryAllowed: false };
}
