import { describe, expect, it } from "vitest";
import { BANK_KEY, createHarness, errorCode, newDevice, OTHER_KEY } from "./support/app-harness.ts";

describe("create / start / read: refusals are typed and change nothing", () => {
  it("refuses a missing or bad API key", async () => {
    const h = await createHarness();
    const none = await h.app.request("/v1/sessions", { method: "POST" });
    expect(none.status).toBe(401);
    expect(await errorCode(none)).toBe("UNAUTHORIZED");
    const bad = await h.app.request("/v1/sessions", {
      method: "POST",
      headers: { authorization: `Bearer ${BANK_KEY}x` },
    });
    expect(bad.status).toBe(401);
    expect(await errorCode(bad)).toBe("UNAUTHORIZED");
    const { sessionId } = await h.createSession();
    const read = await h.getSession(sessionId, "nope-nope-nope-nope-nope");
    expect(read.status).toBe(401);
  });

  it("hides another key's session (404)", async () => {
    const h = await createHarness();
    const session = await h.startSession();
    const res = await h.getSession(session.sessionId, OTHER_KEY);
    expect(res.status).toBe(404);
    expect(await errorCode(res)).toBe("SESSION_NOT_FOUND");
    const frame = await h.app.request(`/v1/sessions/${session.sessionId}/frames/0`, {
      headers: { authorization: `Bearer ${OTHER_KEY}` },
    });
    expect(frame.status).toBe(404);
    expect(h.store.get(session.sessionId)?.status).toBe("started");
  });

  it("refuses a client token used on another session (403)", async () => {
    const h = await createHarness();
    const a = await h.createSession();
    const b = await h.createSession();
    const device = await newDevice();
    const res = await h.startRequest(b.sessionId, a.clientToken, h.startBody(device));
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("FORBIDDEN");
    expect(h.store.get(a.sessionId)?.status).toBe("created");
    expect(h.store.get(b.sessionId)?.status).toBe("created");
    const ok = await h.startRequest(b.sessionId, b.clientToken, h.startBody(device));
    expect(ok.status).toBe(200);
  });

  it("refuses a forged or missing client token and an API key in its place", async () => {
    const h = await createHarness();
    const { sessionId, clientToken } = await h.createSession();
    const device = await newDevice();
    const [head, payload] = clientToken.split(".");
    for (const token of [`${head ?? ""}.${payload ?? ""}.AAAA`, BANK_KEY]) {
      const res = await h.startRequest(sessionId, token, h.startBody(device));
      expect(res.status).toBe(401);
      expect(await errorCode(res)).toBe("UNAUTHORIZED");
    }
    expect(h.store.get(sessionId)?.status).toBe("created");
  });

  it("refuses a second start (409) without changing the stored start", async () => {
    const h = await createHarness();
    const session = await h.startSession();
    const before = h.store.get(session.sessionId);
    const res = await h.startRequest(
      session.sessionId,
      session.clientToken,
      h.startBody(await newDevice()),
    );
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe("SESSION_STATE_CONFLICT");
    expect(h.store.get(session.sessionId)).toEqual(before);
  });

  it("refuses to start an expired session (410) and records the expiry", async () => {
    const h = await createHarness();
    const { sessionId, clientToken } = await h.createSession();
    // Within the token's 5 s clock tolerance: the session itself refuses.
    h.clock.advance(180_001);
    const res = await h.startRequest(sessionId, clientToken, h.startBody(await newDevice()));
    expect(res.status).toBe(410);
    expect(await errorCode(res)).toBe("SESSION_EXPIRED");
    expect(h.store.get(sessionId)).toMatchObject({
      status: "expired",
      start: null,
      outcome: { reasons: ["EXPIRED"] },
    });
    // Later still, the client token itself has expired.
    h.clock.advance(10_000);
    const later = await h.startRequest(sessionId, clientToken, h.startBody(await newDevice()));
    expect(await errorCode(later)).toBe("UNAUTHORIZED");
    const fresh = await h.createSession();
    h.clock.advance(200_000);
    const read = (await (await h.getSession(fresh.sessionId)).json()) as { status: string };
    expect(read.status).toBe("expired");
  });

  it("refuses malformed JSON and unknown keys (400)", async () => {
    const h = await createHarness();
    const post = (body: string) =>
      h.app.request("/v1/sessions", {
        method: "POST",
        headers: { authorization: `Bearer ${BANK_KEY}`, "content-type": "application/json" },
        body,
      });
    const malformed = await post("{not json");
    expect(malformed.status).toBe(400);
    expect(await errorCode(malformed)).toBe("REQUEST_INVALID");
    const unknown = await post(JSON.stringify({ reference: "u1", admin: true }));
    expect(unknown.status).toBe(400);
    const body = (await unknown.json()) as { error: { message: string } };
    expect(body.error.message).toContain("admin");
    const badPolicy = await post(JSON.stringify({ policy: "lenient" }));
    expect(await errorCode(badPolicy)).toBe("REQUEST_INVALID");

    const { sessionId, clientToken } = await h.createSession();
    const device = await newDevice();
    const startMalformed = await h.startRequest(sessionId, clientToken, "{");
    expect(await errorCode(startMalformed)).toBe("REQUEST_INVALID");
    const startUnknown = await h.startRequest(sessionId, clientToken, {
      ...h.startBody(device),
      isHuman: true,
    });
    expect(startUnknown.status).toBe(400);
    const privateKey = await h.startRequest(sessionId, clientToken, {
      ...h.startBody(device),
      devicePublicKey: { ...device.publicJwk, d: "secret" },
    });
    expect(await errorCode(privateKey)).toBe("REQUEST_INVALID");
    expect(h.store.get(sessionId)?.status).toBe("created");
    expect((await h.app.request("/healthz")).status).toBe(200);
  });

  it("refuses an oversized JSON body (413)", async () => {
    const h = await createHarness();
    const res = await h.app.request("/v1/sessions", {
      method: "POST",
      headers: { authorization: `Bearer ${BANK_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ reference: "x".repeat(20_000) }),
    });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers unknown errors with 500 and no internals", async () => {
    const h = await createHarness();
    h.store.get = () => {
      throw new Error("SQLITE_CORRUPT at /var/lib/lumen/db");
    };
    const res = await h.getSession("ses_aaaaaaaaaaaaaaaaaaaaaa");
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      error: { code: "INTERNAL", message: "Internal server error" },
    });
  });
});
