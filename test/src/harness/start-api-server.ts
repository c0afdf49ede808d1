import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type {
  CreateSessionRequest,
  CreateSessionResponse,
  ReferenceKind,
  SessionResult,
} from "@lumen/protocol";
import {
  ApiKeyRegistry,
  applyKeepAliveTimeouts,
  createApp,
  createKeyStore,
  createPooledEvidenceVerifier,
  SqliteSessionStore,
  type RandomSource,
} from "@lumen/server";

/** Options of {@link startApiServer}. */
export interface StartApiServerOptions {
  /** `models/dist`: what the pooled verifier loads. */
  readonly modelDir: string;
  /** Page origins allowed by CORS (the SDK's pages). */
  readonly pageOrigins: readonly string[];
  /** The server's randomness (ids, nonces, challenges); crypto unless a test fixes the draw. */
  readonly random?: RandomSource;
  /** Start on this port (0, the default: a free one). */
  readonly port?: number;
}

/** The real verification server on 127.0.0.1, with the relying party's calls a test needs. */
export interface ApiServer {
  readonly url: string;
  /** The relying party's API key, its id (the `aud` of verdicts) and the server's issuer. */
  readonly apiKey: string;
  readonly apiKeyId: string;
  readonly issuer: string;
  /**
   * Moves the server's clock forward by `ms` for good (sessions expire, tokens age); the
   * browser's clock stays where it is, so do it last in a test.
   */
  advanceClock(ms: number): void;
  /** `POST /v1/sessions` with the test's API key. */
  createSession(request?: CreateSessionRequest): Promise<CreateSessionResponse>;
  /** `GET /v1/sessions/:id` with the test's API key. */
  getSession(id: string): Promise<SessionResult>;
  /**
   * `PUT /v1/sessions/:id/reference-image` with the test's API key: the raw response, so a test
   * can see a refusal.
   */
  attachReference(
    id: string,
    image: Uint8Array,
    options: { readonly kind: ReferenceKind; readonly type: string },
  ): Promise<Response>;
  close(): Promise<void>;
}

const API_KEY = "bank-secret-0123456789abcdef-e2e";
const API_KEY_ID = "bank";
const ISSUER = "http://127.0.0.1";
const DAY_MS = 86_400_000;

async function expectStatus(res: Response, status: number): Promise<unknown> {
  if (res.status !== status) {
    throw new Error(`${res.url}: HTTP ${res.status}, expected ${status}: ${await res.text()}`);
  }
  return res.json();
}

/**
 * Starts `packages/server`'s app (in-memory SQLite store, one pooled verifier worker) on a random
 * loopback port, as a bank's backend would run it. Start it after the page servers, whose
 * origins its CORS list needs.
 *
 * @example
 * ```ts
 * const api = await startApiServer({ modelDir, pageOrigins: [pages.url] });
 * const { sessionId, clientToken } = await api.createSession({ policy: "standard" });
 * // … the SDK runs in the page …
 * expect((await api.getSession(sessionId)).decision).toBe("pass");
 * await api.close();
 * ```
 */
export async function startApiServer(options: StartApiServerOptions): Promise<ApiServer> {
  const store = new SqliteSessionStore({
    path: ":memory:",
    frameRetentionMs: DAY_MS,
    verdictRetentionMs: 30 * DAY_MS,
  });
  const keys = await createKeyStore({ nowMs: Date.now(), retiredKeyLifetimeMs: 30 * DAY_MS });
  const verifier = createPooledEvidenceVerifier({
    modelDir: options.modelDir,
    workers: 1,
    maxQueue: 2,
    timeoutMs: 120_000,
  });
  let clockOffsetMs = 0;
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve(
      {
        fetch: createApp({
          store,
          keys,
          apiKeys: new ApiKeyRegistry([{ id: API_KEY_ID, secret: API_KEY }]),
          verifier,
          issuer: ISSUER,
          clock: () => Date.now() + clockOffsetMs,
          allowedOrigins: options.pageOrigins,
          verifierTimeoutMs: 180_000,
          ...(options.random ? { random: options.random } : {}),
        }).fetch,
        port: options.port ?? 0,
        hostname: "127.0.0.1",
      },
      (info: AddressInfo) => {
        resolve(info.port);
      },
    );
    applyKeepAliveTimeouts(server);
  });
  const url = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" };
  return {
    url,
    apiKey: API_KEY,
    apiKeyId: API_KEY_ID,
    issuer: ISSUER,
    advanceClock(ms) {
      clockOffsetMs += ms;
    },
    async createSession(request = {}) {
      const res = await fetch(`${url}/v1/sessions`, {
        method: "POST",
        headers,
        body: JSON.stringify(request),
      });
      return (await expectStatus(res, 201)) as CreateSessionResponse;
    },
    async getSession(id) {
      const res = await fetch(`${url}/v1/sessions/${id}`, { headers });
      return (await expectStatus(res, 200)) as SessionResult;
    },
    attachReference(id, image, options) {
      return fetch(`${url}/v1/sessions/${id}/reference-image?kind=${options.kind}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${API_KEY}`, "content-type": options.type },
        body: image,
      });
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        if (server)
          server.close(() => {
            resolve();
          });
        else resolve();
      });
      await verifier.close();
      store.close();
    },
  };
}
