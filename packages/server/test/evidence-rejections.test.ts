import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { PROTOCOL_LIMITS, RESULT_TOKEN_TYPE } from "@lumen/protocol";
import {
  createHarness,
  errorCode,
  evidenceForm,
  newDevice,
  resultToken,
  sha256Hex,
  tinyJpeg,
  type Harness,
  type StartedSession,
} from "./support/app-harness.ts";

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** The refusal left the session as it was, the verifier never ran, and the server still answers. */
async function expectUntouched(h: Harness, session: StartedSession): Promise<void> {
  expect(h.store.get(session.sessionId)).toMatchObject({
    status: "started",
    evidenceAt: null,
    outcome: null,
  });
  expect(h.verify).not.toHaveBeenCalled();
  expect((await h.app.request("/healthz")).status).toBe(200);
}

async function setup() {
  const h = await createHarness();
  const session = await h.startSession();
  h.clock.advance(4_000);
  const evidence = await h.goodEvidence(session);
  return { h, session, ...evidence };
}

describe("evidence upload: every refusal is a typed 4xx that leaves the session intact", () => {
  it("refuses a forged signature (another device key)", async () => {
    const { h, session, frames } = await setup();
    const attacker = await newDevice();
    const token = await resultToken(session, frames, {
      nowMs: h.clock.now(),
      key: attacker.privateKey,
    });
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("TOKEN_INVALID");
    await expectUntouched(h, session);

    // The genuine upload still goes through afterwards.
    const good = await h.goodEvidence(session);
    const ok = await h.upload(session.sessionId, evidenceForm(good.token, good.frames));
    expect(await ok.json()).toEqual({ status: "pass", retryAllowed: false });
  });

  it("refuses a token signed by another session's device key the server has just imported", async () => {
    const { h, session, frames } = await setup();
    const other = await h.startSession();
    // The other session's key is imported (and cached) by a token that verifies but names the
    // wrong nonce.
    const wrongNonce = await resultToken(other, frames, {
      nowMs: h.clock.now(),
      claims: { nonce: session.start.nonce },
    });
    const refused = await h.upload(other.sessionId, evidenceForm(wrongNonce, frames));
    expect(await errorCode(refused)).toBe("NONCE_MISMATCH");

    const token = await resultToken(session, frames, {
      nowMs: h.clock.now(),
      key: other.device.privateKey,
    });
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("TOKEN_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses alg: none", async () => {
    const { h, session, token } = await setup();
    const [, payload] = token.split(".");
    const unsigned = `${b64({ alg: "none", typ: RESULT_TOKEN_TYPE })}.${payload ?? ""}.`;
    const { frames } = await h.goodEvidence(session);
    const res = await h.upload(session.sessionId, evidenceForm(unsigned, frames));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("TOKEN_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses HS256 signed with the device public key as the secret", async () => {
    const { h, session, frames, token } = await setup();
    const claims = JSON.parse(
      Buffer.from(token.split(".")[1] ?? "", "base64url").toString(),
    ) as Record<string, unknown>;
    const secret = new TextEncoder().encode(JSON.stringify(session.device.publicJwk));
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: RESULT_TOKEN_TYPE })
      .sign(secret);
    const res = await h.upload(session.sessionId, evidenceForm(hs, frames));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("TOKEN_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses a wrong typ", async () => {
    const { h, session, frames } = await setup();
    const token = await resultToken(session, frames, { nowMs: h.clock.now(), typ: "JWT" });
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("TOKEN_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses an expired token", async () => {
    const { h, session, frames } = await setup();
    const iat = Math.floor(h.clock.now() / 1000);
    const token = await resultToken(session, frames, {
      nowMs: h.clock.now(),
      claims: { iat, exp: iat + 10 },
    });
    h.clock.advance(16_000);
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(await errorCode(res)).toBe("TOKEN_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses a wrong nonce, including another session's", async () => {
    const { h, session, frames } = await setup();
    const other = await h.startSession();
    const token = await resultToken(session, frames, {
      nowMs: h.clock.now(),
      claims: { nonce: other.start.nonce },
    });
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("NONCE_MISMATCH");
    await expectUntouched(h, session);
  });

  it("refuses a token bound to another session", async () => {
    const { h, session, frames } = await setup();
    const other = await h.startSession();
    const token = await resultToken(session, frames, {
      nowMs: h.clock.now(),
      claims: { sid: other.sessionId },
    });
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(await errorCode(res)).toBe("TOKEN_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses a replayed token", async () => {
    const { h, session, frames, token } = await setup();
    const swapped = [...frames];
    swapped[1] = tinyJpeg(99);
    const first = await h.upload(session.sessionId, evidenceForm(token, swapped));
    expect(await errorCode(first)).toBe("FRAME_HASH_MISMATCH");
    const replay = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(replay.status).toBe(409);
    expect(await errorCode(replay)).toBe("REPLAYED");
    await expectUntouched(h, session);
  });

  it("refuses a second upload after the verdict, leaving the verdict unchanged", async () => {
    const { h, session, frames, token } = await setup();
    const ok = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(ok.status).toBe(200);
    const before = h.store.get(session.sessionId);
    const again = await h.goodEvidence(session);
    const second = await h.upload(session.sessionId, evidenceForm(again.token, again.frames));
    expect(second.status).toBe(409);
    expect(await errorCode(second)).toBe("SESSION_STATE_CONFLICT");
    const replay = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(await errorCode(replay)).toBe("SESSION_STATE_CONFLICT");
    expect(h.store.get(session.sessionId)).toEqual(before);
    expect(h.verify).toHaveBeenCalledTimes(1);
  });

  it("refuses evidence after the deadline and expires the session", async () => {
    const { h, session, frames } = await setup();
    h.clock.advance(session.start.deadline - h.clock.now() + 1);
    const token = await resultToken(session, frames, { nowMs: h.clock.now() });
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(res.status).toBe(410);
    expect(await errorCode(res)).toBe("SESSION_EXPIRED");
    expect(h.store.get(session.sessionId)).toMatchObject({
      status: "expired",
      outcome: { decision: "fail", reasons: ["EXPIRED"], verdict: null },
    });
    expect(h.verify).not.toHaveBeenCalled();
  });

  it("refuses a frame hash mismatch", async () => {
    const { h, session, frames, token } = await setup();
    const tampered = frames.map((f) => f.slice());
    const last = tampered[2];
    if (last) last[last.length - 10] = (last[last.length - 10] ?? 0) ^ 1;
    const res = await h.upload(session.sessionId, evidenceForm(token, tampered));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("FRAME_HASH_MISMATCH");
    await expectUntouched(h, session);
  });

  it("refuses an extra frame", async () => {
    const { h, session, frames, token } = await setup();
    const res = await h.upload(session.sessionId, evidenceForm(token, [...frames, tinyJpeg(50)]));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("FRAME_COUNT_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses a frame numbered past the protocol's frame bound", async () => {
    const { h, session, frames, token } = await setup();
    const numbered = [
      ...frames,
      ...Array<null>(PROTOCOL_LIMITS.maxFrames - frames.length).fill(null),
    ];
    const res = await h.upload(session.sessionId, evidenceForm(token, [...numbered, tinyJpeg(50)]));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("FRAME_COUNT_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses a missing frame (one fewer, or a gap in the numbering)", async () => {
    const { h, session, frames, token } = await setup();
    const fewer = await h.upload(session.sessionId, evidenceForm(token, frames.slice(0, -1)));
    expect(await errorCode(fewer)).toBe("FRAME_COUNT_INVALID");
    const gap = frames.map((f, i) => (i === 1 ? null : f));
    const gapped = await h.upload(session.sessionId, evidenceForm(token, gap));
    expect(gapped.status).toBe(400);
    expect(await errorCode(gapped)).toBe("FRAME_COUNT_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses fewer frames than the session's minimum even when the claims agree", async () => {
    const { h, session, frames } = await setup();
    const two = frames.slice(0, 2);
    const token = await resultToken(session, two, { nowMs: h.clock.now() });
    const res = await h.upload(session.sessionId, evidenceForm(token, two));
    expect(await errorCode(res)).toBe("FRAME_COUNT_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses timestamps out of order or outside the session", async () => {
    const { h, session, frames } = await setup();
    const token = await resultToken(session, frames, { nowMs: h.clock.now() });
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as {
      frames: { capturedAt: number }[];
    };
    const reversed = claims.frames.map((f) => f).reverse();
    const outOfOrder = await resultToken(session, frames, {
      nowMs: h.clock.now(),
      claims: {
        frames: claims.frames.map((f, i) => ({
          ...(f as never as object),
          capturedAt: reversed[i]?.capturedAt ?? 0,
        })) as never,
      },
    });
    const res = await h.upload(session.sessionId, evidenceForm(outOfOrder, frames));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("TIMESTAMP_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses an oversized body with 413 before parsing it", async () => {
    const { h, session, token } = await setup();
    const huge = new Uint8Array(PROTOCOL_LIMITS.maxEvidenceBytes + 1);
    const res = await h.upload(session.sessionId, evidenceForm(token, [huge]));
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe("PAYLOAD_TOO_LARGE");
    await expectUntouched(h, session);
  });

  it("refuses a frame above the per-frame byte limit with 413", async () => {
    const { h, session, token } = await setup();
    const res = await h.upload(session.sessionId, evidenceForm(token, [new Uint8Array(500_000)]));
    expect(res.status).toBe(413);
    await expectUntouched(h, session);
  });

  const badImage = async (mutate: (frame: Uint8Array) => Uint8Array) => {
    const { h, session, frames } = await setup();
    const bad = [...frames];
    bad[0] = mutate(frames[0] ?? new Uint8Array());
    const token = await resultToken(session, bad, { nowMs: h.clock.now() });
    const res = await h.upload(session.sessionId, evidenceForm(token, bad));
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("IMAGE_INVALID");
    await expectUntouched(h, session);
  };

  it("refuses a truncated JPEG", async () => {
    await badImage((frame) => frame.slice(0, Math.floor(frame.length / 2)));
  });

  it("refuses a JPEG declaring 60000x60000 pixels before decoding it", async () => {
    await badImage((frame) => {
      const patched = frame.slice();
      for (let i = 2; i < patched.length - 9; i++) {
        if (patched[i] === 0xff && patched[i + 1] === 0xc0) {
          new DataView(patched.buffer).setUint16(i + 5, 60_000);
          new DataView(patched.buffer).setUint16(i + 7, 60_000);
          return patched;
        }
      }
      throw new Error("no SOF0 in the test JPEG");
    });
  });

  it("refuses PNG bytes named frame0.jpg", async () => {
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
      16, 0, 0, 0, 16, 8, 2, 0, 0, 0, 0x90, 0x91, 0x68, 0x36, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44,
      0xae, 0x42, 0x60, 0x82,
    ]);
    await badImage(() => png);
  });

  it("refuses a JPEG whose size differs from its claim", async () => {
    const { h, session, frames } = await setup();
    const token = await resultToken(session, frames, {
      nowMs: h.clock.now(),
      sizes: frames.map(() => ({ width: 32, height: 16 })),
    });
    const res = await h.upload(session.sessionId, evidenceForm(token, frames));
    expect(await errorCode(res)).toBe("IMAGE_INVALID");
    await expectUntouched(h, session);
  });

  it("refuses unknown form fields, a missing token and a non-multipart body", async () => {
    const { h, session, frames, token } = await setup();
    const extra = await h.upload(session.sessionId, evidenceForm(token, frames, { debug: "1" }));
    expect(await errorCode(extra)).toBe("REQUEST_INVALID");
    const form = evidenceForm(token, frames);
    form.delete("token");
    const noToken = await h.upload(session.sessionId, form);
    expect(await errorCode(noToken)).toBe("REQUEST_INVALID");
    const json = await h.upload(
      session.sessionId,
      new TextEncoder().encode("{}"),
      "application/json",
    );
    expect(json.status).toBe(400);
    expect(await errorCode(json)).toBe("REQUEST_INVALID");
    const broken = await h.upload(
      session.sessionId,
      new TextEncoder().encode('--x\r\nContent-Disposition: form-data; name="token"\r\n\r\nabc'),
      "multipart/form-data; boundary=x",
    );
    expect(broken.status).toBe(400);
    expect(await errorCode(broken)).toBe("REQUEST_INVALID");
    await expectUntouched(h, session);
    expect(sha256Hex(frames[0] ?? new Uint8Array())).toHaveLength(64);
  });

  it("refuses evidence for a session that was never started", async () => {
    const h = await createHarness();
    const { sessionId } = await h.createSession();
    const res = await h.upload(sessionId, evidenceForm("x.y.z", [tinyJpeg(1)]));
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe("SESSION_STATE_CONFLICT");
    expect(h.store.get(sessionId)?.status).toBe("created");
  });
});
