import jpeg from "jpeg-js";
import { createHash } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { vi } from "vitest";
import { FACE_EMBEDDING_LENGTH } from "@lumen/core";
import {
  RESULT_TOKEN_TYPE,
  type FaceMatch,
  SessionAnalysis,
  type CaptureFacts,
  type CreateSessionResponse,
  type DevicePublicJwk,
  type ResultTokenClaims,
  type StartSessionResponse,
} from "@lumen/protocol";
import { createApp } from "../../src/http/create-app.ts";
import { fakeAnalysis } from "./fake-analysis.ts";
import type { AppDeps } from "../../src/http/app-deps.ts";
import { ApiKeyRegistry } from "../../src/keys/api-key-registry.ts";
import { createKeyStore } from "../../src/keys/create-key-store.ts";
import type { KeyStore } from "../../src/keys/key-store.ts";
import { SqliteSessionStore } from "../../src/sessions/sqlite-session-store.ts";
import type {
  EvidenceInput,
  EvidenceVerdict,
  EvidenceVerifier,
} from "../../src/verification/evidence-verifier.ts";

export const ISSUER = "https://lumen.test";
export const BANK_KEY = "bank-secret-0123456789abcdef";
export const OTHER_KEY = "other-secret-0123456789abcdef";
export const DAY_MS = 86_400_000;

export interface Device {
  readonly privateKey: CryptoKey;
  readonly publicJwk: DevicePublicJwk;
}

export interface StartedSession {
  readonly sessionId: string;
  readonly clientToken: string;
  readonly device: Device;
  readonly start: StartSessionResponse;
  readonly startedAt: number;
}

export async function newDevice(): Promise<Device> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk: JWK = await exportJWK(publicKey);
  return {
    privateKey,
    publicJwk: { kty: "EC", crv: "P-256", x: jwk.x ?? "", y: jwk.y ?? "" },
  };
}

/** A small real JPEG of one flat colour. */
export function tinyJpeg(seed: number, width = 16, height = 16): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = (seed * 40) % 256;
    data[i * 4 + 1] = 128;
    data[i * 4 + 2] = 255 - ((seed * 40) % 256);
    data[i * 4 + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Builds and signs a result token for `frames`. */
export async function resultToken(
  session: StartedSession,
  frames: readonly Uint8Array[],
  options: {
    readonly nowMs: number;
    readonly claims?: Partial<ResultTokenClaims>;
    readonly typ?: string;
    readonly key?: CryptoKey;
    readonly sizes?: readonly { width: number; height: number }[];
  },
): Promise<string> {
  const iat = Math.floor(options.nowMs / 1000);
  const claims: ResultTokenClaims = {
    sid: session.sessionId,
    nonce: session.start.nonce,
    iat,
    exp: iat + 60,
    frames: frames.map((frame, i) => ({
      capturedAt: session.startedAt + 100 * (i + 1),
      sha256: sha256Hex(frame),
      width: options.sizes?.[i]?.width ?? 16,
      height: options.sizes?.[i]?.height ?? 16,
      scores: { faces: 1, liveness: 2.5, realness: 0.9 },
    })),
    flashesShownAt: session.start.challenge.flashes.map((_, i) => session.startedAt + 50 + i),
    posesShownAt: session.start.challenge.poses.map((_, i) => session.startedAt + 60 + i),
    models: "a".repeat(64),
    signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: 4 },
    ...options.claims,
  };
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "ES256", typ: options.typ ?? RESULT_TOKEN_TYPE })
    .sign(options.key ?? session.device.privateKey);
}

