import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SessionResult } from "@lumen/protocol";
import { createKeyStore } from "../src/keys/create-key-store.ts";
import { verifyVerdict } from "../src/verdict/verify-verdict.ts";
import {
  BANK_KEY,
  createHarness,
  DAY_MS,
  errorCode,
  evidenceForm,
  ISSUER,
} from "./support/app-harness.ts";

describe("signing keys", () => {
  it("keeps verifying a verdict signed before a rotation, until the old key retires", async () => {
    const h = await createHarness();
    const session = await h.startSession();
    const { frames, token } = await h.goodEvidence(session);
    await h.upload(session.sessionId, evidenceForm(token, frames));
    const result = SessionResult.parse(await (await h.getSession(session.sessionId)).json());
    const oldKid = h.keys.signingKey().kid;

    await h.keys.rotate(h.clock.now());
    expect(h.keys.signingKey().kid).not.toBe(oldKid);
    const jwks = (await (await h.app.request("/.well-known/jwks.json")).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toContain(oldKid);
    const claims = await verifyVerdict(result.verdict ?? "", {
      jwks,
      issuer: ISSUER,
      audience: "bank",
      currentDate: new Date(h.clock.now()),
    });
    expect(claims.decision).toBe("pass");

    // New sessions are signed by the new key and still work end to end.
    const next = await h.startSession();
    expect(next.start.nonce).toBeTruthy();

    h.clock.advance(30 * DAY_MS + 1);
    const later = h.keys.jwks(h.clock.now());
    expect(later.keys.map((k) => k.kid)).not.toContain(oldKid);
    expect(later.keys).toHaveLength(1);
  });

  it("persists keys in the data folder (mode 0600) and reloads them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lumen-keys-"));
    try {
      const file = join(dir, "signing-keys.json");
      const first = await createKeyStore({ file, nowMs: 0, retiredKeyLifetimeMs: DAY_MS });
      await first.rotate(1000);
      const second = await createKeyStore({ file, nowMs: 2000, retiredKeyLifetimeMs: DAY_MS });
      expect(second.signingKey().kid).toBe(first.signingKey().kid);
      expect(second.jwks(3000).keys).toHaveLength(2);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readFile(file, "utf8")).toContain('"d"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("retention", () => {
  it("purges audit frames after their retention, then the verdict and audit log", async () => {
    const h = await createHarness();
    const session = await h.startSession();
    const { frames, token } = await h.goodEvidence(session);
    await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(h.store.frames.get(session.sessionId, 0)).not.toBeNull();

    h.clock.advance(DAY_MS + 1);
    expect(h.store.purgeExpired(h.clock.now())).toMatchObject({ frames: 2, sessions: 0 });
    expect(h.store.frames.get(session.sessionId, 0)).toBeNull();
    const frame = await h.app.request(`/v1/sessions/${session.sessionId}/frames/0`, {
      headers: { authorization: `Bearer ${BANK_KEY}` },
    });
    expect(await errorCode(frame)).toBe("FRAME_NOT_FOUND");
    expect((await h.getSession(session.sessionId)).status).toBe(200);

    h.clock.advance(30 * DAY_MS);
    expect(h.store.purgeExpired(h.clock.now())).toMatchObject({ sessions: 1 });
    expect((await h.getSession(session.sessionId)).status).toBe(404);
    expect(h.store.auditLog(session.sessionId)).toEqual([]);
  });

  it("expires abandoned sessions on purge", async () => {
    const h = await createHarness();
    const created = await h.createSession();
    const started = await h.startSession();
    h.clock.advance(181_000);
    expect(h.store.purgeExpired(h.clock.now()).expired).toBe(2);
    expect(h.store.get(created.sessionId)?.status).toBe("expired");
    expect(h.store.get(started.sessionId)?.status).toBe("expired");
  });
});

describe("rate limits", () => {
  it("refuses new sessions for a reference after 5 failures in 3 minutes", async () => {
    const h = await createHarness();
    h.state.verdict = {
      decision: "fail",
      reasons: ["SPOOF_SUSPECTED"],
      scores: {},
      auditFrames: [],
    };
    for (let i = 0; i < 5; i++) {
      const session = await h.startSession({ reference: "victim" });
      const { frames, token } = await h.goodEvidence(session);
      await h.upload(session.sessionId, evidenceForm(token, frames));
    }
    const create = (reference: string) =>
      h.app.request("/v1/sessions", {
        method: "POST",
        headers: { authorization: `Bearer ${BANK_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ reference }),
      });
    const limited = await create("victim");
    expect(limited.status).toBe(429);
    expect(await errorCode(limited)).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await create("someone-else")).status).toBe(201);
    h.clock.advance(181_000);
    expect((await create("victim")).status).toBe(201);
  });

  it("tells the browser no retry once the reference is out of attempts", async () => {
    const h = await createHarness({ rateLimits: { failuresPerReference: 1 } });
    h.state.verdict = { decision: "fail", reasons: ["NO_FACE"], scores: {}, auditFrames: [] };
    const session = await h.startSession({ reference: "u" });
    const { frames, token } = await h.goodEvidence(session);
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(await res.json()).toEqual({ status: "fail", retryAllowed: false });
  });

  it("limits session creation per API key and attempts per session", async () => {
    const h = await createHarness({
      rateLimits: { sessionsPerKeyPerMinute: 2, attemptsPerSession: 2 },
    });
    const session = await h.startSession();
    await h.createSession();
    const third = await h.app.request("/v1/sessions", {
      method: "POST",
      headers: { authorization: `Bearer ${BANK_KEY}` },
    });
    expect(third.status).toBe(429);
    for (let i = 0; i < 2; i++) {
      const res = await h.upload(session.sessionId, evidenceForm("a.b.c", []));
      expect(res.status).toBe(401);
    }
    const blocked = await h.upload(session.sessionId, evidenceForm("a.b.c", []));
    expect(blocked.status).toBe(429);
    expect(h.store.get(session.sessionId)?.status).toBe("started");
  });
});

describe("SlidingWindowLimiter", () => {
  it("counts within the window and forgets stale keys", async () => {
    const { SlidingWindowLimiter } = await import("../src/rate-limit/sliding-window-limiter.ts");
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1000 });
    expect(limiter.tryAcquire("a", 0)).toBe(true);
    expect(limiter.tryAcquire("a", 500)).toBe(true);
    expect(limiter.tryAcquire("a", 900)).toBe(false);
    expect(limiter.retryAfterSeconds("a", 900)).toBe(1);
    expect(limiter.tryAcquire("a", 1001)).toBe(true);
    expect(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1 })).toThrow(TypeError);
  });
});
