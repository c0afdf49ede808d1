import { randomBytes } from "node:crypto";
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import {
  CreateSessionResponse,
  Policy,
  PROTOCOL_LIMITS,
  SessionResult,
  VERDICT_TOKEN_TYPE,
  VerdictClaims,
} from "@lumen/protocol";
import { SESSION_ID_PATTERN, type RpResult, type RpSession } from "../src/rp-types.ts";
import type { ResolvedDemoServerOptions } from "./demo-server-options.ts";
import { RpError } from "./rp-error.ts";

/** `POST /rp/sessions` body: strict, so an unknown field is refused. */
const RpSessionRequest = z.strictObject({ policy: Policy.optional() });

const UPSTREAM_TIMEOUT_MS = 10_000;
/** Upstream JSON answers larger than this are refused (a session result is a few KiB). */
const MAX_UPSTREAM_JSON_BYTES = 1_048_576;

/** The relying party's three operations, each calling the Lumen server with the API key. */
export interface RpBackend {
  readonly jwksUrl: string;
  createSession(body: unknown): Promise<RpSession>;
  getResult(sessionId: string): Promise<RpResult>;
  auditFrame(sessionId: string, index: string): Promise<Uint8Array>;
}

function checkSessionId(sessionId: string): void {
  if (!SESSION_ID_PATTERN.test(sessionId)) {
    throw new RpError(400, "REQUEST_INVALID", "The session id is malformed");
  }
}

async function readBounded(res: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes)
    throw new RpError(502, "UPSTREAM_FAILED", "The upstream answer is too large");
  const reader = (res.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (!reader) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new RpError(502, "UPSTREAM_FAILED", "The upstream answer is too large");
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function upstreamJson<S extends z.ZodType>(res: Response, schema: S): Promise<z.output<S>> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(await readBounded(res, MAX_UPSTREAM_JSON_BYTES)));
  } catch (error) {
    if (error instanceof RpError) throw error;
    throw new RpError(502, "UPSTREAM_FAILED", "The verification server answered with invalid JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new RpError(502, "UPSTREAM_FAILED", "The verification server's answer is malformed");
  }
  return parsed.data;
}

/** Why a verdict failed verification, in words that carry neither the token nor a key. */
function verificationFailure(error: unknown): string {
  if (error instanceof joseErrors.JWKSTimeout) return "The JWKS could not be fetched in time";
  if (error instanceof joseErrors.JOSEError) return `${error.code}: ${error.message}`;
  return "The JWKS could not be fetched";
}

/**
 * The demo relying party's backend logic: creates sessions on the Lumen server with the API
 * key, reads results and verifies their verdict against the server's JWKS, and proxies audit
 * frames. Throws {@link RpError}s; upstream failures become `502 UPSTREAM_FAILED` whose
 * messages name the status only.
 *
 * @example
 * ```ts
 * const rp = createRpBackend(resolveDemoServerOptions({ lumenUrl, apiKey, site }));
 * const session = await rp.createSession({ policy: "no-flash" });
 * const result = await rp.getResult(session.sessionId);
 * ```
 */
export function createRpBackend(options: ResolvedDemoServerOptions): RpBackend {
  const { lumenUrl, apiKey } = options;
  const jwksUrl = `${lumenUrl}/.well-known/jwks.json`;
  const jwks = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5_000 });

  /** Calls the Lumen server with the API key; `json` makes it a POST of that body. */
  const upstream = async (path: string, json?: unknown): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (json !== undefined) headers["content-type"] = "application/json";
    try {
      return await fetch(`${lumenUrl}${path}`, {
        method: json === undefined ? "GET" : "POST",
        headers,
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        redirect: "error",
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
    } catch {
      throw new RpError(502, "UPSTREAM_FAILED", "The verification server could not be reached");
    }
  };

  const refuse = async (res: Response, what: string): Promise<never> => {
    await res.body?.cancel();
    if (res.status === 404) throw new RpError(404, "NOT_FOUND", `No such ${what}`);
    throw new RpError(
      502,
      "UPSTREAM_FAILED",
      `The verification server refused the request (HTTP ${String(res.status)})`,
    );
  };

  const verify = async (
    session: SessionResult,
  ): Promise<Pick<RpResult, "verdict" | "verdictVerified" | "verificationError">> => {
    if (session.verdict === null) {
      return { verdict: null, verdictVerified: false, verificationError: null };
    }
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(session.verdict, jwks, {
        algorithms: ["ES256"],
        typ: VERDICT_TOKEN_TYPE,
        issuer: options.issuer,
        audience: options.apiKeyId,
        requiredClaims: ["sub", "iat", "exp"],
      }));
    } catch (error) {
      return {
        verdict: null,
        verdictVerified: false,
        verificationError: verificationFailure(error),
      };
    }
    const claims = VerdictClaims.safeParse(payload);
    const problem = !claims.success
      ? "The verdict's claims are malformed"
      : claims.data.sub !== session.sessionId
        ? "The verdict is for another session"
        : claims.data.decision !== session.decision
          ? "The verdict's decision differs from the session's"
          : null;
    if (problem !== null || !claims.success) {
      return { verdict: null, verdictVerified: false, verificationError: problem };
    }
    return { verdict: claims.data, verdictVerified: true, verificationError: null };
  };

  return {
    jwksUrl,

    async createSession(body) {
      const parsed = RpSessionRequest.safeParse(body);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .slice(0, 3)
          .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
          .join("; ");
        throw new RpError(400, "REQUEST_INVALID", `The body is invalid: ${detail}`);
      }
      const res = await upstream("/v1/sessions", {
        policy: parsed.data.policy ?? "standard",
        // A fresh reference per session: the server limits failures per reference.
        reference: `demo-${randomBytes(9).toString("base64url")}`,
      });
      if (res.status !== 201) return refuse(res, "session");
      const created = await upstreamJson(res, CreateSessionResponse);
      return { ...created, serverUrl: lumenUrl };
    },

    async getResult(sessionId) {
      checkSessionId(sessionId);
      const res = await upstream(`/v1/sessions/${sessionId}`);
      if (res.status !== 200) return refuse(res, "session");
      const session = await upstreamJson(res, SessionResult);
      if (session.sessionId !== sessionId) {
        throw new RpError(
          502,
          "UPSTREAM_FAILED",
          "The verification server answered for another session",
        );
      }
      return { session, ...(await verify(session)), jwksUrl };
    },

    async auditFrame(sessionId, index) {
      checkSessionId(sessionId);
      if (!/^(0|[1-9][0-9]?)$/.test(index) || Number(index) >= PROTOCOL_LIMITS.maxFrames) {
        throw new RpError(400, "REQUEST_INVALID", "The frame index is malformed");
      }
      const res = await upstream(`/v1/sessions/${sessionId}/frames/${index}`);
      if (res.status !== 200) return refuse(res, "audit frame");
      const bytes = await readBounded(res, PROTOCOL_LIMITS.maxFrameBytes);
      if (
        !/^image\/jpeg\b/.test(res.headers.get("content-type") ?? "") ||
        bytes[0] !== 0xff ||
        bytes[1] !== 0xd8
      ) {
        throw new RpError(502, "UPSTREAM_FAILED", "The verification server's frame is not a JPEG");
      }
      return bytes;
    },
  };
}
