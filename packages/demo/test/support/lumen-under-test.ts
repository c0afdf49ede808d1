import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import jpeg from "jpeg-js";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import {
  LumenError,
  RESULT_TOKEN_TYPE,
  type Decision,
  type SessionAnalysis,
  type ReasonCode,
  type ResultTokenClaims,
  type StartSessionResponse,
} from "@lumen/protocol";
import {
  ApiKeyRegistry,
  createApp,
  createKeyStore,
  SqliteSessionStore,
  type EvidenceInput,
  type EvidenceVerifier,
} from "@lumen/server";
import { fakeAnalysis as serverFakeAnalysis } from "../../../server/test/support/fake-analysis.ts";

export const API_KEY = "bank-secret-0123456789abcdef-demo-test";
export const API_KEY_ID = "bank";
const DAY_MS = 86_400_000;

/** A small real JPEG of one flat colour, different per seed. */
export function tinyJpeg(seed: number): Uint8Array<ArrayBuffer> {
  const width = 16;
  const height = 16;
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = (seed * 40) % 256;
    data[i * 4 + 1] = 128;
    data[i * 4 + 2] = 255 - ((seed * 40) % 256);
    data[i * 4 + 3] = 255;
  }
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
}

/**
 * What the fake verifier reports: the server harness's fake analysis, with per-frame scores
 * that vary and the second frame with two faces, so the result page has something to mark.
 */
export function fakeAnalysis(input: EvidenceInput): SessionAnalysis {
  const analysis = serverFakeAnalysis(input);
  return {
    ...analysis,
    frames: analysis.frames.map((frame, i) => ({
      ...frame,
      faces: i === 1 ? 2 : 1,
      liveness: 2 + i / 10,
      realness: 0.8,
    })),
  };
}

/** The real Lumen app (in-memory store, fake verifier) on a loopback port. */
export interface LumenUnderTest {
  readonly url: string;
  /** What the fake verifier decides. */
  readonly verdict: { decision: Decision; reasons: ReasonCode[] };
  /** The upload indexes the fake verifier keeps for audit. */
  auditFrames: readonly number[];
  /** Rewrites the `verdict` of `GET /v1/sessions/:id` answers when set (a man in the middle). */
  rewriteVerdict: ((token: string) => string) | null;
  /**
   * Plays the SDK: starts the session and uploads `frameCount` frames of evidence (the session's
   * minimum by default); returns the uploaded frames.
   */
  complete(
    sessionId: string,
    clientToken: string,
    frameCount?: number,
  ): Promise<readonly Uint8Array[]>;
  /** `POST /v1/sessions/:id/start` with a fresh device key, as the SDK does. */
  start(sessionId: string, clientToken: string): Promise<StartSessionResponse>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startLumen(): Promise<LumenUnderTest> {
  const store = new SqliteSessionStore({
    path: ":memory:",
    frameRetentionMs: DAY_MS,
    verdictRetentionMs: 30 * DAY_MS,
  });
  const keys = await createKeyStore({ nowMs: Date.now(), retiredKeyLifetimeMs: 30 * DAY_MS });
  const state: LumenUnderTest = {
    url: "",
    verdict: { decision: "pass", reasons: [] },
    rewriteVerdict: null,
    auditFrames: [0, 2],
    complete: () => Promise.reject(new Error("not ready")),
    start: () => Promise.reject(new Error("not ready")),
    close: () => Promise.resolve(),
  };
  const verifier: EvidenceVerifier = {
    verify: (input) =>
      Promise.resolve({
        ...state.verdict,
        scores: { livenessMedian: 2 },
        auditFrames: [...state.auditFrames],
        analysis: fakeAnalysis(input),
        match: null,
      }),
    // The demo's reference-image route is tested against a fake upstream (reference-image.test.ts).
    embedReference: () =>
      Promise.reject(new LumenError("REFERENCE_UNUSABLE", "This fake verifier embeds no face")),
    close: () => Promise.resolve(),
  };
  let fetchApp: ((request: Request) => Response | Promise<Response>) | null = null;
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve(
      {
        fetch: async (request: Request) => {
          if (!fetchApp) return new Response("not ready", { status: 503 });
          const response = await fetchApp(request);
          const rewrite = state.rewriteVerdict;
          if (rewrite === null || !/^\/v1\/sessions\/[^/]+$/.test(new URL(request.url).pathname)) {
            return response;
          }
          const body = (await response.json()) as { verdict: string | null };
          if (body.verdict !== null) body.verdict = rewrite(body.verdict);
          return Response.json(body, { status: response.status });
        },
        port: 0,
        hostname: "127.0.0.1",
      },
      (info: AddressInfo) => {
        resolve(info.port);
      },
    );
  });
  const url = `http://127.0.0.1:${String(port)}`;
  fetchApp = createApp({
    store,
    keys,
    apiKeys: new ApiKeyRegistry([{ id: API_KEY_ID, secret: API_KEY }]),
    verifier,
    issuer: url,
  }).fetch;

  const start = async (sessionId: string, clientToken: string) => {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jwk = await exportJWK(publicKey);
    const res = await fetch(`${url}/v1/sessions/${sessionId}/start`, {
      method: "POST",
      headers: { authorization: `Bearer ${clientToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        devicePublicKey: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
        capture: {
          cameraLabel: "FaceTime HD Camera",
          userAgent: "vitest",
          trackSettings: { width: 640, height: 480, frameRate: 30 },
          customSource: false,
        },
      }),
    });
    if (res.status !== 200) throw new Error(`start: ${String(res.status)} ${await res.text()}`);
    return { privateKey, start: (await res.json()) as StartSessionResponse };
  };

  return Object.assign(state, {
    url,
    start: async (sessionId: string, clientToken: string) =>
      (await start(sessionId, clientToken)).start,
    async complete(sessionId: string, clientToken: string, frameCount?: number) {
      const startedAt = Date.now();
      const { privateKey, start: started } = await start(sessionId, clientToken);
      const frames = Array.from({ length: frameCount ?? started.evidence.minFrames }, (_, i) =>
        tinyJpeg(i),
      );
      // Capture times in the past by the time the evidence arrives.
      await sleep(20 * (frames.length + 2));
      const iat = Math.floor(Date.now() / 1000);
      const claims: ResultTokenClaims = {
        sid: sessionId,
        nonce: started.nonce,
        iat,
        exp: iat + 60,
        frames: frames.map((frame, i) => ({
          capturedAt: startedAt + 20 * (i + 1),
          sha256: createHash("sha256").update(frame).digest("hex"),
          width: 16,
          height: 16,
          scores: { faces: 1, liveness: 2.5, realness: 0.9 },
        })),
        flashesShownAt: started.challenge.flashes.map((_, i) => startedAt + 5 + i),
        posesShownAt: started.challenge.poses.map((_, i) => startedAt + 6 + i),
        models: "a".repeat(64),
        signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: 4 },
      };
      const token = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: "ES256", typ: RESULT_TOKEN_TYPE })
        .sign(privateKey);
      const form = new FormData();
      form.append("token", token);
      frames.forEach((frame, i) => {
        form.append(
          `frame${String(i)}`,
          new Blob([frame], { type: "image/jpeg" }),
          `frame${String(i)}.jpg`,
        );
      });
      const res = await fetch(`${url}/v1/sessions/${sessionId}/evidence`, {
        method: "POST",
        body: form,
      });
      if (res.status !== 200)
        throw new Error(`evidence: ${String(res.status)} ${await res.text()}`);
      return frames;
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        if (server)
          server.close(() => {
            resolve();
          });
        else resolve();
      });
      store.close();
    },
  });
}
