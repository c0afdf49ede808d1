import Database from "better-sqlite3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  PROTOCOL_LIMITS,
  SessionResult,
  VerdictClaims,
  type SessionAnalysis,
} from "@lumen/protocol";
import {
  BANK_KEY,
  createHarness,
  DAY_MS,
  evidenceForm,
  fakeAnalysis,
  type Harness,
  type StartedSession,
} from "./support/app-harness.ts";

async function read(h: Harness, id: string): Promise<SessionResult> {
  const res = await h.getSession(id);
  expect(res.status).toBe(200);
  return SessionResult.parse(await res.json());
}

async function complete(h: Harness, session: StartedSession): Promise<void> {
  const { frames, token } = await h.goodEvidence(session);
  const res = await h.upload(session.sessionId, evidenceForm(token, frames));
  expect(res.status).toBe(200);
}

describe("GET /v1/sessions/:id analysis", () => {
  it("is null until completion, the verifier's own after, and gone after delete", async () => {
    const h = await createHarness();
    const { sessionId } = await h.createSession();
    expect((await read(h, sessionId)).analysis).toBeNull();
    const session = await h.startSession();
    expect((await read(h, session.sessionId)).analysis).toBeNull();

    await complete(h, session);
    const input = h.verify.mock.calls[0]?.[0];
    if (!input) throw new Error("the verifier was not called");
    const result = await read(h, session.sessionId);
    expect(result.status).toBe("completed");
    expect(result.analysis).toEqual(fakeAnalysis(input));
    expect(result.analysis?.frames).toHaveLength(session.start.evidence.minFrames);
    expect(result.analysis?.illumination?.steps[0]).toMatchObject({ response: null });

    // The verdict JWT carries no per-frame data: its claims are exactly the strict schema's.
    const claims = decodeJwt(result.verdict ?? "");
    expect(VerdictClaims.parse(claims)).toEqual(claims);
    expect(JSON.stringify(claims)).not.toContain("capturedAt");

    await h.app.request(`/v1/sessions/${session.sessionId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${BANK_KEY}` },
    });
    const tombstone = await read(h, session.sessionId);
    expect(tombstone).toMatchObject({ status: "deleted", analysis: null, scores: null });
    expect(h.store.get(session.sessionId)?.outcome).toBeNull();
  });

  it("is null when the re-check failed, and for a session that expired", async () => {
    const h = await createHarness();
    h.state.error = new Error("inference crashed");
    const failed = await h.startSession();
    await complete(h, failed);
    expect(await read(h, failed.sessionId)).toMatchObject({
      status: "completed",
      reasons: ["VERIFICATION_ERROR"],
      analysis: null,
    });

    const abandoned = await h.startSession();
    h.clock.advance(abandoned.start.deadline - h.clock.now() + 1);
    expect(await read(h, abandoned.sessionId)).toMatchObject({
      status: "expired",
      analysis: null,
    });
  });

  it("drops an analysis that does not fit the schema or the upload, and keeps the verdict", async () => {
    const h = await createHarness();
    const breakages: ((analysis: SessionAnalysis) => unknown)[] = [
      // One frame short of the upload.
      (analysis) => ({ ...analysis, frames: analysis.frames.slice(1) }),
      // A key the strict schema does not know.
      (analysis) => ({ ...analysis, thresholds: { ...analysis.thresholds, extra: 1 } }),
      // A realness outside 0..1.
      (analysis) => ({
        ...analysis,
        frames: analysis.frames.map((frame) => ({ ...frame, realness: 2 })),
      }),
    ];
    for (const breakage of breakages) {
      h.verify.mockImplementationOnce((input) =>
        Promise.resolve({
          ...h.state.verdict,
          analysis: breakage(fakeAnalysis(input)) as SessionAnalysis,
          match: null,
        }),
      );
      const session = await h.startSession();
      await complete(h, session);
      expect(await read(h, session.sessionId)).toMatchObject({
        status: "completed",
        decision: "pass",
        analysis: null,
      });
    }
  });
});