export function evidenceForm(
  token: string,
  frames: readonly (Uint8Array | null)[],
  extra?: Record<string, string>,
): FormData {
  const form = new FormData();
  form.append("token", token);
  frames.forEach((frame, i) => {
    if (frame !== null) {
      form.append(`frame${i}`, new Blob([frame], { type: "image/jpeg" }), `frame${i}.jpg`);
    }
  });
  for (const [name, value] of Object.entries(extra ?? {})) form.append(name, value);
  return form;
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/**
 * A complete app on a SQLite store (in memory unless `storePath` names a file), a settable
 * clock and a fake verifier. The fake's `state.verdict` is what it decides; `state.analysis`
 * is what it reports as analysis, {@link fakeAnalysis} of its input when `"from-input"`.
 */
export async function createHarness(
  overrides: Partial<AppDeps> = {},
  options: { readonly storePath?: string } = {},
) {
  let nowMs = Date.UTC(2026, 0, 15, 9, 0, 0);
  const store = new SqliteSessionStore({
    path: options.storePath ?? ":memory:",
    frameRetentionMs: DAY_MS,
    verdictRetentionMs: 30 * DAY_MS,
  });
  const keys: KeyStore = await createKeyStore({ nowMs, retiredKeyLifetimeMs: 30 * DAY_MS });
  const apiKeys = new ApiKeyRegistry([
    { id: "bank", secret: BANK_KEY },
    { id: "other", secret: OTHER_KEY },
  ]);
  const state: {
    verdict: Omit<EvidenceVerdict, "analysis" | "match">;
    analysis: "from-input" | SessionAnalysis | null;
    /** What the fake reports as the match when the session has a reference. */
    match: FaceMatch;
    error: Error | null;
  } = {
    verdict: { decision: "pass", reasons: [], scores: { liveness: 0.93 }, auditFrames: [0, 2] },
    analysis: "from-input",
    match: { similarity: 0.7, threshold: 0.45, fmr: 0.01, decision: "match" },
    error: null,
  };
  const verify = vi.fn<(input: EvidenceInput) => Promise<EvidenceVerdict>>((input) => {
    if (state.error !== null) return Promise.reject(state.error);
    const analysis = state.analysis === "from-input" ? fakeAnalysis(input) : state.analysis;
    const match = input.reference === null ? null : state.match;
    return Promise.resolve({ ...state.verdict, analysis, match });
  });
  // The fake embeds every reference as the same face: what the HTTP layer does with it is
  // tested here, the real embedding in reference-image.test.ts.
  const embedReference = vi.fn<EvidenceVerifier["embedReference"]>(() =>
    Promise.resolve(new Float32Array(FACE_EMBEDDING_LENGTH).fill(0.05)),
  );
  const verifier: EvidenceVerifier = { verify, embedReference, close: () => Promise.resolve() };
  const logs: unknown[] = [];
  const app = createApp({
    store,
    keys,
    apiKeys,
    verifier,
    issuer: ISSUER,
    clock: () => nowMs,
    log: (entry) => logs.push(entry),
    ...overrides,
  });
  const clock = {
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };

  const createSession = async (
    body: Record<string, unknown> = {},
    apiKey = BANK_KEY,
  ): Promise<CreateSessionResponse> => {
    const res = await app.request("/v1/sessions", {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
    return (await res.json()) as CreateSessionResponse;
  };

  const startRequest = (id: string, clientToken: string, body: unknown) =>
    app.request(`/v1/sessions/${id}/start`, {
      method: "POST",
      headers: { authorization: `Bearer ${clientToken}`, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  const startBody = (device: Device, capture: Partial<CaptureFacts> = {}) => ({
    devicePublicKey: device.publicJwk,
    capture: {
      cameraLabel: "FaceTime HD Camera",
      userAgent: "vitest",
      trackSettings: { width: 640, height: 480, frameRate: 30 },
      customSource: false,
      ...capture,
    },
  });

  const startSession = async (
    body: Record<string, unknown> = {},
    apiKey = BANK_KEY,
    capture: Partial<CaptureFacts> = {},
  ): Promise<StartedSession> => {
    const { sessionId, clientToken } = await createSession(body, apiKey);
    const device = await newDevice();
    const startedAt = nowMs;
    const res = await startRequest(sessionId, clientToken, startBody(device, capture));
    if (res.status !== 200) throw new Error(`start: ${res.status} ${await res.text()}`);
    const start = (await res.json()) as StartSessionResponse;
    return { sessionId, clientToken, device, start, startedAt };
  };

  const upload = (id: string, form: FormData | Uint8Array, contentType?: string) =>
    app.request(`/v1/sessions/${id}/evidence`, {
      method: "POST",
      body: form,
      ...(contentType === undefined ? {} : { headers: { "content-type": contentType } }),
    });

  /** Correct evidence for a started session: its minimum frame count. */
  const goodEvidence = async (session: StartedSession) => {
    const frames = Array.from({ length: session.start.evidence.minFrames }, (_, i) => tinyJpeg(i));
    const token = await resultToken(session, frames, { nowMs });
    return { frames, token };
  };

  const getSession = (id: string, apiKey = BANK_KEY) =>
    app.request(`/v1/sessions/${id}`, { headers: { authorization: `Bearer ${apiKey}` } });

  const attachReference = (
    id: string,
    body: Uint8Array | string,
    options: { kind?: string; type?: string; apiKey?: string } = {},
  ) =>
    app.request(`/v1/sessions/${id}/reference-image?kind=${options.kind ?? "portrait"}`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${options.apiKey ?? BANK_KEY}`,
        "content-type": options.type ?? "image/jpeg",
      },
      body,
    });

  return {
    app,
    store,
    keys,
    state,
    verify,
    embedReference,
    logs,
    clock,
    createSession,
    startRequest,
    startBody,
    startSession,
    upload,
    goodEvidence,
    getSession,
    attachReference,
  };
}

export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return body.error.code;
}

export { fakeAnalysis };
