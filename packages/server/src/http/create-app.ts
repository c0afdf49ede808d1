import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { routePath } from "hono/route";
import type { z } from "zod";
import {
  CreateSessionRequest,
  ERROR_CODES,
  LumenError,
  PROTOCOL_LIMITS,
  REFERENCE_MEDIA_TYPES,
  ReferenceKind,
  StartSessionRequest,
  type AttachReferenceResponse,
  type CreateSessionResponse,
  type DeleteSessionResponse,
  type SessionResult,
  type StartSessionResponse,
} from "@lumen/protocol";
import { decodeReferenceImage } from "../frames/decode-reference-image.ts";
import { challengeDurationMs, drawChallenge } from "../sessions/draw-challenge.ts";
import { issueClientToken, verifyClientToken } from "../tokens/client-token.ts";
import { acceptEvidence, referenceKey } from "./accept-evidence.ts";
import { resolveAppDeps, type AppDeps, type ResolvedAppDeps } from "./app-deps.ts";
import { openApiDocument } from "./openapi-document.ts";
import { parseEvidenceForm } from "./parse-evidence-form.ts";
import { expireIfOverdue, ownedSession, requireState } from "./session-guards.ts";

interface AppEnv {
  Variables: {
    keyId: string;
    // Unset until a handler knows them.
    sessionId: string | undefined;
    retryAfterSeconds: number | undefined;
    errorCode: string | undefined;
  };
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

/** A path parameter of a route that declares it (hono's typing is lost past shared middleware). */
function param(c: Context<AppEnv>, name: string): string {
  const value = c.req.param(name);
  if (value === undefined) throw new LumenError("NOT_FOUND", "No such route");
  return value;
}

function bearer(c: Context<AppEnv>): string {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer ([\x21-\x7e]{1,8192})$/.exec(header);
  if (match?.[1] === undefined) {
    throw new LumenError("UNAUTHORIZED", "An `Authorization: Bearer` credential is required");
  }
  return match[1];
}

function retryLater(
  c: Context<AppEnv>,
  code: "RATE_LIMITED" | "BUSY",
  message: string,
  seconds: number,
): never {
  c.set("retryAfterSeconds", seconds);
  throw new LumenError(code, message);
}

async function readJson<S extends z.ZodType>(
  c: Context<AppEnv>,
  schema: S,
  options: { allowEmpty: boolean },
): Promise<z.output<S>> {
  const text = await c.req.text();
  if (text.trim() === "" && options.allowEmpty) return parse(schema, {});
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new LumenError("REQUEST_INVALID", "The body must be application/json");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new LumenError("REQUEST_INVALID", "The body is not valid JSON");
  }
  return parse(schema, value);
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    // Paths and zod's messages only: never echo the submitted values.
    const detail = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
      .join("; ");
    throw new LumenError("REQUEST_INVALID", `The body is invalid: ${detail}`);
  }
  return result.data;
}

function tooLarge(): never {
  throw new LumenError("PAYLOAD_TOO_LARGE", "The request body is too large");
}

/**
 * The Lumen verification server as a web-standard app (`Request` → `Response`): bind it with
 * `@hono/node-server` (see `main.ts`) or test it with `app.request()` and no port.
 *
 * @throws {TypeError} When an option is invalid.
 * @example
 * ```ts
 * const app = createApp({ store, keys, apiKeys, verifier, issuer: "https://kyc.example.com" });
 * const res = await app.request("/healthz");
 * ```
 */