describe("analysis storage", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "lumen-analysis-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("survives a reopen of a file-backed store, and is purged with the verdict", async () => {
    const storePath = join(dir, "sessions.db");
    const first = await createHarness({}, { storePath });
    const session = await first.startSession();
    await complete(first, session);
    const before = await read(first, session.sessionId);
    expect(before.analysis).not.toBeNull();
    first.store.close();

    const second = await createHarness({}, { storePath });
    try {
      expect(await read(second, session.sessionId)).toEqual(before);
      second.clock.advance(30 * DAY_MS + 1);
      expect(second.store.purgeExpired(second.clock.now())).toMatchObject({ sessions: 1 });
      expect((await second.getSession(session.sessionId)).status).toBe(404);
    } finally {
      second.store.close();
    }
    const db = new Database(storePath, { readonly: true });
    try {
      expect(db.prepare("SELECT COUNT(*) AS n FROM sessions").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it("reads a verdict stored before `analysis` existed as having none", async () => {
    const storePath = join(dir, "sessions.db");
    const first = await createHarness({}, { storePath });
    const session = await first.startSession();
    await complete(first, session);
    first.store.close();
    const db = new Database(storePath);
    try {
      db.prepare("UPDATE sessions SET outcome = json_remove(outcome, '$.analysis')").run();
    } finally {
      db.close();
    }

    const second = await createHarness({}, { storePath });
    try {
      expect(second.store.get(session.sessionId)?.outcome?.analysis).toBeNull();
      expect(await read(second, session.sessionId)).toMatchObject({
        status: "completed",
        decision: "pass",
        analysis: null,
      });
    } finally {
      second.store.close();
    }
  });
});

describe("GET /v1/sessions/:id on an overdue session", () => {
  it("reports a created session past its expiresAt as expired, with no other request", async () => {
    const h = await createHarness();
    const { sessionId, expiresAt } = await h.createSession();
    h.clock.advance(expiresAt - h.clock.now());
    expect((await read(h, sessionId)).status).toBe("created");
    h.clock.advance(1);
    expect(await read(h, sessionId)).toEqual({
      sessionId,
      reference: null,
      referenceImage: null,
      match: null,
      status: "expired",
      decision: "fail",
      reasons: ["EXPIRED"],
      scores: null,
      verdict: null,
      auditFrames: [],
      analysis: null,
    });
    expect(h.store.auditLog(sessionId).map((entry) => entry.event)).toEqual(["created", "expired"]);
  });

  it("reports a started session past its deadline as expired, but not one being verified", async () => {
    const h = await createHarness();
    const session = await h.startSession();
    h.clock.advance(session.start.deadline - h.clock.now());
    expect((await read(h, session.sessionId)).status).toBe("started");
    h.clock.advance(1);
    expect(await read(h, session.sessionId)).toMatchObject({
      status: "expired",
      reasons: ["EXPIRED"],
      analysis: null,
    });

    // Evidence received in time is never expired under the verifier's feet.
    const verifying = await h.startSession();
    expect(h.store.claimEvidence(verifying.sessionId, h.clock.now())).toBe(true);
    h.clock.advance(verifying.start.deadline - h.clock.now() + 1);
    expect((await read(h, verifying.sessionId)).status).toBe("started");
  });
});

describe("the OpenAPI document", () => {
  it("describes SessionResult.analysis from the schema, bounded by the protocol limits", async () => {
    const h = await createHarness();
    const doc = (await (await h.app.request("/openapi.json")).json()) as {
      components: { schemas: { SessionResult: { properties: Record<string, unknown> } } };
    };
    const analysis = doc.components.schemas.SessionResult.properties.analysis as {
      anyOf: { type: string; properties?: Record<string, { maxItems?: number }> }[];
    };
    const object = analysis.anyOf.find((option) => option.type === "object");
    expect(analysis.anyOf.some((option) => option.type === "null")).toBe(true);
    expect(object?.properties?.frames?.maxItems).toBe(PROTOCOL_LIMITS.maxFrames);
    expect(object?.properties?.illumination).toBeDefined();
    expect(object?.properties?.poses?.maxItems).toBe(6);
  });
});
