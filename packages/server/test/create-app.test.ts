import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import {
  CreateSessionResponse,
  EvidenceResponse,
  SessionResult,
  StartSessionResponse,
  VERDICT_TOKEN_TYPE,
} from "@lumen/protocol";
import { verifyVerdict } from "../src/verdict/verify-verdict.ts";
import {
  BANK_KEY,
  createHarness,
  errorCode,
  evidenceForm,
  ISSUER,
  OTHER_KEY,
} from "./support/app-harness.ts";

describe("createApp: the genuine path", () => {
  it("creates, starts, accepts evidence, signs a verdict the relying party verifies", async () => {
    const h = await createHarness();
    const created = await h.createSession({ reference: "user-42", policy: "standard" });
    expect(CreateSessionResponse.parse(created).expiresAt).toBe(h.clock.now() + 180_000);

    const session = await h.startSession({ reference: "user-42" });
    const start = StartSessionResponse.parse(session.start);
    expect(start.challenge.flashes.length).toBeGreaterThanOrEqual(3);
    expect(start.challenge.poses).toHaveLength(2);
    expect(Buffer.from(start.nonce, "base64url")).toHaveLength(16);

    h.clock.advance(5_000);
    const { frames, token } = await h.goodEvidence(session);
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(res.status).toBe(200);
    expect(EvidenceResponse.parse(await res.json())).toEqual({
      status: "pass",
      retryAllowed: false,
    });

    const input = h.verify.mock.calls[0]?.[0];
    expect(input?.frames).toHaveLength(frames.length);
    expect(input?.challenge).toEqual(start.challenge);

    const result = SessionResult.parse(await (await h.getSession(session.sessionId)).json());
    expect(result).toMatchObject({
      status: "completed",
      decision: "pass",
      reference: "user-42",
      scores: { liveness: 0.93 },
      auditFrames: [0, 2],
    });
    const verdictToken = result.verdict ?? "";
    expect(decodeProtectedHeader(verdictToken).typ).toBe(VERDICT_TOKEN_TYPE);

    const jwks = (await (await h.app.request("/.well-known/jwks.json")).json()) as {
      keys: { kid: string; d?: string }[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]?.d).toBeUndefined();
    const claims = await verifyVerdict(verdictToken, {
      jwks,
      issuer: ISSUER,
      audience: "bank",
      currentDate: new Date(h.clock.now()),
    });
    expect(claims).toMatchObject({
      sub: session.sessionId,
      aud: "bank",
      reference: "user-42",
      decision: "pass",
      reasons: [],
    });
    expect(Object.keys(claims.models)).toContain("minifasnet-v2-se");

    await expect(
      verifyVerdict(verdictToken, { jwks, issuer: ISSUER, audience: "other" }),
    ).rejects.toMatchObject({ code: "TOKEN_INVALID" });
    const stranger = await createHarness();
    const strangerJwks = stranger.keys.jwks(stranger.clock.now());
    await expect(
      verifyVerdict(verdictToken, { jwks: strangerJwks, issuer: ISSUER, audience: "bank" }),
    ).rejects.toMatchObject({ code: "TOKEN_INVALID" });

    const frame = await h.app.request(`/v1/sessions/${session.sessionId}/frames/2`, {
      headers: { authorization: `Bearer ${BANK_KEY}` },
    });
    expect(frame.status).toBe(200);
    expect(frame.headers.get("content-type")).toBe("image/jpeg");
    expect(new Uint8Array(await frame.arrayBuffer())).toEqual(frames[2]);
    const notAudit = await h.app.request(`/v1/sessions/${session.sessionId}/frames/1`, {
      headers: { authorization: `Bearer ${BANK_KEY}` },
    });
    expect(notAudit.status).toBe(404);
    expect(await errorCode(notAudit)).toBe("FRAME_NOT_FOUND");
  });

  it("never tells the browser scores, and logs no secrets", async () => {
    const h = await createHarness();
    const session = await h.startSession();
    const { frames, token } = await h.goodEvidence(session);
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    const text = await res.text();
    expect(text).not.toContain("0.93");
    const logged = JSON.stringify(h.logs);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(session.clientToken);
    expect(logged).not.toContain(BANK_KEY);
    expect(h.logs).toContainEqual(
      expect.objectContaining({
        method: "POST",
        route: "/v1/sessions/:id/evidence",
        status: 200,
        sessionId: session.sessionId,
      }),
    );
  });

  it("gives a retry for a quality-only fail, a final fail otherwise, and fails closed on errors", async () => {
    const h = await createHarness();
    h.state.verdict = { decision: "fail", reasons: ["LOW_QUALITY"], scores: {}, auditFrames: [] };
    let session = await h.startSession();
    let evidence = await h.goodEvidence(session);
    let res = await h.upload(session.sessionId, evidenceForm(evidence.token, evidence.frames));
    expect(await res.json()).toEqual({ status: "retry", retryAllowed: true });

    h.state.verdict = {
      decision: "fail",
      reasons: ["LOW_QUALITY", "SPOOF_SUSPECTED"],
      scores: {},
      auditFrames: [],
    };
    session = await h.startSession();
    evidence = await h.goodEvidence(session);
    res = await h.upload(session.sessionId, evidenceForm(evidence.token, evidence.frames));
    expect(await res.json()).toEqual({ status: "fail", retryAllowed: false });

    h.state.verdict = {
      decision: "review",
      reasons: ["CLIENT_TAMPERED"],
      scores: {},
      auditFrames: [],
    };
    session = await h.startSession();
    evidence = await h.goodEvidence(session);
    res = await h.upload(session.sessionId, evidenceForm(evidence.token, evidence.frames));
    expect(await res.json()).toEqual({ status: "fail", retryAllowed: false });

    h.state.error = new Error("onnx exploded at /secret/path");
    session = await h.startSession();
    evidence = await h.goodEvidence(session);
    res = await h.upload(session.sessionId, evidenceForm(evidence.token, evidence.frames));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "retry", retryAllowed: true });
    const stored = SessionResult.parse(await (await h.getSession(session.sessionId)).json());
    expect(stored).toMatchObject({
      status: "completed",
      decision: "fail",
      reasons: ["VERIFICATION_ERROR"],
    });
  });

  it("fails closed when the verifier times out", async () => {
    const h = await createHarness({ verifierTimeoutMs: 20 });
    h.verify.mockImplementation(() => new Promise(() => undefined));
    const session = await h.startSession();
    const { frames, token } = await h.goodEvidence(session);
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(await res.json()).toEqual({ status: "retry", retryAllowed: true });
    expect(h.store.get(session.sessionId)?.outcome?.reasons).toEqual(["VERIFICATION_ERROR"]);
  });

  it("answers 503 BUSY with Retry-After and keeps the session for the same upload", async () => {
    const h = await createHarness();
    const { LumenError } = await import("@lumen/protocol");
    h.state.error = new LumenError("BUSY", "pool saturated");
    const session = await h.startSession();
    const { frames, token } = await h.goodEvidence(session);
    const busy = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("5");
    expect(await errorCode(busy)).toBe("BUSY");
    expect(h.store.get(session.sessionId)).toMatchObject({ status: "started", evidenceAt: null });

    h.state.error = null;
    const retried = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(await retried.json()).toEqual({ status: "pass", retryAllowed: false });
  });

  it("draws no illumination for no-flash, a longer sequence and three poses for high", async () => {
    const h = await createHarness();
    const noFlash = await h.startSession({ policy: "no-flash" });
    expect(noFlash.start.challenge.flashes).toEqual([]);
    const standard = await h.startSession();
    const high = await h.startSession({ policy: "high" });
    expect(high.start.challenge.poses).toHaveLength(3);
    expect(high.start.challenge.flashes.length).toBeGreaterThan(
      standard.start.challenge.flashes.length,
    );
    // The evidence the SDK may send covers every step and prompt.
    expect(high.start.evidence.minFrames).toBe(
      high.start.challenge.flashes.length + high.start.challenge.poses.length + 1,
    );
  });

  it("deletes frames and personal data but keeps a tombstone", async () => {
    const h = await createHarness();
    const session = await h.startSession({ reference: "user-7" });
    const { frames, token } = await h.goodEvidence(session);
    await h.upload(session.sessionId, evidenceForm(token, frames));
    const del = await h.app.request(`/v1/sessions/${session.sessionId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${BANK_KEY}` },
    });
    expect(await del.json()).toEqual({ sessionId: session.sessionId, status: "deleted" });
    const result = SessionResult.parse(await (await h.getSession(session.sessionId)).json());
    expect(result).toEqual({
      sessionId: session.sessionId,
      reference: null,
      referenceImage: null,
      match: null,
      status: "deleted",
      decision: null,
      reasons: [],
      scores: null,
      verdict: null,
      auditFrames: [],
      analysis: null,
    });
    expect(h.store.frames.get(session.sessionId, 0)).toBeNull();
    expect(h.store.auditLog(session.sessionId).map((e) => e.event)).toEqual([
      "created",
      "started",
      "completed",
      "deleted",
    ]);
    const otherKey = await h.app.request(`/v1/sessions/${session.sessionId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${OTHER_KEY}` },
    });
    expect(otherKey.status).toBe(404);
  });

  it("serves health, an OpenAPI document from the schemas, and CORS only on SDK routes", async () => {
    const h = await createHarness({ allowedOrigins: ["https://bank.example"] });
    expect(await (await h.app.request("/healthz")).json()).toEqual({ status: "ok" });
    const doc = (await (await h.app.request("/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { additionalProperties?: boolean }> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/v1/sessions/{id}/evidence");
    expect(doc.components.schemas.CreateSessionRequest?.additionalProperties).toBe(false);

    const preflight = await h.app.request("/v1/sessions/ses_x/start", {
      method: "OPTIONS",
      headers: { origin: "https://bank.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("https://bank.example");
    const evil = await h.app.request("/v1/sessions/ses_x/start", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const rp = await h.app.request("/v1/sessions", {
      method: "OPTIONS",
      headers: { origin: "https://bank.example", "access-control-request-method": "POST" },
    });
    expect(rp.headers.get("access-control-allow-origin")).toBeNull();

    const unknown = await h.app.request("/nope");
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe("NOT_FOUND");
  });
});
