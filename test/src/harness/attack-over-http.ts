// An adaptive attacker that skips the browser: it starts a session on the real server, renders
// its evidence for the challenge the server drew with the one relighting simulator, signs it
// with its own device key as the SDK would and uploads it. For the ladder rungs that need no
// page, so the suite stays within CI's time (the rungs that must run in the lab page do).
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import {
  RECORDED_SESSION_FORMAT,
  RESULT_TOKEN_TYPE,
  StartSessionResponse,
  type CaptureFacts,
  type RecordedSession,
  type RecordedSessionLabel,
  type ResultTokenClaims,
  type SessionResult,
} from "@lumen/protocol";
import type { FrameAnalyzer } from "@lumen/server";
import {
  claimFrames,
  GENUINE_SIGNALS,
  planEvidence,
  type PlanOptions,
  type VideoFrame,
} from "../../../packages/server/test/support/genuine-evidence.ts";
import type { ApiServer } from "./start-api-server.ts";

/** The SDK starts the challenge this long after the server recorded the start. */
const SDK_LEAD_MS = 250;

/** What the attacker's upload came to. */
export interface HttpAttackOutcome {
  readonly sessionId: string;
  /** The upload's HTTP status (200 once the server re-checked it). */
  readonly uploadStatus: number;
  readonly result: SessionResult;
  /** The session as `pnpm eval --sessions` replays it, with the live decision. */
  readonly recording: { readonly session: RecordedSession; readonly frames: Uint8Array[] };
}

const CAPTURE: CaptureFacts = {
  cameraLabel: "FaceTime HD Camera",
  userAgent: "Mozilla/5.0",
  trackSettings: { width: 640, height: 480, frameRate: 30 },
  customSource: false,
};

async function ok(res: Response, what: string): Promise<unknown> {
  if (!res.ok) throw new Error(`${what}: HTTP ${String(res.status)} ${await res.text()}`);
  return res.json();
}

/**
 * Runs one session on `api` whose camera is `frames` (a video's, or a still's one frame)
 * answering the drawn challenge as `options` says, and reads the relying party's view.
 *
 * @example
 * ```ts
 * const { result } = await attackOverHttp(api, analyzer, d3, { flashResponse: true, mode: "swapped" });
 * ```
 */
export async function attackOverHttp(
  api: ApiServer,
  analyzer: FrameAnalyzer,
  frames: readonly VideoFrame[],
  options: PlanOptions,
  label: RecordedSessionLabel,
): Promise<HttpAttackOutcome> {
  const { sessionId, clientToken } = await api.createSession();
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = await exportJWK(publicKey);
  const startedAt = Date.now();
  const start = StartSessionResponse.parse(
    await ok(
      await fetch(`${api.url}/v1/sessions/${sessionId}/start`, {
        method: "POST",
        headers: { authorization: `Bearer ${clientToken}`, "content-type": "application/json" },
        body: JSON.stringify({
          devicePublicKey: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
          capture: CAPTURE,
        }),
      }),
      "start",
    ),
  );
  const plan = planEvidence(frames, start.challenge, startedAt + SDK_LEAD_MS, options);
  const iat = Math.floor(Date.now() / 1000);
  const claims: ResultTokenClaims = {
    sid: sessionId,
    nonce: start.nonce,
    iat,
    exp: iat + 120,
    frames: await claimFrames(analyzer, plan.frames),
    flashesShownAt: [...plan.flashesShownAt],
    posesShownAt: [...plan.posesShownAt],
    // The manifest hash the SDK reports is informational: the server runs its own models.
    models: "0".repeat(64),
    signals: GENUINE_SIGNALS,
  };
  const token = await new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "ES256", typ: RESULT_TOKEN_TYPE })
    .sign(privateKey);
  const form = new FormData();
  form.append("token", token);
  plan.frames.forEach((frame, i) => {
    form.append(
      `frame${String(i)}`,
      new Blob([frame.jpeg], { type: "image/jpeg" }),
      `${String(i)}.jpg`,
    );
  });
  const upload = await fetch(`${api.url}/v1/sessions/${sessionId}/evidence`, {
    method: "POST",
    body: form,
  });
  await upload.arrayBuffer();
  const result = await api.getSession(sessionId);
  const now = Date.now();
  const session: RecordedSession = {
    format: RECORDED_SESSION_FORMAT,
    sessionId,
    policy: "standard",
    label,
    recordedAt: now,
    start,
    startedAt,
    capture: CAPTURE,
    token,
    claims,
    ...(result.decision === null
      ? {}
      : { serverDecision: { decision: result.decision, reasons: [...result.reasons] } }),
    consent: { given: true, at: now },
  };
  const jpegs = plan.frames.map((frame) => frame.jpeg);
  return { sessionId, uploadStatus: upload.status, result, recording: { session, frames: jpegs } };
}