export function createApp(options: AppDeps): Hono<AppEnv> {
  const deps: ResolvedAppDeps = resolveAppDeps(options);
  const { store, clock, limiters } = deps;
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const startedAt = performance.now();
    await next();
    deps.log({
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      durationMs: Math.round(performance.now() - startedAt),
      sessionId: c.get("sessionId") ?? null,
      code: c.get("errorCode") ?? null,
    });
  });

  // A refusal issued before the request body was read (unknown session, wrong state, bad key,
  // rate limit, size) announces that it closes the connection. Left open, the Node adapter would
  // drain the unread body for 500 ms and then drop the socket without a word, failing whatever
  // the client sends next on it; reading the body instead would make every refusal pay for an
  // upload of up to `maxEvidenceBytes` that it never looks at.
  app.use(async (c, next) => {
    await next();
    const announced = c.req.header("transfer-encoding") ?? c.req.header("content-length") ?? "0";
    if (announced !== "0" && !c.req.raw.bodyUsed) c.header("Connection", "close");
  });

  app.onError((err, c) => {
    const error =
      err instanceof LumenError
        ? err
        : new LumenError("INTERNAL", ERROR_CODES.INTERNAL.message, { cause: err });
    const { status, message } = ERROR_CODES[error.code];
    c.set("errorCode", error.code);
    // Server-side failures keep their details in the logs' cause chain, never in the answer.
    const body = { error: { code: error.code, message: status >= 500 ? message : error.message } };
    const retryAfter = c.get("retryAfterSeconds");
    if (retryAfter !== undefined) c.header("Retry-After", String(retryAfter));
    return c.json(body, status);
  });

  app.notFound(() => {
    throw new LumenError("NOT_FOUND", "No such route");
  });

  app.use("/v1/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });

  if (deps.allowedOrigins.length > 0) {
    const sdkCors = cors({
      origin: [...deps.allowedOrigins],
      allowMethods: ["POST", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type"],
      maxAge: 600,
    });
    app.use("/v1/sessions/:id/start", sdkCors);
    app.use("/v1/sessions/:id/evidence", sdkCors);
  }

  const jsonLimit = bodyLimit({ maxSize: PROTOCOL_LIMITS.maxJsonBytes, onError: tooLarge });
  const apiKey = async (c: Context<AppEnv>, next: () => Promise<void>): Promise<void> => {
    const keyId = deps.apiKeys.authenticate(bearer(c));
    if (keyId === null) throw new LumenError("UNAUTHORIZED", "Unknown API key");
    c.set("keyId", keyId);
    await next();
  };
  const perSession = (route: string) => async (c: Context<AppEnv>, next: () => Promise<void>) => {
    const id = c.req.param("id") ?? "";
    c.set("sessionId", id);
    const key = `${route}\u0000${id}`;
    const nowMs = clock();
    if (!limiters.attemptsPerSession.tryAcquire(key, nowMs)) {
      retryLater(
        c,
        "RATE_LIMITED",
        "Too many attempts on this session",
        limiters.attemptsPerSession.retryAfterSeconds(key, nowMs),
      );
    }
    await next();
  };

  /**
   * Rethrows a route's failure after recording it: `BUSY` with its Retry-After, any other
   * Lumen error as `event` in the session's audit log (its code only).
   */
  const refused: (c: Context<AppEnv>, err: unknown, keyId: string, event: string) => never = (
    c,
    err,
    keyId,
    event,
  ) => {
    if (err instanceof LumenError && err.code === "BUSY") {
      retryLater(c, "BUSY", err.message, deps.busyRetryAfterSeconds);
    }
    if (err instanceof LumenError) {
      const sessionId = c.get("sessionId") ?? "";
      store.audit({ at: clock(), sessionId, keyId, event, detail: err.code });
    }
    throw err;
  };

  app.get("/healthz", (c) => c.json({ status: "ok" }));

  app.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(deps.keys.jwks(clock()));
  });

  const openApi = openApiDocument(deps.issuer);
  app.get("/openapi.json", (c) => c.json(openApi));

  app.post("/v1/sessions", apiKey, jsonLimit, async (c) => {
    const keyId = c.get("keyId");
    const nowMs = clock();
    if (!limiters.sessionsPerKey.tryAcquire(keyId, nowMs)) {
      retryLater(
        c,
        "RATE_LIMITED",
        "Too many sessions for this API key",
        limiters.sessionsPerKey.retryAfterSeconds(keyId, nowMs),
      );
    }
    const body = await readJson(c, CreateSessionRequest, { allowEmpty: true });
    const reference = body.reference ?? null;
    if (reference !== null) {
      const refKey = referenceKey(keyId, reference);
      if (limiters.failuresPerReference.isLimited(refKey, nowMs)) {
        retryLater(
          c,
          "RATE_LIMITED",
          "Too many failed attempts for this reference",
          limiters.failuresPerReference.retryAfterSeconds(refKey, nowMs),
        );
      }
    }
    const id = `ses_${base64url(deps.random(16))}`;
    const expiresAt = nowMs + deps.sessionTtlMs;
    store.create({
      id,
      keyId,
      reference,
      policy: body.policy ?? "standard",
      createdAt: nowMs,
      expiresAt,
    });
    store.audit({ at: nowMs, sessionId: id, keyId, event: "created", detail: null });
    c.set("sessionId", id);
    const clientToken = await issueClientToken(id, expiresAt, {
      keys: deps.keys,
      issuer: deps.issuer,
      nowMs,
    });
    const response: CreateSessionResponse = { sessionId: id, clientToken, expiresAt };
    return c.json(response, 201);
  });

  app.post("/v1/sessions/:id/start", perSession("start"), jsonLimit, async (c) => {
    const id = param(c, "id");
    const nowMs = clock();
    const boundTo = await verifyClientToken(bearer(c), {
      keys: deps.keys,
      issuer: deps.issuer,
      nowMs,
    });
    if (boundTo !== id)
      throw new LumenError("FORBIDDEN", "The client token is for another session");
    const body = await readJson(c, StartSessionRequest, { allowEmpty: false });
    const session = store.get(id);
    if (session === null) throw new LumenError("SESSION_NOT_FOUND", "No such session");
    requireState(store, session, ["created"], nowMs);
    const challenge = drawChallenge(session.policy, deps.random);
    const nonce = base64url(deps.random(16));
    const limits = {
      minFrames: challenge.flashes.length + challenge.poses.length + 1,
      maxFrames: PROTOCOL_LIMITS.maxFrames,
      maxFrameBytes: PROTOCOL_LIMITS.maxFrameBytes,
      maxFramePixels: PROTOCOL_LIMITS.maxFramePixels,
    };
    const deadline = nowMs + challengeDurationMs(challenge) + deps.evidenceGraceMs;
    const started = store.markStarted(id, {
      startedAt: nowMs,
      deadline,
      nonce,
      challenge,
      limits,
      devicePublicKey: body.devicePublicKey,
      capture: body.capture,
    });
    if (!started) throw new LumenError("SESSION_STATE_CONFLICT", "The session was already started");
    store.audit({ at: nowMs, sessionId: id, keyId: session.keyId, event: "started", detail: null });
    const response: StartSessionResponse = { nonce, challenge, evidence: limits, deadline };
    return c.json(response);
  });

  app.post(
    "/v1/sessions/:id/evidence",
    perSession("evidence"),
    bodyLimit({ maxSize: PROTOCOL_LIMITS.maxEvidenceBytes, onError: tooLarge }),
    async (c) => {
      const id = param(c, "id");
      const session = store.get(id);
      if (session === null) throw new LumenError("SESSION_NOT_FOUND", "No such session");
      requireState(store, session, ["started"], clock());
      if (session.start === null)
        throw new LumenError("INTERNAL", "A started session has no start");
      if (!/^multipart\/form-data\s*;/i.test(c.req.header("content-type") ?? "")) {
        throw new LumenError("REQUEST_INVALID", "The body must be multipart/form-data");
      }
      let formData: FormData;
      try {
        formData = await c.req.formData();
      } catch (cause) {
        throw new LumenError("REQUEST_INVALID", "The multipart body is malformed", { cause });
      }
      try {
        const form = await parseEvidenceForm(formData, session.start.limits);
        return c.json(await acceptEvidence(deps, session, form));
      } catch (err) {
        refused(c, err, session.keyId, "evidence_refused");
      }
    },
  );

  app.put(
    "/v1/sessions/:id/reference-image",
    apiKey,
    perSession("reference"),
    bodyLimit({ maxSize: PROTOCOL_LIMITS.maxReferenceBytes, onError: tooLarge }),
    async (c) => {
      const id = param(c, "id");
      const keyId = c.get("keyId");
      const kind = ReferenceKind.safeParse(c.req.query("kind"));
      if (!kind.success) {
        throw new LumenError("REQUEST_INVALID", "`kind` must be `portrait` or `document`");
      }
      const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
      const mediaType = REFERENCE_MEDIA_TYPES.find((allowed) => allowed === type);
      if (mediaType === undefined) {
        throw new LumenError("REQUEST_INVALID", "The body must be image/jpeg or image/png");
      }
      const session = ownedSession(store, id, keyId);
      requireState(store, session, ["created", "started"], clock());
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.length === 0) throw new LumenError("REQUEST_INVALID", "The body is empty");
      let embedding: Float32Array;
      try {
        const image = await decodeReferenceImage(bytes, {
          format: mediaType === "image/png" ? "png" : "jpeg",
        });
        embedding = await deps.verifier.embedReference(image, kind.data);
      } catch (err) {
        refused(c, err, keyId, "reference_refused");
      }
      const attachedAt = clock();
      if (!store.attachReference(id, { kind: kind.data, embedding, attachedAt })) {
        throw new LumenError(
          "SESSION_STATE_CONFLICT",
          "Evidence for this session was already received; a reference image must come first",
        );
      }
      store.audit({
        at: attachedAt,
        sessionId: id,
        keyId,
        event: "reference_attached",
        detail: kind.data,
      });
      const response: AttachReferenceResponse = {
        sessionId: id,
        referenceImage: { kind: kind.data, attachedAt },
      };
      return c.json(response);
    },
  );

  app.get("/v1/sessions/:id", apiKey, (c) => {
    const id = param(c, "id");
    c.set("sessionId", id);
    let session = ownedSession(store, id, c.get("keyId"));
    if (expireIfOverdue(store, session, clock())) session = ownedSession(store, id, c.get("keyId"));
    const outcome = session.outcome;
    const response: SessionResult = {
      sessionId: session.id,
      reference: session.reference,
      status: session.status,
      decision: outcome?.decision ?? null,
      reasons: [...(outcome?.reasons ?? [])],
      scores: outcome?.scores ? { ...outcome.scores } : null,
      verdict: outcome?.verdict ?? null,
      referenceImage: session.referenceImage,
      match: outcome?.match ?? null,
      auditFrames: [...(outcome?.auditFrames ?? [])],
      analysis: outcome?.analysis ?? null,
    };
    return c.json(response);
  });

  app.get("/v1/sessions/:id/frames/:n", apiKey, (c) => {
    const id = param(c, "id");
    c.set("sessionId", id);
    const session = ownedSession(store, id, c.get("keyId"));
    const n = Number(param(c, "n"));
    const frame =
      /^(0|[1-9][0-9]?)$/.test(param(c, "n")) && session.outcome?.auditFrames.includes(n)
        ? store.frames.get(id, n)
        : null;
    if (frame === null) throw new LumenError("FRAME_NOT_FOUND", "No such audit frame");
    return c.body(new Uint8Array(frame), 200, { "Content-Type": "image/jpeg" });
  });

  app.delete("/v1/sessions/:id", apiKey, (c) => {
    const id = param(c, "id");
    c.set("sessionId", id);
    const session = ownedSession(store, id, c.get("keyId"));
    const nowMs = clock();
    if (store.delete(id, nowMs)) {
      store.audit({
        at: nowMs,
        sessionId: id,
        keyId: session.keyId,
        event: "deleted",
        detail: null,
      });
    }
    const response: DeleteSessionResponse = { sessionId: id, status: "deleted" };
    return c.json(response);
  });

  return app;
}
