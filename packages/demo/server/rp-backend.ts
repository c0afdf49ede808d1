import { randomBytes } from "node:crypto";
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import {
  AttachReferenceResponse,
  CreateSessionResponse,
  ERROR_CODES,
  ErrorBody,
  Policy,
  PROTOCOL_LIMITS,
  REFERENCE_MEDIA_TYPES,
  ReferenceKind,
  SessionResult,
  VERDICT_TOKEN_TYPE,
  VerdictClaims,
} from "@lumen/protocol";
import { SESSION_ID_PATTERN, type RpResult, type RpSession } from "../src/rp-types.ts";
import type { ResolvedDemoServerOptions } from "./demo-server-options.ts";
import { RpError, type RpErrorCode } from "./rp-error.ts";

/** `POST /rp/sessions` body: strict, so an unknown field is refused. */
const RpSessionRequest = z.strictObject({ policy: Policy.optional() });

const UPSTREAM_TIMEOUT_MS = 10_000;
/** The server decodes a reference image and finds and embeds its face before it answers. */
const REFERENCE_TIMEOUT_MS = 30_000;
/** Upstream JSON answers larger than this are refused (a session result is a few KiB). */
const MAX_UPSTREAM_JSON_BYTES = 1_048_576;

/**
 * The verification server's refusals of a reference image that the person can act on (choose
 * another image, start again): relayed with their status, code and message.
 */
const RELAYED_REFERENCE_REFUSALS = [
  "REQUEST_INVALID",
  "IMAGE_INVALID",
  "PAYLOAD_TOO_LARGE",
  "REFERENCE_UNUSABLE",
  "SESSION_STATE_CONFLICT",
  "SESSION_EXPIRED",
] as const satisfies readonly RpErrorCode[];

/** `PUT /rp/sessions/:id/reference-image` as the demo server received it, its body unread. */
export interface ReferenceUpload {
  /** The `kind` query parameter; `null` when absent. */
  readonly kind: string | null;
  /** The `Content-Type` header. */
  readonly contentType: string | undefined;
  /** Reads the body; throws `413 PAYLOAD_TOO_LARGE` beyond `maxBytes`. */
  read(maxBytes: number): Promise<Uint8Array<ArrayBuffer>>;
}

/** The relying party's operations, each calling the Lumen server with the API key. */
export interface RpBackend {
  readonly jwksUrl: string;
  createSession(body: unknown): Promise<RpSession>;
  attachReference(sessionId: string, upload: ReferenceUpload): Promise<AttachReferenceResponse>;
  getResult(sessionId: string): Promise<RpResult>;
  auditFrame(sessionId: string, index: string): Promise<Uint8Array>;
}

/** An upload's media type when it is one a reference image may have; `null` otherwise. */
function referenceMediaType(contentType: string | undefined): string | null {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  return REFERENCE_MEDIA_TYPES.find((allowed) => allowed === type) ?? null;
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
 * key, attaches reference images to them, reads results and verifies their verdict against the
 * server's JWKS, and proxies audit frames. Throws {@link RpError}s; upstream failures become
 * `502 UPSTREAM_FAILED` whose messages name the status only, except a reference image's
 * refusals the person can act on, which are relayed.
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

  /** Calls the Lumen server with the API key: a GET, or `send`'s method with its body. */
  const upstream = async (
    path: string,
    send?: {
      readonly method: "POST" | "PUT";
      readonly contentType: string;
      readonly body: string | Uint8Array<ArrayBuffer>;
      readonly timeoutMs?: number;
    },
  ): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (send !== undefined) headers["content-type"] = send.contentType;
    try {
      return await fetch(`${lumenUrl}${path}`, {
        method: send?.method ?? "GET",
        headers,
        ...(send === undefined ? {} : { body: send.body }),
        redirect: "error",
        signal: AbortSignal.timeout(send?.timeoutMs ?? UPSTREAM_TIMEOUT_MS),
      });
    } catch {
      throw new RpError(502, "UPSTREAM_FAILED", "The verification server could not be reached");
    }
  };

  const refusal = (status: number, what: string): RpError =>
    status === 404
      ? new RpError(404, "NOT_FOUND", `No such ${what}`)
      : new RpError(
          502,
          "UPSTREAM_FAILED",
          `The verification server refused the request (HTTP ${String(status)})`,
        );

  const refuse = async (res: Response, what: string): Promise<never> => {
    await res.body?.cancel();
    throw refusal(res.status, what);
  };

  /** Relays a refusal of {@link RELAYED_REFERENCE_REFUSALS} with its status; others as {@link refuse}. */
  const relayReferenceRefusal = async (res: Response): Promise<never> => {
    if (res.status < 400 || res.status >= 500 || res.status === 404) {
      return refuse(res, "session");
    }
    const body = await upstreamJson(res, ErrorBody).catch(() => null);
    const code = RELAYED_REFERENCE_REFUSALS.find((relayed) => relayed === body?.error.code);
    if (body === null || code === undefined || ERROR_CODES[code].status !== res.status) {
      throw refusal(res.status, "session");
    }
    throw new RpError(res.status, code, body.error.message);
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
        method: "POST",
        contentType: "application/json",
        body: JSON.stringify({
          policy: parsed.data.policy ?? "standard",
          // A fresh reference per session: the server limits failures per reference.
          reference: `demo-${randomBytes(9).toString("base64url")}`,
        }),
      });
      if (res.status !== 201) return refuse(res, "session");
      const created = await upstreamJson(res, CreateSessionResponse);
      return { ...created, serverUrl: lumenUrl };
    },

    async attachReference(sessionId, upload) {
      checkSessionId(sessionId);
      const kind = ReferenceKind.safeParse(upload.kind);
      if (!kind.success) {
        throw new RpError(400, "REQUEST_INVALID", "`kind` must be `portrait` or `document`");
      }
      const mediaType = referenceMediaType(upload.contentType);
      if (mediaType === null) {
        throw new RpError(
          400,
          "REQUEST_INVALID",
          `The body must be ${REFERENCE_MEDIA_TYPES.join(" or ")}`,
        );
      }
      const image = await upload.read(PROTOCOL_LIMITS.maxReferenceBytes);
      if (image.byteLength === 0) throw new RpError(400, "REQUEST_INVALID", "The body is empty");
      const res = await upstream(`/v1/sessions/${sessionId}/reference-image?kind=${kind.data}`, {
        method: "PUT",
        contentType: mediaType,
        body: image,
        timeoutMs: REFERENCE_TIMEOUT_MS,
      });
      if (res.status !== 200) return relayReferenceRefusal(res);
      const attached = await upstreamJson(res, AttachReferenceResponse);
      if (attached.sessionId !== sessionId) {
        throw new RpError(
          502,
          "UPSTREAM_FAILED",
          "The verification server answered for another session",
        );
      }
      return attached;
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
